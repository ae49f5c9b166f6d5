"""``specreg lint``: each kind of problem in a rule directory, reported with its file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gunicorn_process import RULES
from specreg.cli import main
from specreg.rulecheck.lint import Finding, lint_directory

RULESET = "rulesets/rules-2025.yaml"


def replace(rules: Path, old: str, new: str, file: str = RULESET) -> int:
    """Replace the first ``old`` in a file; the 1-based line where it stood."""
    path = rules / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def replace_line_after(rules: Path, anchor: str, starts: str, new_line: str | None) -> int:
    """Replace (None: delete) the first line starting with ``starts`` after the line holding ``anchor``."""
    path = rules / RULESET
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if anchor in line)
    at = next(i for i in range(first, len(lines)) if lines[i].startswith(starts))
    lines[at: at + 1] = [] if new_line is None else [new_line + "\n"]
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


def findings(rules: Path, check: str) -> list[Finding]:
    return [finding for finding in lint_directory(rules) if finding.check == check]


def only(rules: Path, check: str) -> Finding:
    found = findings(rules, check)
    assert len(found) == 1, found
    return found[0]


def test_the_shipped_rule_directory_is_clean():
    assert lint_directory(RULES) == []
    result = CliRunner().invoke(main, ["lint", "--rules", str(RULES)])
    assert result.exit_code == 0
    assert result.output.strip().endswith("no problems found (11 files checked)")


def test_yaml_that_does_not_parse(rules):
    line = replace(rules, "rules:\n", "rules: [\n")
    found = lint_directory(rules)
    assert [(f.check, f.file) for f in found] == [("yaml", str(rules / RULESET))]
    assert found[0].line >= line


def test_a_key_written_twice(rules):
    line = replace(rules, "    locate: [record_at]\n", "    locate: [record_at]\n    locate: [at]\n")
    finding = only(rules, "duplicate-key")
    assert (finding.line, "'locate'" in finding.message) == (line + 1, True)


def test_a_file_against_its_schema_points_at_the_unknown_key(rules):
    line = replace(rules, "    evidence: {entries: index}\n", "    evidense: {entries: index}\n")
    finding = only(rules, "schema")
    assert finding.line == line
    assert "rule 'employment.position_not_staff_position'" in finding.message
    assert "does not allow here: 'evidense'" in finding.message


def test_a_reference_file_against_its_schema(rules):
    regions = "reference/regions.yaml"
    line = replace(rules, "{kind: city,   kk: Шымкент", "{kind: town,   kk: Шымкент", file=regions)
    finding = only(rules, "schema")
    assert (finding.file, finding.line) == (str(rules / "reference" / "regions.yaml"), line)
    assert finding.message.startswith("regions.shymkent.kind: must be one of ['city', 'oblast']")


def test_a_ground_outside_the_nine(rules):
    line = replace(rules, "  - code: documents_expired\n", "  - code: documents_outdated\n")
    ground = [f for f in findings(rules, "ground")]
    outside = next(f for f in ground if "'documents_outdated' is not one of the nine" in f.message)
    assert outside.line == line
    assert any("the contract's ground 'documents_expired' (p.9 sp.2 ¶4) is not declared" in f.message
               for f in ground)
    assert any("cites 'documents_expired', which is not a ground declared" in f.message for f in ground)


def test_a_ground_in_the_wrong_place_of_p9_or_with_the_wrong_outcome(rules):
    place = replace(rules, "{point: 9, subpoint: 2, indent: 5}", "{point: 9, subpoint: 2, indent: 6}")
    outcome = replace(rules, "    outcome: refuse\n", "    outcome: return\n")
    found = {f.line: f.message for f in findings(rules, "ground")}
    assert found[place] == ("the ground 'employment_mismatch' stands in p.9 sp.2 ¶5 of the Rules, "
                            "not p.9 sp.2 ¶6")
    assert found[outcome] == "the ground 'social_work_ban' is a refuse ground (p.9 sp.3 ¶2), not 'return'"


def test_a_ground_no_rule_decides(rules):
    replace(rules, "    ground: permanent_emigration\n", "    ground: legal_incapacity\n")
    finding = only(rules, "coverage")
    assert finding.message.startswith("no rule decides the ground 'permanent_emigration' (p.9 sp.3 ¶5)")
    assert (rules / RULESET).read_text(encoding="utf-8").splitlines()[finding.line - 1] == "rules:"


def test_duplicate_rule_ids(rules):
    line = replace(rules, "  - id: documents.license_expired\n", "  - id: documents.supplied_expired\n")
    finding = only(rules, "duplicate-id")
    assert finding.line == line and "'documents.supplied_expired' is used twice" in finding.message


def test_fact_fields_types_operators_and_parameters_of_conditions(rules):
    line = replace(rules, "{$gte: {years_held: {$param: category_term_years}}}",
                   "{$gtee: {yeras_held: {$param: category_term}}}")
    type_line = replace(rules, "- {t: court_decision}", "- {t: court_ruling}")
    operator = only(rules, "condition")
    assert operator.line == line and "'$gtee' is not an operator" in operator.message
    replace(rules, "$gtee", "$gte")
    fields = findings(rules, "fact-field")
    typo = next(f for f in fields if "'yeras_held'" in f.message)
    assert typo.line == line
    assert typo.message.startswith("rule 'qualification.term_lapsed': the qualification fact has no field")
    assert "years_held" in typo.message
    kind = next(f for f in fields if "court_ruling" in f.message)
    assert kind.line >= type_line - 4 and "no fact has the type 'court_ruling'" in kind.message
    parameter = only(rules, "parameter")
    assert parameter.line == line and "'category_term' is not defined" in parameter.message


def test_locate_and_evidence_name_fields_of_the_matched_facts(rules):
    locate = replace(rules, "    locate: [record_at]\n", "    locate: [record]\n")
    evidence = replace(rules, "    evidence: {entries: index}\n", "    evidence: {entries: idx}\n")
    found = {f.line: f.message for f in findings(rules, "fact-field")}
    assert "locate names 'record', which is no pointer field" in found[locate]
    assert "evidence reads 'idx', which the employment fact does not have" in found[evidence]


def test_a_message_language_missing(rules):
    replace_line_after(rules, "- id: residence.left_for_permanent_residence", "      en:", None)
    finding = only(rules, "message")
    assert finding.message == ("rule 'residence.left_for_permanent_residence': the message in en is "
                               "missing or empty")
    text = (rules / RULESET).read_text(encoding="utf-8").splitlines()
    assert text[finding.line - 1].strip() == "message:"
    assert findings(rules, "schema") == []  # said once, plainly


def test_placeholders_must_be_fact_fields_or_parameters(rules):
    unknown = replace_line_after(rules, "- id: documents.supplied_expired", "      ru:",
                                 '      ru: "Истёк срок документа {kind}: {valid_til}."')
    unbalanced = replace_line_after(rules, "- id: documents.license_expired", "      ru:",
                                    '      ru: "Истёк срок лицензии {valid_until."')
    found = {f.line: f.message for f in findings(rules, "placeholder")}
    assert found[unknown] == ("rule 'documents.supplied_expired': the placeholder {valid_til} is no "
                              "field of the supplied_document fact and no parameter")
    assert "rule 'documents.license_expired'" in found[unbalanced]


def test_a_warning_cannot_carry_a_ground_code(rules):
    line = replace(rules, "    code: not_checked\n", "    code: documents_expired\n")
    finding = only(rules, "ground")
    assert finding.line == line
    assert "is a warning but uses the ground code 'documents_expired'" in finding.message


def second_version(rules: Path, version: str, effective_from: str, extra: str = "") -> Path:
    text = (rules / RULESET).read_text(encoding="utf-8")
    path = rules / "rulesets" / f"rules-{version}.yaml"
    path.write_text(text.replace('version: "2025.1"', f'version: "{version}"')
                    .replace('effective_from: "2025-01-25"', f'effective_from: "{effective_from}"{extra}'),
                    encoding="utf-8")
    return path


def end_current(rules: Path, until: str) -> None:
    start = 'effective_from: "2025-01-25"'
    replace(rules, start, f'{start}\neffective_until: "{until}"')


def test_versions_whose_windows_overlap(rules):
    later = second_version(rules, "2026.1", "2026-07-01")
    finding = only(rules, "dates")
    assert (finding.file, finding.severity) == (str(later), "error")
    assert finding.line == 27  # effective_from of the later file
    assert "version 2026.1 takes effect on 2026-07-01 while version 2025.1" in finding.message
    assert 'end 2025.1 with effective_until: "2026-07-01"' in finding.message
    end_current(rules, "2026-07-01")
    assert lint_directory(rules) == []  # adjacent windows: the later starts the day the earlier ends


def test_a_version_twice_an_empty_window_and_a_gap(rules):
    second_version(rules, "2025.1", "2026-03-01", '\neffective_until: "2026-03-01"')
    end_current(rules, "2026-01-01")
    found = findings(rules, "dates")
    messages = [f.message for f in found]
    assert any("the version '2025.1' is also the version of rules-2025.yaml:25" in m for m in messages)
    assert any("effective_until 2026-03-01 is not after effective_from 2026-03-01" in m for m in messages)
    gap = next(f for f in found if f.severity == "warning" and "2026-01-01 to 2026-02-28" in f.message)
    assert gap.line == 27


def test_the_command_prints_file_line_and_exits_1(rules):
    line = replace(rules, "  - id: documents.license_expired\n", "  - id: documents.supplied_expired\n")
    result = CliRunner().invoke(main, ["lint", "--rules", str(rules)])
    assert result.exit_code == 1
    said = f"{rules / RULESET}:{line}: error: the id 'documents.supplied_expired' is used twice"
    assert said in result.output
    assert "1 error(s), 0 warning(s)" in result.output
    as_json = json.loads(CliRunner().invoke(main, ["lint", "--rules", str(rules), "--json"]).output)
    assert as_json["errors"] == 1
    assert as_json["findings"][0] | {"message": ""} == {
        "file": str(rules / RULESET), "line": line, "severity": "error", "check": "duplicate-id",
        "message": ""}


# --- the message catalogs: every text in kk and ru ---------------------------------


@pytest.mark.parametrize(("file", "old", "new", "where"), [
    ("messages/problems.yaml",
     "    title: {kk: Өтінім келісімшартқа сәйкес келмейді, ru: Заявка не соответствует контракту, ",
     "    title: {kk: Өтінім келісімшартқа сәйкес келмейді, ",
     "problems.invalid-application.title: no ru text"),
    ("messages/admin_page.yaml", "  title: {kk: Ережелер шеберханасы, ru: Мастерская правил}",
     "  title: {ru: Мастерская правил}", "texts.title: no kk text"),
    ("messages/labels.yaml", "ru: вторая категория,", "ru: '',", "labels.second: no ru text"),
    ("messages/cli.yaml", 'ru: "Проверено строк: {count}."', 'ru: "Проверено строк."',
     "texts.batch_screened: the languages name different placeholders"),
])
def test_a_catalog_text_missing_a_language_is_an_error_at_its_line(rules, file, old, new, where):
    line = replace(rules, old, new, file)
    found = [f for f in lint_directory(rules) if f.check.startswith("message-")]
    assert len(found) == 1, found
    assert found[0].file == str(rules / file) and found[0].line == line
    assert where in found[0].message and found[0].severity == "error"
    assert not [f for f in lint_directory(rules) if f.check == "schema"]  # said once, plainly
