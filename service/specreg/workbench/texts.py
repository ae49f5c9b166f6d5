"""The command line's human text in the reader's language (``rules/messages/cli.yaml``).

A kk or ru reader of ``specreg test``, ``diff``, ``lint``, ``screen-batch`` and
``registry-export`` sees only their language: the tables, the differences,
the impact summaries and the errors all come from the catalog. A code a
person reads appears with its label (``return (вернуть на доработку)``);
JSON output keeps the bare codes. The catalog is read when a command starts,
through the rule directory's reader (:class:`specreg.rule_directory.RuleFiles`),
from the directory the command is given; a directory whose catalogs cannot be
read (the one ``lint`` is checking, say) falls back to the shipped ``rules/``
so that its errors can still be told.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from specreg.data_files import DataFileError
from specreg.i18n import LANGUAGES
from specreg.messages import ProblemCatalog
from specreg.paths import DEFAULT_RULES_DIR
from specreg.rulecheck.lint import Finding

CATALOG = Path("messages") / "cli.yaml"
DEFAULT_LANGUAGE = "en"


def locale_language(value: str | None) -> str | None:
    """The language a locale name such as ``kk_KZ.UTF-8`` or ``ru`` gives, if one of ours."""
    if not value:
        return None
    primary = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return primary if primary in LANGUAGES else None


@dataclass(frozen=True)
class Texts:
    """The catalog in one language: ``texts("key", name=value)`` and ``texts.label(code)``."""

    language: str
    texts: dict[str, dict[str, str]]
    labels: dict[str, dict[str, str]]
    helps: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    problems: ProblemCatalog | None = None

    @classmethod
    def load(cls, language: str, rules: Path | None = None) -> Texts:
        from specreg.rule_directory import RuleFiles  # the one reader of rule-directory files

        for directory in dict.fromkeys((rules or DEFAULT_RULES_DIR, DEFAULT_RULES_DIR)):
            files = RuleFiles(Path(directory))
            try:
                catalog = files.data(CATALOG, "cli.schema.json")
                problems = ProblemCatalog(files.data("messages/problems.yaml", "problems.schema.json"))
            except DataFileError:
                continue
            return cls(language, catalog["texts"], catalog["labels"], catalog.get("help", {}), problems)
        raise DataFileError(DEFAULT_RULES_DIR / CATALOG, "the command line's texts cannot be read")

    def reload_error(self, check: str | None) -> str:
        """What one kind of rule-directory error (a lint check) means, in the reader's language."""
        return self.problems.reload_error_text(check, self.language) if self.problems else str(check)

    def finding(self, finding: Finding) -> str:
        """``FILE:LINE: error: ...``: in kk and ru the kind of finding in the reader's words first,
        its check code and the linter's technical words (English) after; in English as ever."""
        if self.language == DEFAULT_LANGUAGE:
            return str(finding)
        return self("lint_finding", where=f"{finding.file}:{finding.line}", check=finding.check,
                    severity=self(f"severity_{finding.severity}"), detail=finding.message,
                    meaning=self.reload_error(finding.check))

    def data_file_error(self, error: DataFileError) -> str:
        """A rule file that does not load, said as lint says a finding (English as ever)."""
        if self.language == DEFAULT_LANGUAGE:
            return str(error)
        return self.finding(Finding(str(error.file), error.line or 1, "error", error.check, error.detail))

    def help(self, command: str, key: str) -> str | None:
        """A command's help text (``about``, or a parameter's name) in kk or ru; None in English."""
        entry = self.helps.get(command, {}).get(key)
        return entry.get(self.language) if entry else None

    def __call__(self, key: str, **params: Any) -> str:
        return self.texts[key][self.language].format(**params)

    def label(self, code: Any) -> str:
        """``code (label)`` where the catalog names the code, else the code alone."""
        entry = self.labels.get(str(code))
        if entry is None or self.language == DEFAULT_LANGUAGE:  # English codes read as English
            return str(code)
        return f"{code} ({entry[self.language]})"

    def os_reason(self, error: OSError) -> str:
        """Why a file cannot be used, in the reader's words (the OS's own text is English)."""
        key = {errno.ENOENT: "os_not_found", errno.EACCES: "os_denied", errno.EPERM: "os_denied",
               errno.EISDIR: "os_is_directory", errno.ENOSPC: "os_no_space",
               errno.EDQUOT: "os_no_space"}.get(error.errno or 0, "os_other")
        return self(key, errno=error.errno)

    def name(self, key: str) -> str:
        """A field's name (``outcome``, ``decision_due``) as the reader says it."""
        entry = self.labels.get(key)
        return entry[self.language] if entry else key

    def day(self, value: Any) -> str:
        """A YYYY-MM-DD day as the language writes it: DD.MM.YYYY in kk and ru."""
        if self.language == DEFAULT_LANGUAGE or not isinstance(value, str):
            return str(value)
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value

    def codes(self, codes: Any) -> str:
        """A list of codes with their labels, or the word for none."""
        if not codes:
            return self("nothing")
        if isinstance(codes, (list, tuple)):
            return ", ".join(self.label(code) for code in codes)
        return str(codes)
