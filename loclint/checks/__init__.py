"""The built-in checks, one module per rule family; `loclint.checks.families` is their table.

This package file imports nothing: a family importing `loclint.checks.context` must not pull in
every other family (that would tie them all into one import circle)."""
