"""The contract's JSON Schema compiled by jsonschema-rs: a fast yes/no before the full check.

Nearly every application the portal sends is valid, and for a valid one the
only question is "valid?". The ``jsonschema`` package answers it in 1.5-2.5
ms for a rich application (each keyword a Python call); jsonschema-rs, a
compiled validator of the same drafts, answers it in microseconds. So
:class:`specreg.validation.PayloadValidator` asks this one first and walks the
payload with ``jsonschema`` only when the answer is no, to list every error
with its pointer and code.

Both validators read the same schema file and call the same format functions
(:data:`specreg.validation.FORMATS`: their verdicts are one code path), and
``tests/test_compiled_schema.py`` holds them to the same verdict on every
fixture payload and on generated ones. The ``pattern`` keyword is ECMA-262 in
jsonschema-rs, which is what ``validation.schema_walk._pattern`` makes of Python's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import jsonschema_rs

FormatCheck = Callable[[object], bool]


def _verdict_only(check: FormatCheck) -> Callable[[str], bool]:
    """A format check that answers False instead of raising the error that names its code."""

    def verdict(value: str) -> bool:
        try:
            return bool(check(value))
        except ValueError:  # FormatCheckError: invalid, the full check names the code
            return False

    return verdict


class CompiledSchema:
    """A schema compiled once; ``is_valid`` is thread-safe and does not hold errors."""

    def __init__(self, schema: dict, formats: Mapping[str, FormatCheck]) -> None:
        wrapped = {name: _verdict_only(check) for name, check in formats.items()}
        self._validator = jsonschema_rs.Draft202012Validator(
            schema, formats=wrapped, validate_formats=True, ignore_unknown_formats=False
        )

    def is_valid(self, instance: object) -> bool:
        """The verdict; a value jsonschema-rs cannot take in (a lone surrogate) is "not valid",
        which sends the payload to the full check instead of out of the service as a 500."""
        try:
            return self._validator.is_valid(instance)
        except ValueError:  # UnicodeEncodeError: the normalising walk should have replaced it
            return False
