"""The payload contract (contract section 1) and the input errors it yields.

A payload that breaks section 1 is answered 422 with every error at once, each
as ``{pointer, code, message}``. The codes are a stable vocabulary documented at
the top of ``rules/messages/input_errors.yaml``. An error never carries the
offending value (it may be personal data), only the field and the rule's
parameters.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import phonenumbers
import yaml
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError, best_match
from rfc3339_validator import validate_rfc3339

from specreg import paths
from specreg.compiled_schema import CompiledSchema
from specreg.identifiers import bin_check_digit_valid, iin_birth_date, iin_check_digit_valid
from specreg.normalising import normalised_copy, surrogate_paths, walk_plan

LANGUAGES = ("kk", "ru", "en")
MESSAGES_FILE = Path("messages") / "input_errors.yaml"


@dataclass(frozen=True)
class InputError:
    """One breach of the payload contract; ``params`` never holds the value."""

    pointer: str  # RFC 6901 JSON Pointer into the payload, "" for the root
    code: str  # stable vocabulary, see rules/messages/input_errors.yaml
    params: dict = field(default_factory=dict, hash=False)


MAX_NAMED_UNKNOWN = 100  # unknown properties of one object built as errors; the rest are counted


class InputErrors(list):
    """Input errors sorted by pointer, and ``unlisted``: how many more were counted, not built.

    An object with 100,000 unknown keys is 100,000 errors; building, sorting and
    localising each cost a second of CPU. Only the first ``MAX_NAMED_UNKNOWN`` of one
    object (in pointer order) can be among the first 100 errors a 422 lists, so only
    they are built; the others are counted in ``unlisted`` (all ``unknown_property``).
    """

    unlisted: int = 0


# --- custom formats -------------------------------------------------------


class FormatCheckError(ValueError):
    """Raised by a format check to name a more specific code than ``format``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_EMAIL = re.compile(
    rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}"
)
_MOBILE = re.compile(r"\+77[0-9]{9}")
_ONE_DAY = timedelta(days=1)


def parse_date(value: object) -> date | None:
    """A strict ``YYYY-MM-DD`` that exists, else None (``fromisoformat`` is laxer)."""
    if not isinstance(value, str) or _DATE.fullmatch(value) is None:
        return None
    try:
        return date.fromisoformat(value)  # the shape is settled: a day that exists, or not
    except ValueError:
        return None


def check_date(value: object) -> bool:
    """Format ``date``: YYYY-MM-DD (ASCII digits), and the day must exist."""
    if not isinstance(value, str):
        return True
    if _DATE.fullmatch(value) is None:
        return False
    if parse_date(value) is None:
        raise FormatCheckError("invalid_date")
    return True


def check_date_time(value: object) -> bool:
    """Format ``date-time``: RFC 3339 with Z or an offset, that Python can also parse.

    ``fromisoformat`` is the parser the rules use later, so what it rejects
    (a leap second, an offset of 24 hours) is rejected here rather than there.
    """
    if not isinstance(value, str):
        return True
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    check_date(match.group(1))
    if not validate_rfc3339(value):
        return False
    try:
        moment = datetime.fromisoformat(value)
        # An instant every time zone can show: the rules convert to Asia/Almaty.
        for shifted in (moment - _ONE_DAY, moment + _ONE_DAY):
            shifted.astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


def check_email(value: object) -> bool:
    """Format ``email``: ``local@domain.tld`` in ASCII, as the contract describes it."""
    if not isinstance(value, str):
        return True
    match = _EMAIL.fullmatch(value)
    return match is not None and len(match.group("local")) <= 64


def check_kz_mobile(value: object) -> bool:
    """Format ``kz-mobile``: E.164 ``+77XXXXXXXXX`` in a Kazakhstan mobile range.

    The shape is a ``format`` failure; a well-formed number that ``phonenumbers``
    does not know as a KZ mobile (a landline, an unassigned range) is ``not_mobile``.
    """
    if not isinstance(value, str):
        return True
    if _MOBILE.fullmatch(value) is None:
        return False
    # The shape is settled, so the number is built, not parsed: equal to what
    # ``phonenumbers.parse`` returns (tested), at half the cost.
    number = phonenumbers.PhoneNumber(country_code=7, national_number=int(value[2:]))
    if not (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == "KZ"
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    ):
        raise FormatCheckError("not_mobile")
    return True


