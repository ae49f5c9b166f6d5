"""The message catalogs of the rule directory: error answers and input errors, in kk, ru and en.

They are rule data (``rules/messages/``), so they are read with the rest of
the directory by :class:`specreg.rule_directory.RuleDirectory` and replaced
with it on reload; no module keeps a copy of its own. Placeholders are filled
by the service and never carry a value from the payload.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from specreg.i18n import LANGUAGES, local_date
from specreg.jsonbody import JsonFault
from specreg.validation import InputError


class ProblemCatalog:
    """Titles and details of the problem documents (RFC 9457), by kind (``messages/problems.yaml``)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._entries: dict[str, dict[str, Any]] = data["problems"]
        self._reload_errors: dict[str, dict[str, str]] = data.get("reload_errors", {})
        self._reload_detail: dict[str, str] | None = data.get("reload_error_detail")
        self._json_faults: dict[str, dict[str, str]] = data["json_faults"]  # every key: the schema
        self._http_reasons: dict[str, dict[str, str]] = data["http_reasons"]

    def __contains__(self, kind: str) -> bool:
        return kind in self._entries

    def body(self, kind: str, language: str, status: int | None = None, **params: Any) -> dict[str, Any]:
        """The problem document of one kind in one language; a date parameter is written as it reads."""
        entry = self._entries[kind]
        values = {name: self._shown(value, language) for name, value in params.items()}
        return {
            "type": f"urn:specreg:problem:{kind}",
            "title": entry["title"][language],
            "status": status or entry["status"],
            "detail": entry["detail"][language].format(**values),
        }


    def json_fault_text(self, fault: JsonFault, language: str) -> str:
        """Why a body is not JSON, in ``language``, with its line and column when it has them."""
        said = self._json_faults[fault.key][language]
        if fault.line is None:
            return said
        return self._json_faults["at"][language].format(fault=said, line=fault.line, column=fault.column)

    def http_reason(self, status: int, language: str) -> str:
        """What an answer the front gives by itself says of its status, in ``language``."""
        return self._http_reasons[str(status)][language]

    def _shown(self, value: Any, language: str) -> Any:
        """A parameter as the detail shows it: a date as the language writes it, a JSON fault in words."""
        if isinstance(value, JsonFault):
            return self.json_fault_text(value, language)
        return local_date(value, language) if isinstance(value, date) else value

    def reload_error_text(self, check: str | None, language: str) -> str:
        """What one kind of rule-directory error (a lint check) means, in ``language``."""
        texts = self._reload_errors
        entry = texts.get(check or "other") or texts.get("other")
        return entry[language] if entry else str(check)


    def reload_error_detail(self, check: str | None, language: str) -> str:
        """Where to look for one error of a failed reload, in ``language``: its check, never the file."""
        template = self._reload_detail[language] if self._reload_detail else "{check}"
        return template.format(check=check or "other")


class _Template(dict):
    """Leaves an unknown ``{placeholder}`` as it is instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class InputErrorCatalog:
    """The messages of the 422 input errors by code (``messages/input_errors.yaml``)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def localise(self, error: InputError, lang: str) -> str:
        """The error's message in ``lang`` (kk, ru or en), naming the field, never the value."""
        messages = self._data["messages"]
        texts = messages.get(error.code) or messages["invalid"]
        values = {name: self._render(name, value, lang) for name, value in error.params.items()}
        values["field"] = error.pointer or self._data["root"][lang]
        return texts[lang].format_map(_Template(values))

    def entries(self, errors: list[InputError], lang: str) -> list[dict[str, str]]:
        """The 422 ``errors`` entries in one language."""
        return [{"pointer": e.pointer, "code": e.code, "message": self.localise(e, lang)} for e in errors]

    def _render(self, name: str, value: object, lang: str) -> str:
        """A param as text: type and format names localised, lists joined."""
        table = self._data.get({"expected": "types", "format": "formats"}.get(name, ""), {})
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(
            table[v][lang] if isinstance(v, str) and v in table else str(v) for v in values
        )


__all__ = ["LANGUAGES", "InputErrorCatalog", "ProblemCatalog"]
