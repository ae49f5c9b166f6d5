"""The payload contract (contract section 1) and the input errors it yields.

A payload that breaks section 1 is answered 422 with its errors, each as
``{pointer, code, message}``. The package is four modules a newcomer can read
apart: :mod:`.formats` (the format checks), :mod:`.schema_walk` (the schema walk
and jsonschema's errors as input errors), :mod:`.cross_field` (the cross-field
checks) and :mod:`.errors` (input errors and their order); their messages are the
input-error catalog's (:class:`specreg.messages.InputErrorCatalog`).
:class:`PayloadValidator` runs them in that order.
"""

from __future__ import annotations

import json
from pathlib import Path

from specreg import paths
from specreg.compiled_schema import CompiledSchema
from specreg.validation.cross_field import cross_field_errors
from specreg.validation.errors import MAX_NAMED_UNKNOWN, InputError, InputErrors, pointer, sorted_unique
from specreg.validation.formats import FORMATS, format_checker
from specreg.validation.schema_walk import (
    Validator,
    compile_walk,
    from_schema_error,
    inline_refs,
    surrogate_errors,
    trim_plan,
)

__all__ = ["FORMATS", "MAX_NAMED_UNKNOWN", "InputError", "InputErrors", "PayloadValidator", "pointer"]


class PayloadValidator:
    """Checks an application against contract section 1, reporting every breach."""

    def __init__(self, schema_path: Path | None = None) -> None:
        """Load and check the schema once; validating is then cheap and thread-safe.

        Local ``$ref``s are inlined here: resolving them on every request was a
        third of the validation time. The same schema is also compiled by
        jsonschema-rs (:mod:`specreg.compiled_schema`), which settles a valid
        payload in a fraction of the time; ``jsonschema`` then only walks the
        payloads that break the contract, to list their errors.
        """
        path = schema_path or paths.SCHEMAS_DIR / "application.schema.json"
        self._schema: dict = json.loads(Path(path).read_text(encoding="utf-8"))
        # first: jsonschema-rs checks the schema against its metaschema as it compiles it (a
        # millisecond, where jsonschema's own check_schema took 45 ms of every start and reload)
        self.compiled_schema = CompiledSchema(self._schema, FORMATS)
        inlined = inline_refs(self._schema, self._schema)
        self._validator = Validator(inlined, format_checker=format_checker())
        self._trim_plan = trim_plan(inlined)
        self._walk = compile_walk(self._trim_plan)

    def normalise(self, payload: object) -> object:
        """A copy with free-text strings trimmed (NFC) and empty ones removed.

        Contract section 1: free text is trimmed and an empty string counts as
        missing, so a required one then fails ``required`` and an optional one is
        simply absent. Identifiers, codes and enum values are left exactly as sent.
        Two more things make the copy safe to hand to any stage (see :func:`.compile_walk`):
        a lone surrogate becomes U+FFFD, and an array longer than its ``maxItems``
        keeps only ``maxItems + 1`` items, enough to fail that keyword.
        """
        return self._walk(payload, [])

    def check(self, payload: object) -> tuple[object, InputErrors]:
        """The normalised payload and every input error in it."""
        unencodable: list[None] = []
        normalised = self._walk(payload, unencodable)
        found = surrogate_errors(payload, self._trim_plan) if unencodable else []
        unlisted = [0]
        valid = not found and self.compiled_schema.is_valid(normalised)
        if not valid:
            found.extend(self.schema_errors(normalised, unlisted))
        found.extend(cross_field_errors(normalised))
        errors = InputErrors(sorted_unique(found))
        errors.unlisted = unlisted[0]
        return normalised, errors

    def schema_errors(self, normalised: object, unlisted: list[int] | None = None) -> list[InputError]:
        """Every breach of the schema, each with its pointer and code (``jsonschema``'s walk).

        Past ``MAX_NAMED_UNKNOWN`` unknown properties in one object, the rest are only
        counted, in ``unlisted[0]`` (see :class:`InputErrors`).
        """
        counter = unlisted if unlisted is not None else [0]
        return [found for error in self._validator.iter_errors(normalised)
                for found in from_schema_error(error, counter)]

    def errors(self, payload: object) -> list[InputError]:
        """Every input error of the payload (raw or normalised), sorted by pointer, then code."""
        return self.check(payload)[1]
