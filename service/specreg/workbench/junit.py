"""JUnit XML of a run of cases, the report format CI pipelines read.

One ``testsuite`` per fixture file, one ``testcase`` per case (``classname``
is the file, ``name`` the case); a failing case carries a ``failure`` whose
message is its first difference and whose text lists them all with the
reasons' messages. Written with the standard library's ElementTree.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from specreg.workbench.runner import CaseResult


def junit_xml(results: Iterable[CaseResult]) -> ET.ElementTree:
    """The XML document of a run."""
    root = ET.Element("testsuites", name="specreg fixtures")
    for source, group in groupby(results, key=lambda result: result.case.source):
        _suite(root, source, list(group))
    _count(root, root.findall("testsuite"))
    return ET.ElementTree(root)


def write_junit(results: Iterable[CaseResult], path: Path) -> None:
    tree = junit_xml(results)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def _suite(root: ET.Element, source: Path, results: list[CaseResult]) -> None:
    suite = ET.SubElement(root, "testsuite", name=source.stem, file=str(source))
    for result in results:
        case = ET.SubElement(
            suite, "testcase", classname=source.stem, name=result.case.name,
            time=f"{result.seconds:.4f}", file=str(source),
        )
        if not result.passed:
            failure = ET.SubElement(case, "failure", message=result.problems[0], type="CaseFailed")
            failure.text = "\n".join([*result.problems, *(f"reason {m}" for m in result.messages)])
    suite.set("tests", str(len(results)))
    suite.set("failures", str(sum(1 for result in results if not result.passed)))
    suite.set("errors", "0")
    suite.set("time", f"{sum(result.seconds for result in results):.4f}")


def _count(root: ET.Element, suites: list[ET.Element]) -> None:
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(suite.get(key, "0")) for suite in suites)))
