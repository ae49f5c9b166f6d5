"""The cross-field checks of contract section 1 (its last paragraph): the birth date against
the IIN, the order of dates, the registration channel's field, at least one contact.
"""

from __future__ import annotations

from collections.abc import Iterator

from specreg.identifiers import iin_birth_date, iin_check_digit_valid
from specreg.validation.errors import InputError, pointer
from specreg.validation.formats import parse_date

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