def _is_twelve_digits(value: object) -> bool:
    """The shape of an IIN/BIN; its breach is reported by the schema's pattern."""
    return isinstance(value, str) and re.fullmatch(r"[0-9]{12}", value) is not None


def check_iin(value: object) -> bool:
    """Format ``iin``: check digit, then a real century digit and birth date."""
    if not _is_twelve_digits(value):
        return True
    if not iin_check_digit_valid(value):
        raise FormatCheckError("check_digit")
    if iin_birth_date(value) is None:
        raise FormatCheckError("iin_birth_date")
    return True


def check_bin(value: object) -> bool:
    """Format ``bin``: the check digit (the structure of a BIN is not checked)."""
    if _is_twelve_digits(value) and not bin_check_digit_valid(value):
        raise FormatCheckError("check_digit")
    return True


FORMATS = {
    "date": check_date,
    "date-time": check_date_time,
    "email": check_email,
    "kz-mobile": check_kz_mobile,
    "iin": check_iin,
    "bin": check_bin,
}


def format_checker() -> FormatChecker:
    """A checker with exactly our formats (not jsonschema's laxer defaults)."""
    checker = FormatChecker(formats=())
    for name, function in FORMATS.items():
        checker.checks(name, raises=FormatCheckError)(function)
    return checker


# --- the validator --------------------------------------------------------


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> tuple[re.Pattern[str], bool]:
    """Compile once; an ``^...$`` pattern is matched whole (see ``_pattern``)."""
    anchored = pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$")
    return re.compile(pattern), anchored


def _pattern(
    validator: Any, pattern: str, instance: object, schema: dict
) -> Iterator[ValidationError]:
    """``pattern`` with ECMA-262's ``$``: Python's also matches before a final newline."""
    if not validator.is_type(instance, "string"):
        return
    regex, anchored = _compiled(pattern)
    found = regex.fullmatch(instance) if anchored else regex.search(instance)
    if found is None:
        yield ValidationError("does not match the pattern")


_ITEMS = Draft202012Validator.VALIDATORS["items"]


def _items(validator: Any, items: object, instance: object, schema: dict) -> Iterator[ValidationError]:
    """``items``, except over an array already longer than its ``maxItems``: that array is refused
    by ``maxItems`` alone, and its items are not walked (a body of 150,000 ``{}`` once cost 30 s)."""
    limit = schema.get("maxItems")
    if isinstance(instance, list) and isinstance(limit, int) and len(instance) > limit:
        return
    yield from _ITEMS(validator, items, instance, schema)


_ADDITIONAL = Draft202012Validator.VALIDATORS["additionalProperties"]


def _additional_properties(validator: Any, allowed: object, instance: object, schema: dict
                           ) -> Iterator[ValidationError]:
    """``additionalProperties: false`` as one short error: jsonschema's own message quotes every
    unknown key (``_unexpected`` lists them from the instance)."""
    if allowed is not False or not validator.is_type(instance, "object"):
        yield from _ADDITIONAL(validator, allowed, instance, schema)
        return
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    if any(key not in known and not any(re.search(p, key) for p in patterns) for key in instance):
        yield ValidationError("unknown properties")


_Validator = validators.extend(Draft202012Validator, {
    "pattern": _pattern, "items": _items, "additionalProperties": _additional_properties})

