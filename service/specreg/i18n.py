"""Languages: which ones specreg speaks, which one an answer speaks, and how a date reads in it.

Defined here once. ``LANGUAGES`` are the answer languages (contract section
6); ``READER_LANGUAGES`` are the two the Rules keep the registry in (p.4),
which the administrators read and the registry form, quotes and page use.
``Accept-Language`` decides, with q-values and region tags honoured
(``ru-RU`` is ``ru``, ``kk-KZ`` is ``kk``); a header that names no supported
language, or only ``*``, leaves the choice to the fallback (the application's
``language``). Werkzeug parses the header; the choice is made here because
Werkzeug's ``best_match`` prefers an exact tag of lower quality over a region
tag of higher quality (``kk-KZ, ru;q=0.5`` would give ``ru``).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGES = ("kk", "ru", "en")
READER_LANGUAGES = ("kk", "ru")
DEFAULT_LANGUAGE = "ru"


@lru_cache(maxsize=512)
def negotiate(accept_language: str | None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """The supported language the client prefers most, else ``fallback``.

    Remembered per header value: a client sends the same header with every request, and
    parsing one costs 10 to 20 us (a screening negotiates twice).
    """
    if not accept_language:
        return fallback
    offered = parse_accept_header(accept_language, LanguageAccept)
    ranked = sorted(offered, key=lambda item: -item[1])  # stable: header order breaks ties
    for tag, quality in ranked:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if quality > 0 and primary in LANGUAGES:
            return primary
    return fallback


def local_date(day: date | str, language: str) -> str:
    """A date as a text in ``language`` writes it: DD.MM.YYYY in kk and ru, ISO 8601 in en."""
    iso = day if isinstance(day, str) else day.isoformat()
    if language not in READER_LANGUAGES or len(iso) != 10:
        return iso
    year, month, day_of_month = iso.split("-")
    return f"{day_of_month}.{month}.{year}"
