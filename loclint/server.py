"""`loclint server`: a language server over standard input and output (LSP), built on pygls.

An editor gets loclint's findings as diagnostics when a Markdown file is opened or saved, and a
quick fix for each finding that `--fix` repairs safely. A document is checked as
`check --stdin-filename` checks it: the editor's text, with its sibling locales read from disk,
under the settings found from the document's folder. pygls is an optional dependency
(`pip install 'loclint[lsp]'`); without it the command says so and exits 2.

Positions: loclint counts columns in characters, LSP in UTF-16 code units (the protocol's
default), so columns are converted on the document's own lines.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from loclint import __version__

SOURCE = "loclint"


def serve() -> int:
    try:
        server = build_server()
    except ImportError:
        import click

        click.echo("loclint: error: `loclint server` needs pygls: pip install 'loclint[lsp]'", err=True)
        return 2
    server.start_io()
    return 0


def build_server():
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("loclint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        found = [_lsp_diagnostic(types, d, document.lines) for d in check_document(uri, document.source)]
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        # Checked afresh on the text as it is now: offsets from an older check could be stale.
        uri = params.text_document.uri
        document = server.workspace.get_text_document(uri)
        actions = []
        for diagnostic in check_document(uri, document.source):
            if not diagnostic.fixable(False) or not _overlaps(diagnostic, params.range):
                continue
            actions.append(_quick_fix(types, uri, diagnostic, document.source, document.lines))
        return actions

    return server


def check_document(uri: str, text: str) -> list:
    """loclint's findings in the document at `uri` with the content `text`."""
    from loclint.config import ConfigError, load_settings
    from loclint.engine import run_text

    path = _path(uri)
    try:
        settings = load_settings(None, {}, Path(path).parent)
    except ConfigError:
        return []  # a broken configuration is the command line's to report
    result = run_text(path, text.encode("utf-8"), settings)
    return [d for d in result.diagnostics if d.path == path]


def _path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def _utf16_column(lines: list[str], line: int, column: int) -> int:
    """A 1-based character column on a 1-based line as a 0-based UTF-16 offset."""
    if not 1 <= line <= len(lines):
        return max(0, column - 1)
    before = lines[line - 1][: column - 1]
    return len(before.encode("utf-16-le")) // 2


def _position(types, lines: list[str], line: int, column: int):
    return types.Position(line=max(0, line - 1), character=_utf16_column(lines, line, column))


def _lsp_diagnostic(types, d, lines: list[str]):
    return types.Diagnostic(
        range=types.Range(start=_position(types, lines, d.line, d.column), end=_position(types, lines, d.end_line, d.end_column)),
        message=d.message,
        severity=types.DiagnosticSeverity.Warning,
        code=d.code,
        source=SOURCE,
    )


def _overlaps(d, wanted) -> bool:
    first, last = wanted.start.line + 1, wanted.end.line + 1
    return d.line <= last and d.end_line >= first


def _quick_fix(types, uri: str, d, text: str, lines: list[str]):
    from loclint.model import LineIndex

    index = LineIndex(text)
    start, end = index.position(d.fix.start), index.position(d.fix.end)
    edit = types.TextEdit(range=types.Range(start=_position(types, lines, *start), end=_position(types, lines, *end)),
                          new_text=d.fix.content)
    return types.CodeAction(
        title=f"{d.code}: {d.fix.message}",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[_lsp_diagnostic(types, d, lines)],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
        is_preferred=True,
    )
