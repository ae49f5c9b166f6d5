"""Lint of the message catalogs (``rules/messages/*.yaml``): every text in kk and ru.

A kk or ru reader must see only their language, so a message or a label that
lacks one of them, or has it empty, is an error wherever it sits in a
catalog: any mapping whose keys are languages (``kk``, ``ru``, ``en``) is a
text. The placeholders (``{count}``) must be the same in every language of a
text, or one language would print a literal brace or drop a number. The
catalogs with a schema are checked against it as well (:mod:`.lint`); this
check covers those without one (``problems.yaml``, ``input_errors.yaml``)
in the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from specreg.i18n import READER_LANGUAGES
from specreg.rulecheck.ruleset_lint import Problem

LANGUAGES = frozenset({"kk", "ru", "en"})
REQUIRED = READER_LANGUAGES
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


def catalog_problems(data: Any, path: tuple = ()) -> Iterator[Problem]:
    """Every text of a catalog without a kk or ru version, or whose languages' placeholders differ."""
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from catalog_problems(item, (*path, index))
        return
    if not isinstance(data, dict):
        return
    keys = set(data)
    if keys and keys <= LANGUAGES:
        yield from _text_problems(data, path)
        return
    for key, value in data.items():
        yield from catalog_problems(value, (*path, key))


def _text_problems(text: dict[str, Any], path: tuple) -> Iterator[Problem]:
    where = ".".join(str(part) for part in path) or "(top level)"
    for language in REQUIRED:
        value = text.get(language)
        if not isinstance(value, str) or not value.strip():
            yield Problem(path, "message-language",
                          f"{where}: no {language} text (a {language} reader would see another language)")
    names = {language: set(PLACEHOLDER.findall(value)) for language, value in text.items()
             if isinstance(value, str)}
    if len({frozenset(found) for found in names.values()}) > 1:
        told = "; ".join(f"{language}: {sorted(found)}" for language, found in sorted(names.items()))
        yield Problem(path, "message-placeholders",
                      f"{where}: the languages name different placeholders ({told})")
