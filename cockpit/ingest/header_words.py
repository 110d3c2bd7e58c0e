"""Header words however they are written: case, separators, numbering, accents, languages.

`words(header)` turns a header into plain lower-case English words, so one list of synonyms
per canonical column serves exports from many systems and countries:

    'BookingID_Date'            -> 'booking id date'
    '17. How would you rate …'  -> 'how would you rate …'
    'Fecha de pedido'           -> 'date order'
    'Nombre de trains annulés'  -> 'number trains cancelled'

The translations are word for word (a synonym matches when all its words appear, in any
order), for the words the canonical columns and the datasets' evidence are made of; the
words are data, in queries/vocabulary/common.toml.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from cockpit import vocabulary

# Units in brackets say what a number is measured in; they are not words of its name.
_UNIT_SUFFIX = re.compile(
    r"\((?:s|sec|secs|seconds|min|mins|minutes|h|hr|hrs|hours|%|\$|£|€|usd|gbp|eur|avg)\)"
)
_NUMBERING = re.compile(r"^\s*(?:q\s*)?\d{1,3}\s*[.)\]:-]\s+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

# Little words that carry no meaning in a header, in the seven languages; words translated
# word for word into English (Spanish, French, German, Portuguese, Italian, Dutch); and
# multi-word phrases, translated first (they would not survive word for word). All written in
# queries/vocabulary/common.toml [header_words].
STOP_WORDS = vocabulary.words("header_words", "stop_words")
TRANSLATIONS = vocabulary.mapping("header_words", "translations")
PHRASES = vocabulary.mapping("header_words", "phrases")

# Portuguese/Italian "data" is a date; English "data" in a header is rare and never alone.
_DATA_AS_DATE = re.compile(r"^data(?= |$)(?=( (de|do|da|di|del|della|dos|das))|$)")


def strip_accents(text: str) -> str:
    """'Región' -> 'Region' (so one spelling serves headers typed with or without accents)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def split_words(header: str) -> str:
    """Lower-case words of a header as written: camelCase, snake_case, dots, numbering, units."""
    text = _NUMBERING.sub("", str(header))
    text = _CAMEL.sub(" ", text)
    text = _UNIT_SUFFIX.sub(" ", text.lower())
    text = strip_accents(text)
    text = re.sub(r"[_\-./#:()\[\],;'’?!]+", " ", text)
    text = re.sub(r"[^\w\s%]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=65_536)
def words(header: str) -> str:
    """A header as plain English words (see the module docstring). Cached: every dataset's
    evidence and mapping reads each header again (a wide sheet has thousands)."""
    text = split_words(header)
    text = _DATA_AS_DATE.sub("date", text)
    for phrase, english in PHRASES.items():
        if phrase in text:
            text = re.sub(rf"\b{phrase}\b", english, text)
    out = [TRANSLATIONS.get(w, w) for w in text.split()]
    kept = [w for w in out if w not in STOP_WORDS]
    return " ".join(kept or out)