_LENGTH_CODES = {
    "maxLength": "too_long",
    "minLength": "too_short",
    "maxItems": "too_many",
    "minItems": "too_few",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "minimum",
    "exclusiveMaximum": "maximum",
}


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
        path = schema_path or paths.schemas_dir() / "application.schema.json"
        self._schema: dict = json.loads(Path(path).read_text(encoding="utf-8"))
        _Validator.check_schema(self._schema)
        inlined = _inline_refs(self._schema, self._schema)
        self._validator = _Validator(inlined, format_checker=format_checker())
        self._walk_plan = walk_plan(inlined)
        self.compiled_schema = CompiledSchema(self._schema, FORMATS)

    def normalise(self, payload: object) -> object:
        """A copy with free-text strings trimmed (NFC) and empty ones removed.

        Contract section 1: free text is trimmed and an empty string counts as
        missing, so a required one then fails ``required`` and an optional one is
        simply absent. Identifiers, codes and enum values are left exactly as sent.
        Two more things make the copy safe to hand to any stage (see :mod:`specreg.normalising`):
        a lone surrogate becomes U+FFFD, and an array longer than its ``maxItems``
        keeps only ``maxItems + 1`` items, enough to fail that keyword
        (:mod:`specreg.normalising`).
        """
        return normalised_copy(payload, self._walk_plan, [])

    def check(self, payload: object) -> tuple[object, InputErrors]:
        """The normalised payload and every input error in it."""
        unencodable: list[None] = []
        normalised = normalised_copy(payload, self._walk_plan, unencodable)
        found = [InputError(pointer(path), "pattern")
                 for path in (surrogate_paths(payload, self._walk_plan) if unencodable else [])]
        unlisted = [0]
        valid = not found and self.compiled_schema.is_valid(normalised)
        if not valid:
            found.extend(self.schema_errors(normalised, unlisted))
        found.extend(cross_field_errors(normalised))
        errors = InputErrors(_sorted_unique(found))
        errors.unlisted = unlisted[0]
        return normalised, errors

    def schema_errors(self, normalised: object, unlisted: list[int] | None = None) -> list[InputError]:
        """Every breach of the schema, each with its pointer and code (``jsonschema``'s walk).

        Past ``MAX_NAMED_UNKNOWN`` unknown properties in one object, the rest are only
        counted, in ``unlisted[0]`` (see :class:`InputErrors`).
        """
        counter = unlisted if unlisted is not None else [0]
        return [found for error in self._validator.iter_errors(normalised)
                for found in _from_schema_error(error, counter)]

    def errors(self, payload: object) -> list[InputError]:
        """Every input error of the payload (raw or normalised), sorted by pointer, then code."""
        return self.check(payload)[1]


# -- the schema with its references inlined --


def _inline_refs(node: Any, root: dict, depth: int = 0) -> Any:
    """The schema with every local ``$ref`` replaced by its target (merged with its siblings)."""
    if depth > 32:
        raise ValueError("the schema's $ref chain is too deep (recursive?)")
    if isinstance(node, list):
        return [_inline_refs(item, root, depth) for item in node]
    if not isinstance(node, dict):
        return node
    resolved = {key: _inline_refs(value, root, depth) for key, value in node.items() if key != "$ref"}
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#"):
        return node if ref is not None else resolved
    target = _inline_refs(_lookup(root, ref), root, depth + 1)
    if not isinstance(target, dict):
        return node
    if set(target) & set(resolved):
        return {**resolved, "allOf": [*resolved.get("allOf", []), target]}
    return {**target, **resolved}


def _lookup(root: dict, ref: str) -> object:
    """Resolve a local reference such as ``#/$defs/date``."""
    node: object = root
    for token in ref[1:].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node.get(token) if isinstance(node, dict) else None
    return node


# --- jsonschema errors to input errors ------------------------------------


def pointer(tokens: Iterable[object]) -> str:
    """RFC 6901 JSON Pointer of a path (``~`` and ``/`` escaped)."""
    return "".join("/" + _escaped(str(t)) for t in tokens)


