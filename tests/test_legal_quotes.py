"""Every text the product shows as the law's words is found in the published Russian text.

The source is ``../shared/legal/order-21-2025.ru.txt`` (the order, its Rules and
the appendix form). Each quote of the rule data is searched for after
whitespace normalisation, and where the quote says it stands (an indent of
p.9, a column of the appendix) is checked against the source's own layout:
a ground's text is that indent of p.9, a column's label is that column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from specreg.paths import DEFAULT_RULES_DIR

SOURCE = Path(__file__).resolve().parents[1].parent / "shared" / "legal" / "order-21-2025.ru.txt"
KAZAKH_SOURCE = SOURCE.with_name("order-21-2025.kk.txt")
# The repealed 2008 law's term; the Social Code says «арнаулы әлеуметтік көрсетілетін қызметтер».
REPEALED_TERM = re.compile(r"арнаулы әлеуметтік қызмет", re.IGNORECASE)


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def source() -> str:
    return SOURCE.read_text(encoding="utf-8")


def _yaml(relative: str) -> Any:
    return yaml.safe_load((DEFAULT_RULES_DIR / relative).read_text(encoding="utf-8"))


def _rulesets() -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((DEFAULT_RULES_DIR / "rulesets").glob("*.yaml"))]


def _quotes() -> list[tuple[str, dict[str, Any]]]:
    """(where it was found, the quote) for every quote of the rule directory."""
    found = []
    for ruleset in _rulesets():
        version = ruleset["version"]
        for name in ("citation", "registration", "title"):
            found.append((f"{version} act.{name}", ruleset["act"][name]))
        if "effective_from_basis" in ruleset:
            found.append((f"{version} effective_from_basis", ruleset["effective_from_basis"]["quote"]))
        for ground in ruleset["grounds"]:
            found.append((f"{version} ground {ground['code']}", ground["text"]))
    form = _yaml("reference/registry_form.yaml")
    found.append(("registry form title", form["title"]))
    found += [(f"registry column {column['key']}", column["label"]) for column in form["columns"]]
    return found


QUOTES = _quotes()


@pytest.mark.parametrize(("where", "quote"), QUOTES, ids=[where for where, _ in QUOTES])
def test_every_quote_is_in_the_published_text(source: str, where: str, quote: dict[str, Any]) -> None:
    assert _normal(quote["ru"]) in _normal(source), f"{where}: not verbatim in {SOURCE.name}"


@pytest.mark.parametrize(("where", "quote"), QUOTES, ids=[where for where, _ in QUOTES])
def test_each_slip_is_kept_as_published_and_noted(where: str, quote: dict[str, Any]) -> None:
    for slip in quote.get("slips", []):
        assert slip["as_published"] in quote["ru"], f"{where}: the slip is not in the quote"
        assert slip["reads"] != slip["as_published"] and slip["note"]["ru"] and slip["note"]["kk"]


@pytest.mark.parametrize(("where", "quote"), QUOTES, ids=[where for where, _ in QUOTES])
def test_kazakh_is_marked_a_working_translation(where: str, quote: dict[str, Any]) -> None:
    """No official Kazakh text is at hand: no quote may claim one."""
    assert not KAZAKH_SOURCE.exists() or quote["kk_translation"] == "official"
    if not KAZAKH_SOURCE.exists():
        assert quote["kk_translation"] == "working", where
    assert not REPEALED_TERM.search(quote["kk"]), f"{where}: the repealed law's term"


def _p9_indents(source: str) -> dict[tuple[int, int], str]:
    """{(subpoint, indent): text} of p.9 as published; indent 1 is the subpoint's opening line."""
    point = source[source.index("9. Администратор"):source.index("10. Заявитель")]
    indents: dict[tuple[int, int], str] = {}
    for number, body in re.findall(r"(?m)^\s*(\d)\)\s*(.*?)(?=^\s*\d\)|\Z)", point, re.S):
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        for indent, line in enumerate(lines, start=1):
            indents[int(number), indent] = line.rstrip(";.: ").strip()
    return indents


def test_each_ground_quotes_its_own_indent_of_p9(source: str) -> None:
    indents = _p9_indents(source)
    for ruleset in _rulesets():
        for ground in ruleset["grounds"]:
            basis = ground["basis"]
            assert basis["point"] == 9
            published = indents[basis["subpoint"], basis["indent"]]
            assert _normal(ground["text"]["ru"]) == _normal(published), ground["code"]


def test_both_document_codes_quote_sp2_indent4_whole(source: str) -> None:
    indent = _p9_indents(source)[2, 4]
    for ruleset in _rulesets():
        texts = {g["code"]: g["text"]["ru"] for g in ruleset["grounds"]}
        assert texts["documents_incomplete"] == texts["documents_expired"] == indent


def _appendix_lines(source: str) -> list[str]:
    appendix = source[source.index("Приложение к Правилам"):]
    lines = [line.strip() for line in appendix.splitlines() if line.strip()]
    title = next(i for i, line in enumerate(lines) if line.startswith("Реестр специалистов"))
    return lines[title:]


def test_the_form_is_the_appendix_title_and_its_ten_columns_in_order(source: str) -> None:
    title, *columns = _appendix_lines(source)
    form = _yaml("reference/registry_form.yaml")
    assert form["title"]["ru"] == title
    assert form["title"]["where"] == {"part": "appendix", "element": "title"}
    assert len(columns) == 10
    for column in form["columns"]:
        number = column["label"]["where"]["column"]
        assert column["label"]["ru"] == columns[number - 1], column["key"]
    assert [c["label"]["where"]["column"] for c in form["columns"]] == list(range(1, 11))


def test_the_act_is_cited_as_its_heading_says(source: str) -> None:
    heading = source.splitlines()[1]
    for ruleset in _rulesets():
        act = ruleset["act"]
        assert heading.startswith(act["citation"]["ru"] + ". " + act["registration"]["ru"])
        assert _normal(source.splitlines()[0]) == "Об утверждении " + _normal(
            act["title"]["ru"]).replace("Правила", "Правил", 1)


def test_the_first_rule_set_is_in_force_after_publication_not_registration(source: str) -> None:
    first = min(_rulesets(), key=lambda r: r["effective_from"])
    assert first["effective_from"] >= "2025-01-25"
    basis = first["effective_from_basis"]
    assert basis["quote"]["where"] == {"part": "order", "point": 4}
    assert "4. " + basis["quote"]["ru"] in _normal(source)


def test_no_kazakh_text_of_the_rule_directory_uses_the_repealed_term() -> None:
    offenders = [
        str(path.relative_to(DEFAULT_RULES_DIR)) for path in DEFAULT_RULES_DIR.rglob("*.yaml")
        if REPEALED_TERM.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
