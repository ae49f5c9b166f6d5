"""One set of conventions for every ``specreg`` command (docs/cli.md).

The exit-status table of :mod:`specreg.cli.exits` is kept true here: each
command is run, on real files, into every status it can give. Then the
rest of the conventions: ``-h`` and ``--version``, metavars that say what a
value is, ``--rules DIR`` everywhere, ``-`` for standard input, and human
output in the language ``--lang`` or ``LANG`` chooses (a kk or ru reader
sees only that language).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gunicorn_process import REPO, add_2026_version, copy_rules
from payloads import valid_application
from specreg.cli import main
from specreg.cli.exits import Exit

FIXTURES = REPO / "fixtures"
EXAMPLES = REPO / "examples"
AS_OF = "2026-03-20"
COMMANDS = sorted(main.commands)


def run(*args: str, stdin: bytes | None = None, lang: str = "C.UTF-8"):
    return CliRunner().invoke(main, list(args), input=stdin, env={"LANG": lang}, prog_name="specreg")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """Real inputs for every status: applications, fixture files, rule directories."""
    work = tmp_path_factory.mktemp("cli")
    returned = valid_application()
    returned["documents"] = returned["documents"][:-1]
    broken = copy_rules(work / "broken")
    (broken / "rulesets" / "rules-2025.yaml").write_text("rules: [\n", encoding="utf-8")
    lint_error = copy_rules(work / "lint_error")
    ruleset = lint_error / "rulesets" / "rules-2025.yaml"
    ruleset.write_text(ruleset.read_text(encoding="utf-8").replace(
        "ground: employment_mismatch", "ground: no_such_ground"), encoding="utf-8")
    paths = {
        "register": _json(work / "register.json", valid_application()),
        "return": _json(work / "return.json", returned),
        "invalid": _json(work / "invalid.json", {**valid_application(), "language": "de"}),
        "with_bad_line": work / "with_bad_line.jsonl",
        "broken": broken,
        "lint_error": lint_error,
        "two_year": add_2026_version(copy_rules(work / "two_year")),
        "missing": work / "absent.jsonl",
    }
    paths["with_bad_line"].write_text(paths["register"].read_text(encoding="utf-8") + "\n{not json\n",
                                      encoding="utf-8")
    return paths


def _json(path: Path, payload: dict) -> Path:
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def _cases(name: str) -> list[tuple[str, list[str], Exit]]:
    return [case for case in STATUS_CASES if case[0] == name]


STATUS_CASES: list[tuple[str, list[str], Exit]] = [
    ("screen", ["screen", "{register}", "--as-of", AS_OF], Exit.DONE),
    ("screen", ["screen", "{return}", "--as-of", AS_OF], Exit.FOUND),
    ("screen", ["screen", "{register}", "--as-of", "20.03.2026"], Exit.USAGE),
    ("screen", ["screen", "{register}", "--ruleset", "9.9"], Exit.USAGE),
    ("screen", ["screen", "{invalid}", "--as-of", AS_OF], Exit.NOT_SCREENED),
    ("screen", ["screen", "{missing}"], Exit.CANNOT_RUN),
    ("screen", ["screen", "{register}", "--rules", "{broken}"], Exit.CANNOT_RUN),
    ("screen-batch", ["screen-batch", str(EXAMPLES / "registry.jsonl"), "-o", "{out}", "--as-of", AS_OF,
                      "--workers", "1"], Exit.DONE),
    ("screen-batch", ["screen-batch", "{with_bad_line}", "-o", "{out}", "--workers", "1"], Exit.PARTIAL),
    ("screen-batch", ["screen-batch", "{register}", "-o", "{out}", "--workers", "0"], Exit.USAGE),
    ("screen-batch", ["screen-batch", "{missing}", "-o", "{out}"], Exit.CANNOT_RUN),
    ("registry-export", ["registry-export", str(EXAMPLES / "registered.jsonl"), "-o", "{out}.csv"],
     Exit.DONE),
    ("registry-export", ["registry-export", "{with_bad_line}", "-o", "{out}.csv"], Exit.PARTIAL),
    ("registry-export", ["registry-export", "{register}", "-o", "{out}.txt"], Exit.USAGE),
    ("registry-export", ["registry-export", "{missing}", "-o", "{out}.csv"], Exit.CANNOT_RUN),
    ("test", ["test", "-k", "register_clean"], Exit.DONE),
    ("test", ["test", "--rules", "{two_year}", str(FIXTURES / "boundaries.yaml")], Exit.FOUND),
    ("test", ["test", "-k", "register_clean", "--fail-under", "90"], Exit.FOUND),
    ("test", ["test", "--ruleset", "9.9"], Exit.USAGE),
    ("test", ["test", "--rules", "{broken}"], Exit.CANNOT_RUN),
    ("test", ["test", "{missing}"], Exit.CANNOT_RUN),
    ("diff", ["diff", "--base", str(REPO / "rules"), "--candidate", str(REPO / "rules"),
              str(EXAMPLES / "registry.jsonl"), "--as-of", AS_OF], Exit.DONE),
    ("diff", ["diff", "--base", str(REPO / "rules"), "--candidate", "{two_year}",
              str(FIXTURES / "boundaries.yaml")], Exit.FOUND),
    ("diff", ["diff", "--base", str(REPO / "rules"), "--candidate", str(REPO / "rules"),
              "--candidate-ruleset", "9.9"], Exit.USAGE),
    ("diff", ["diff", "--base", str(REPO / "rules"), "--candidate", "{broken}"], Exit.CANNOT_RUN),
    ("diff", ["diff", "--base", str(REPO / "rules"), "--candidate", str(REPO / "rules"), "{missing}"],
     Exit.CANNOT_RUN),
    ("lint", ["lint"], Exit.DONE),
    ("lint", ["lint", "--rules", "{lint_error}"], Exit.FOUND),
    ("lint", ["lint", "--no-such-option"], Exit.USAGE),
    ("lint", ["lint", "--rules", "{missing}"], Exit.CANNOT_RUN),
]


@pytest.mark.parametrize(("command", "args", "status"), STATUS_CASES,
                         ids=[f"{c}-{s.name}-{i}" for i, (c, _, s) in enumerate(STATUS_CASES)])
def test_every_command_exits_as_the_table_says(files, tmp_path, command, args, status):
    values = {name: str(path) for name, path in files.items()} | {"out": str(tmp_path / "out")}
    result = run(*[arg.format(**values) for arg in args])
    assert result.exit_code == status, f"{command}: {result.output[-1500:]}"
    assert "Traceback" not in result.output


def test_each_command_reaches_the_statuses_its_help_promises():
    """No command is left out of the table test; the table in docs/cli.md is the enum's."""
    assert {case[0] for case in STATUS_CASES} == set(COMMANDS)
    documented = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d+) \| `(\w+)` \|", documented, flags=re.MULTILINE))
    assert rows == {str(int(status)): status.name for status in Exit}


