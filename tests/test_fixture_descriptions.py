"""Every shipped fixture case describes itself in Kazakh and Russian.

The administrators who read the cases on the admin page work in Kazakh or Russian;
the page shows a case's description in its own language only when the case gives
it as a mapping ``{kk, ru, en}`` (``specreg.workbench.cases``, ``admin.js``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specreg.workbench.cases import CaseFileError, collect_cases, load_cases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = collect_cases([FIXTURES])
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def test_there_are_cases():
    assert len(CASES) > 100


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_case_is_described_in_kazakh_and_russian(case):
    description = case.description
    assert isinstance(description, dict), f"{case.source.name}: {case.name}: not {{kk, ru, en}}"
    kk, ru, en = (description.get(language, "") for language in ("kk", "ru", "en"))
    assert kk.strip() and ru.strip() and en.strip()
    assert KAZAKH_LETTERS & set(kk) or kk != ru, f"{case.name}: the kk text is not Kazakh"


def _file(tmp_path: Path, description: str) -> Path:
    path = tmp_path / "one.yaml"
    path.write_text(
        f"cases:\n  - name: one\n    description: {description}\n    expect: {{outcome: register}}\n",
        encoding="utf-8",
    )
    (tmp_path / "bases").mkdir()
    (tmp_path / "bases" / "full.json").write_text(
        (FIXTURES / "bases" / "full.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize("description", ["{kk: '', ru: текст}", "{ru: текст, en: text}", "{kk: мәтін}",
                                         "{kk: мәтін, ru: [текст]}", "[мәтін, текст]"])
def test_a_mapping_without_kazakh_and_russian_texts_is_refused(tmp_path, description):
    with pytest.raises(CaseFileError, match=r"one\.yaml: .*'one'"):
        load_cases(_file(tmp_path, description))


@pytest.mark.parametrize("description", ["one English text", "{kk: мәтін, ru: текст, en: text}"])
def test_a_text_or_a_full_mapping_is_accepted(tmp_path, description):
    assert load_cases(_file(tmp_path, description))[0].description
