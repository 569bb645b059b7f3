"""`loclint server`: a real LSP session over stdio with pygls's client (skipped without pygls)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

from fixture_tree import write_tree  # noqa: E402
from test_surface import AR, JA, TR, TR_FRONT  # noqa: E402


def test_diagnostics_on_open_and_a_quick_fix_for_a_safe_fix(tmp_path):
    write_tree(tmp_path, {"tr-TR/mfa.md": {"bare": TR_FRONT + TR}, "ja-JP/mfa.md": JA, "ar-SA/mfa.md": AR})
    path = tmp_path / "tr-TR/mfa.md"
    published, actions, saved = asyncio.run(asyncio.wait_for(_session(path), 90))
    by_code = {d.code: d for d in published.diagnostics}
    assert {"M006", "P002", "W002"} <= set(by_code), [d.code for d in published.diagnostics]
    m006 = by_code["M006"]
    assert m006.source == "loclint" and m006.range.start == types.Position(line=4, character=0)
    # The editor's text, not the file: the buffer has one more W002 than the disk.
    assert sum(d.code == "W002" for d in published.diagnostics) == 2
    # Only safe fixes are offered (M006's and the two W002 spaces); P002's is unsafe.
    assert sorted(action.title.split(":")[0] for action in actions) == ["M006", "W002", "W002"], [a.title for a in actions]
    action = next(action for action in actions if action.title.startswith("M006"))
    (edit,) = action.edit.changes[path.as_uri()]
    assert action.kind == types.CodeActionKind.QuickFix and edit.new_text == "ms.contentlocale: tr-tr"
    assert edit.range.start.line == 4
    assert [d.code for d in saved.diagnostics] == [d.code for d in published.diagnostics]  # again on save


async def _session(path: Path):
    client = LanguageClient("loclint-test", "1")
    received: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        received.put_nowait(params)

    await client.start_io(sys.executable, "-m", "loclint", "server", cwd=str(path.parent))
    try:
        await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(),
                                                             root_uri=path.parent.parent.as_uri()))
        client.initialized(types.InitializedParams())
        text = path.read_text(encoding="utf-8").replace("kaydedin", "kaydedin ; tamam")
        uri = path.as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))
        published = await received.get()
        everything = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=20, character=0))
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=everything,
            context=types.CodeActionContext(diagnostics=published.diagnostics)))
        # On save: checked again, published again.
        client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
        saved = await received.get()
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    return published, actions, saved
