"""loclint: a localization consistency linter for multi-locale Markdown documentation."""

__version__ = "0.1.0"