def test_help_and_version():
    assert run("-h").exit_code == 0 and "Usage: specreg" in run("-h").output
    version = run("--version")
    assert version.exit_code == 0 and re.fullmatch(r"specreg, version \d+\.\d+\.\d+\n", version.output)
    for command in COMMANDS:
        short, long = run(command, "-h"), run(command, "--help")
        assert short.exit_code == 0 and short.output == long.output, command


@pytest.mark.parametrize("command", COMMANDS)
def test_metavars_say_what_a_value_is(command):
    options = {name: param for param in main.commands[command].params
               if isinstance(param, click.Option) for name in param.opts}
    text = run(command, "-h").output
    assert " TEXT" not in text and " PATH " not in text, text
    expected = {"--as-of": "YYYY-MM-DD", "--ruleset": "VERSION", "--rules": "DIR", "--junit": "FILE",
                "--fail-under": "PCT", "--output": "FILE", "--base": "DIR", "--candidate": "DIR",
                "--base-ruleset": "VERSION", "--candidate-ruleset": "VERSION"}
    for option, metavar in expected.items():
        if option in options:
            assert f"{option} {metavar}" in text or f", {option} {metavar}" in text, (command, option)


def test_rules_dir_is_one_option_everywhere():
    for command in COMMANDS:
        names = {opt for param in main.commands[command].params for opt in getattr(param, "opts", [])}
        assert "--rules" in names or {"--base", "--candidate"} <= names, command