def _escaped(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1") if "~" in token or "/" in token else token


def _from_schema_error(error: ValidationError, unlisted: list[int]) -> list[InputError]:
    """One jsonschema error as input errors at the right pointer with a stable code."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        return _from_schema_error(best_match(error.context), unlisted)
    path = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    override = schema.get("x-error-code")
    if error.validator == "required":
        return [
            InputError(pointer([*path, name]), override or "required") for name in _missing(error)
        ]
    if error.validator == "additionalProperties":  # one error for every unknown key (maybe 100,000)
        base, names = pointer(path), _unexpected(error)
        named = _first_in_pointer_order(names, MAX_NAMED_UNKNOWN)
        unlisted[0] += len(names) - len(named)
        return [InputError(base + "/" + _escaped(name), "unknown_property") for name in named]
    code, params = _code_and_params(error)
    return [InputError(pointer(path), override or code, params)]


def _first_in_pointer_order(names: list[str], count: int) -> list[str]:
    """The ``count`` names that come first as pointer tokens: array-index-like ones by number, first."""
    if len(names) <= count:
        return names
    indices = [name for name in names if name.isdigit() and name.isascii()]
    others = heapq.nsmallest(count, names) if not indices else heapq.nsmallest(
        count, [name for name in names if not (name.isdigit() and name.isascii())])
    return (heapq.nsmallest(count, indices, key=int) + others)[:count]


def _missing(error: ValidationError) -> list[str]:
    """The required properties absent from the object (jsonschema names one per error)."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [name for name in error.validator_value if name not in instance]


def _unexpected(error: ValidationError) -> list[str]:
    """The keys neither ``properties`` nor ``patternProperties`` of the schema allow."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    instance = error.instance if isinstance(error.instance, dict) else {}
    if not patterns:
        return [k for k in instance if k not in known]
    return [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]


def _code_and_params(error: ValidationError) -> tuple[str, dict]:
    """Code and params for a single-pointer keyword; the value itself is never copied."""
    keyword, limit = error.validator, error.validator_value
    if keyword == "type":
        expected = [limit] if isinstance(limit, str) else list(limit)
        return ("null_not_allowed" if error.instance is None else "type"), {"expected": expected}
    if keyword == "enum":
        return "enum", {"allowed": list(limit)}
    if keyword == "const":
        return "enum", {"allowed": [limit]}
    if keyword == "format":
        code = getattr(error.cause, "code", "format")
        return code, ({"format": limit} if code == "format" else {})
    if keyword == "pattern":
        return "pattern", {}
    if keyword in _LENGTH_CODES:
        return _LENGTH_CODES[keyword], {"limit": limit}
    return "invalid", {}


# --- cross-field checks (contract section 1, last paragraph) ---------------

# (path to the object or array, is an array, earlier field, later field)
_DATE_ORDER = (
    (("applicant", "license"), False, "issued_on", "valid_until"),
    (("specialist", "education"), True, "started_on", "finished_on"),
    (("specialist", "employment"), True, "started_on", "ended_on"),
    (("documents",), True, "issued_on", "valid_until"),
    (("verifications", "court_decisions"), True, "in_force_on", "ends_on"),
)
_CHANNEL_FIELDS = {"phone": "phone", "email": "email"}


def cross_field_errors(payload: object) -> list[InputError]:
    """The checks a schema cannot say; each runs only on values that are well formed."""
    if not isinstance(payload, dict):
        return []
    return [
        *_birth_date_errors(payload),
        *_date_order_errors(payload),
        *_channel_errors(payload),
        *_contact_errors(payload),
    ]


def _get(node: object, *keys: str) -> object:
    """``node[k1][k2]...`` or None when any level is missing or not an object."""
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _birth_date_errors(payload: dict) -> list[InputError]:
    """specialist.birth_date must equal the date encoded in a (valid) IIN."""
    iin = _get(payload, "specialist", "iin")
    born = parse_date(_get(payload, "specialist", "birth_date"))
    encoded = iin_birth_date(iin) if iin_check_digit_valid(iin) else None
    if born is None or encoded is None or born == encoded:
        return []
    return [InputError("/specialist/birth_date", "iin_birth_date", {"iin": "/specialist/iin"})]


def _objects(payload: dict, path: tuple[str, ...], is_array: bool) -> Iterator[tuple[list, dict]]:
    """The objects at ``path`` (each item of an array), with their own paths."""
    node = _get(payload, *path)
    if not is_array:
        if isinstance(node, dict):
            yield list(path), node
        return
    for index, item in enumerate(node if isinstance(node, list) else []):
        if isinstance(item, dict):
            yield [*path, index], item


def _date_order_errors(payload: dict) -> list[InputError]:
    """An end date before its start date, reported on the later field."""
    found = []
    for path, is_array, earlier, later in _DATE_ORDER:
        for where, item in _objects(payload, path, is_array):
            start, end = parse_date(item.get(earlier)), parse_date(item.get(later))
            if start is not None and end is not None and start > end:
                params = {"earlier": pointer([*where, earlier])}
                found.append(InputError(pointer([*where, later]), "date_order", params))
    return found


def _channel_errors(payload: dict) -> list[InputError]:
    """p.8: the registration channel's own field (phone or email) must be given."""
    registration = _get(payload, "applicant", "registration")
    if not isinstance(registration, dict):
        return []
    channel = registration.get("channel")
    wanted = _CHANNEL_FIELDS.get(channel) if isinstance(channel, str) else None
    if wanted is None or wanted in registration:
        return []
    where = pointer(["applicant", "registration", wanted])
    return [InputError(where, "channel_field_required", {"channel": channel})]


def _contact_errors(payload: dict) -> list[InputError]:
    """The specialist must be reachable: a mobile phone or an e-mail."""
    contacts = _get(payload, "specialist", "contacts")
    if not isinstance(contacts, dict) or "mobile_phone" in contacts or "email" in contacts:
        return []
    return [InputError("/specialist/contacts", "contact_required")]


def _pointer_key(error: InputError) -> tuple:
    """Sort key: pointer tokens (array indices numerically), then the code."""
    parent, _, token = error.pointer.rpartition("/")
    if not error.pointer:
        return (), error.code
    return (*_tokens_key(parent), _token_key(token)), error.code


@lru_cache(maxsize=1024)
def _tokens_key(pointer_text: str) -> tuple:
    """The key of a parent pointer, kept: an object's many errors share it."""
    parent, _, token = pointer_text.rpartition("/")
    return (*_tokens_key(parent), _token_key(token)) if pointer_text else ()


def _token_key(token: str) -> tuple:
    return (0, int(token), "") if token.isdigit() and token.isascii() else (1, 0, token)


def _sorted_unique(errors: Iterable[InputError]) -> list[InputError]:
    """Deterministic order, one error per (pointer, code)."""
    unique: dict[tuple[str, str], InputError] = {}
    for error in errors:
        unique.setdefault((error.pointer, error.code), error)
    return sorted(unique.values(), key=_pointer_key)


# --- messages -------------------------------------------------------------


@lru_cache(maxsize=4)
def _load_messages(path: Path) -> dict:
    """The message file, read once per path."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _messages() -> dict:
    """The rule directory's messages, or the repository's when it has none."""
    path = paths.rules_dir() / MESSAGES_FILE
    if not path.is_file():
        path = paths.REPO_ROOT / "rules" / MESSAGES_FILE
    return _load_messages(path)


class _Template(dict):
    """Leaves an unknown ``{placeholder}`` as it is instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _pick(texts: object, lang: str) -> str:
    """A text in ``lang``, else English, else Russian."""
    if not isinstance(texts, dict):
        return str(texts)
    return str(texts.get(lang) or texts.get("en") or texts.get("ru") or "")


def _render(name: str, value: object, catalog: dict, lang: str) -> str:
    """A param as text: type and format names localised, lists joined."""
    table = catalog.get({"expected": "types", "format": "formats"}.get(name, ""), {})
    values = value if isinstance(value, list | tuple) else [value]
    return ", ".join(
        _pick(table[v], lang) if isinstance(v, str) and v in table else str(v) for v in values
    )


def localise(error: InputError, lang: str) -> str:
    """The error's message in ``lang`` (kk, ru or en), naming the field, never the value."""
    catalog = _messages()
    texts = catalog["messages"].get(error.code) or catalog["messages"]["invalid"]
    values = {name: _render(name, value, catalog, lang) for name, value in error.params.items()}
    values["field"] = error.pointer or _pick(catalog["root"], lang)
    return _pick(texts, lang).format_map(_Template(values))
