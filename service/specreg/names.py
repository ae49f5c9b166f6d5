"""Name normalisation for professions, positions and specialties.

Contract section 3: names are compared after Unicode NFC, case folding, ё as
е, dashes and quotes unified, runs of white space as one, trimmed. Nothing
more: no declension is guessed and no look-alike letters are folded, so a
Latin "o" inside a Cyrillic word keeps the word from matching.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_QUOTES = {
    **dict.fromkeys(map(ord, "«»“”„‟″＂"), '"'),
    **dict.fromkeys(map(ord, "‘’‚‛`´′＇ʼ"), "'"),
}
_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The comparison form of a name (contract section 3)."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = text.replace("ё", "е").translate(_DASHES).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip()