def test_dash_reads_standard_input_wherever_a_file_is_read(files, tmp_path):
    payload = files["register"].read_bytes()
    screened = run("screen", "-", "--as-of", AS_OF, stdin=payload)
    assert screened.exit_code == 0 and json.loads(screened.output)["outcome"] == "register"
    batch = run("screen-batch", "-", "-o", "-", "--as-of", AS_OF, "--workers", "1", stdin=payload + b"\n")
    assert batch.exit_code == 0 and '"line": 1' in batch.output
    exported = run("registry-export", "-", "-o", str(tmp_path / "r.csv"),
                   stdin=(EXAMPLES / "registered.jsonl").read_bytes())
    assert exported.exit_code == 0 and (tmp_path / "r.csv").stat().st_size > 0
    fixture = (FIXTURES / "basic.yaml").read_bytes()
    tested = run("test", "-", "-k", "register_clean", stdin=fixture)
    assert tested.exit_code == 0 and "register_clean" in tested.output
    diffed = run("diff", "--base", str(REPO / "rules"), "--candidate", str(REPO / "rules"), "-",
                 "--as-of", AS_OF, stdin=payload + b"\n")
    assert diffed.exit_code == 0 and "1 cases screened, 0 changed" in diffed.output


def test_lint_dir_positional_still_works_but_says_it_is_deprecated():
    result = run("lint", str(REPO / "rules"))
    assert result.exit_code == 0 and "deprecated" in result.output and "--rules DIR" in result.output


# --- the reader's language ----------------------------------------------------------

LATIN_WORD = re.compile(r"\b(?:expected|got|outcome|cases|passed|failed|rule coverage|never fired|"
                        r"changed|before|after|none|see OUT)\b")


def _words_outside_codes(text: str) -> str:
    """The text without what stays as it is in every language: codes, names, paths, numbers."""
    text = re.sub(r"\S*/\S*", " ", text)  # paths and pointers
    return re.sub(r"\b[a-z0-9]+(?:[._][a-z0-9]+)+\b", " ", text)  # codes and rule ids


@pytest.mark.parametrize(("how", "language", "word"), [
    ({"lang": "ru_RU.UTF-8"}, "ru", "ожидалось"),
    ({"args": ["--lang", "kk"]}, "kk", "күтілген"),
])
def test_a_failing_case_is_told_in_the_readers_language(files, how, language, word):
    args = ["test", "--rules", str(files["two_year"]), str(FIXTURES / "boundaries.yaml"),
            *how.get("args", [])]
    result = run(*args, lang=how.get("lang", "C.UTF-8"))
    assert result.exit_code == 1
    text = result.output
    assert word in text
    label = {"ru": "return (вернуть на доработку)", "kk": "return (пысықтауға қайтару)"}[language]
    assert label in text  # a code a person reads comes with its label
    assert not LATIN_WORD.search(_words_outside_codes(text)), LATIN_WORD.search(_words_outside_codes(text))


def test_an_impact_summary_is_told_in_kazakh_with_labels(files):
    rows = (EXAMPLES / "registry.jsonl").read_text(encoding="utf-8")
    rows += '{"application": {}, "as_of": "31.12"}\n'
    result = run("diff", "--base", str(REPO / "rules"), "--candidate", str(files["two_year"]), "-",
                 "--as-of", AS_OF, stdin=rows.encode(), lang="kk_KZ.UTF-8")
    assert result.exit_code == 0, result.output
    assert "тексерілді" in result.output
    assert "bad_as_of (тексеру күні дұрыс емес) 1" in result.output
    assert not LATIN_WORD.search(_words_outside_codes(result.output)), result.output


def test_screen_batch_names_its_output_in_russian(files, tmp_path):
    target = tmp_path / "answers.jsonl"
    result = run("screen-batch", str(files["with_bad_line"]), "-o", str(target), "--workers", "1",
                 lang="ru_RU.UTF-8")
    assert result.exit_code == Exit.PARTIAL
    assert "see OUT" not in result.output
    assert f"Строк: 2; из них с описанием проблемы: 1; каждое стоит на месте своей строки в {target}." \
        in result.output


def test_errors_are_told_in_the_readers_language(files):
    result = run("screen", str(files["missing"]), lang="ru_RU.UTF-8")
    assert result.exit_code == Exit.CANNOT_RUN
    assert result.output.strip() == f"{files['missing']}: файл не читается (такого файла нет)"


def test_lint_findings_say_their_kind_in_russian_before_the_linters_words(files):
    result = run("lint", "--rules", str(files["lint_error"]), lang="ru_RU.UTF-8")
    assert result.exit_code == Exit.FOUND
    findings = [line for line in result.output.splitlines() if ": ошибка: " in line]
    assert findings and all(re.search(r"\.yaml:\d+: ошибка: [А-ЯЁ][^\[]+\. \[[a-z-]+\] ", line)
                            for line in findings), findings
    assert "Основание не входит в девять оснований п. 9" in result.output
    assert result.output.splitlines()[-1].endswith("ошибок: 2, предупреждений: 0 (проверено файлов: 11)")


