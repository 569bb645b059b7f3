"""The renderers, one module per family of formats; `loclint.output.report` holds the table of
formats (`FORMATS`), `render`, the summary line and `--statistics`. This package file imports
nothing, so a renderer importing `loclint.output.common` never pulls the table in with it."""
