"""The cross-field checks of contract section 1 (its last paragraph): the birth date against
the IIN, the order of dates, the registration channel's field, at least one contact.
"""

from __future__ import annotations

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
    """specialist.birth_date must equal the date encoded in a (valid) IIN.

    The check digit is computed last: only a birth date that differs from the IIN's
    needs it, and on a valid application they agree.
    """
    specialist = payload.get("specialist")
    if not isinstance(specialist, dict):
        return []
    born = parse_date(specialist.get("birth_date"))
    if born is None:
        return []
    iin = specialist.get("iin")
    encoded = iin_birth_date(iin)
    if encoded is None or encoded == born or not iin_check_digit_valid(iin):
        return []
    return [InputError("/specialist/birth_date", "iin_birth_date", {"iin": "/specialist/iin"})]


def _date_order_errors(payload: dict) -> list[InputError]:
    """An end date before its start date, reported on the later field."""
    found = []
    for path, is_array, earlier, later in _DATE_ORDER:
        node = _get(payload, *path)
        if not is_array:
            if isinstance(node, dict) and _out_of_order(node.get(earlier), node.get(later)):
                found.append(_date_order_error(list(path), earlier, later))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, dict) and _out_of_order(item.get(earlier), item.get(later)):
                    found.append(_date_order_error([*path, index], earlier, later))
    return found


def _out_of_order(start: object, end: object) -> bool:
    """Whether both are dates that exist and ``end`` is before ``start``.

    Two strict ``YYYY-MM-DD`` strings compare as text as their days do, so only a
    pair out of order as text is parsed, to see that both are dates; most ends are
    absent or later, and are settled without parsing either.
    """
    return (isinstance(start, str) and isinstance(end, str) and start > end
            and parse_date(start) is not None and parse_date(end) is not None)


def _date_order_error(where: list, earlier: str, later: str) -> InputError:
    return InputError(pointer([*where, later]), "date_order", {"earlier": pointer([*where, earlier])})


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
