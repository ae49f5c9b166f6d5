"""Which language an answer speaks (contract section 6).

``Accept-Language`` decides, with q-values and region tags honoured
(``ru-RU`` is ``ru``); a header that names no supported language, or only
``*``, leaves the choice to the application's own ``language``.
"""

from __future__ import annotations

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from specreg.reference import LANGUAGES


def negotiate(accept_language: str | None, fallback: str) -> str:
    """The supported language the client prefers most, else ``fallback``."""
    if not accept_language:
        return fallback
    offered = parse_accept_header(accept_language, LanguageAccept)
    explicit = LanguageAccept([(value, q) for value, q in offered if value != "*" and q > 0])
    return explicit.best_match(LANGUAGES) or fallback
