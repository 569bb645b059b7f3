"""`junit`: JUnit XML for CI test report views, one test case per file checked.

A file with findings is a failed test case whose failure lists them; a clean file passes. XML 1.0
cannot hold most control characters at all, not even escaped, so those are written as `\\xNN`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from loclint.lazyre import lazy_pattern
from loclint.model import Diagnostic
from loclint.output.common import visible_text
from loclint.wording import plural

if TYPE_CHECKING:
    from loclint.results import RunResult

_NOT_XML = lazy_pattern(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text XML can hold and a report viewer shows as it is (bidi controls escaped too)."""
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", visible_text(text))


def junit(diagnostics: list[Diagnostic], run: RunResult) -> str:
    by_path: dict[str, list[Diagnostic]] = {path: [] for path in run.reported_files}
    for d in diagnostics:
        by_path.setdefault(d.path, []).append(d)
    failed = sum(1 for found in by_path.values() if found)
    suites = ET.Element("testsuites", name="loclint", tests=str(len(by_path)), failures=str(failed), errors="0")
    suite = ET.SubElement(suites, "testsuite", name="loclint", tests=str(len(by_path)), failures=str(failed), errors="0", skipped="0")
    for path in sorted(by_path):
        found = by_path[path]
        article, _ = run.reported_files.get(path, (found[0].article if found else None, None))
        case = ET.SubElement(suite, "testcase", name=xml_text(path), classname=xml_text(article or path), file=xml_text(path))
        if found:
            codes = ", ".join(sorted({d.code for d in found}))
            failure = ET.SubElement(case, "failure", message=xml_text(f"{plural(len(found), 'problem')}: {codes}"), type=found[0].code)
            failure.text = xml_text("".join(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}\n" for d in found))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