@pytest.mark.parametrize(("args", "lang", "said"), [
    (["screen", "x.json", "--as-of", "20.03.2026"], "ru_RU.UTF-8",
     "Ошибка: неверное значение --as-of; допустимо: существующая дата в виде ГГГГ-ММ-ДД"),
    (["lint", "--rulez", "x"], "kk_KZ.UTF-8", "Қате: мұндай параметр жоқ: --rulez (мүмкін, --rules?)"),
    (["screen-batch", "x.jsonl", "-o", "y", "--workers", "0", "--lang", "kk"], "C.UTF-8",
     "Қате: --workers мәні дұрыс емес; болуы мүмкін: 1 не одан үлкен бүтін сан"),
    (["screen"], "ru_RU.UTF-8", "Ошибка: не указан FILE"),
])
def test_usage_errors_are_said_in_the_readers_language_and_exit_2(args, lang, said):
    result = run(*args, lang=lang)
    assert result.exit_code == Exit.USAGE
    assert said in result.output
    assert "Usage:" not in result.output and "Error:" not in result.output


@pytest.mark.parametrize("args", [
    ["screen", "{register}", "--as-of", AS_OF], ["lint"], ["test", str(FIXTURES)],
    ["diff", "--json", "--base", str(REPO / "rules"), "--candidate", str(REPO / "rules"), str(FIXTURES)],
], ids=["screen", "lint", "test", "diff"])
def test_a_standard_output_that_cannot_be_written_is_said_not_a_traceback(files, args):
    """``specreg ... > file`` on a full disk: status 5 and a sentence in the reader's language."""
    command = [str(Path(sys.executable).with_name("specreg")),
               *(arg.format(**{key: str(path) for key, path in files.items()}) for arg in args)]
    with open("/dev/full", "wb") as full:
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, check=False,
                              env={**os.environ, "LANG": "ru_RU.UTF-8"})
    assert done.returncode == Exit.CANNOT_RUN
    assert "стандартный вывод: не удаётся записать файл (на диске нет места)" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


@pytest.mark.parametrize(("lang", "said"), [
    ("ru_RU.UTF-8", "rules-2025.yaml:2: ошибка: Файл не читается как YAML. [yaml] is not valid YAML"),
    ("kk_KZ.UTF-8", "rules-2025.yaml:2: қате: Файл YAML ретінде оқылмайды. [yaml] is not valid YAML"),
    ("C.UTF-8", "rules-2025.yaml:2: error: is not valid YAML"),
])
@pytest.mark.parametrize("args", [["screen", "{register}"], ["screen-batch", "{with_bad_line}", "-o", "-"],
                                  ["test", str(FIXTURES)]], ids=["screen", "screen-batch", "test"])
def test_a_rule_directory_that_does_not_load_is_said_as_lint_says_it(files, args, lang, said):
    """The kind of error in the reader's words first, then its check and the loader's own words."""
    given = [arg.format(**{key: str(path) for key, path in files.items()}) for arg in args]
    result = run(*given, "--rules", str(files["broken"]), lang=lang)
    assert result.exit_code == Exit.CANNOT_RUN
    assert said in result.output


@pytest.mark.parametrize("lang", ["C.UTF-8", "kk_KZ.UTF-8", "ru_RU.UTF-8"])
def test_the_commands_are_listed_once(lang):
    heading = {"C.UTF-8": "Commands:", "kk_KZ.UTF-8": "Командалар:", "ru_RU.UTF-8": "Команды:"}[lang]
    text = run("-h", lang=lang).output
    assert text.count(heading) == 1
    assert all(text.count(f"  {command} ") == 1 for command in COMMANDS), text


@pytest.mark.parametrize("lang", ["kk_KZ.UTF-8", "ru_RU.UTF-8"])
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_in_the_readers_language_with_no_english_left(command, lang):
    """Every option's help and the description come from the catalog; none stays English."""
    args = [command, "-h"] if command else ["-h"]
    text = run(*args, lang=lang).output
    target = main.commands[command] if command else main
    english = [target.help.split("\n")[0], "Show this message and exit.", "Usage:", "Options:", "Commands:",
               "[default:", "[required]"]
    english += [param.help for param in target.params if getattr(param, "help", None)]
    left = [sentence for sentence in english if sentence and sentence[:40] in " ".join(text.split())]
    assert not left, left
    assert ("Параметры:" if lang.startswith("ru") else "Параметрлер:") in text
