"""What the detector knows, read from queries/vocabulary/*.toml (the one place it is written).

- `<dataset>.toml`: the dataset's signal words and, per canonical column, its header
  synonyms (`synonyms`, plus `es`, `fr`, `de`, `pt`, `it`, `nl` where told apart by
  language), the range its values must mostly fall in and its `nature` (money, count, ...);
- `common.toml`: month names per language, header stop words / translations / phrases,
  measure words, the words of a months-across sheet.

Adding a synonym or a language is one edit in one of those files; nothing else in cockpit/
holds word lists of its own (tests/unit/test_vocabulary.py checks both).
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from cockpit.queries import QUERIES_DIR

VOCABULARY_DIR = QUERIES_DIR / "vocabulary"
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl")


@functools.cache
def _read(name: str) -> dict:
    path: Path = VOCABULARY_DIR / f"{name}.toml"
    with path.open("rb") as f:
        return tomllib.load(f)


def common() -> dict:
    """common.toml as read (cached)."""
    return _read("common")


def dataset(name: str) -> dict:
    """`<name>.toml` as read (cached); {} for a dataset with no vocabulary file."""
    if not (VOCABULARY_DIR / f"{name}.toml").exists():
        return {}
    return _read(name)


def columns(name: str) -> dict[str, dict]:
    """{canonical column: its entry (synonyms, scale, plausible)} of a dataset."""
    return dataset(name).get("columns", {})


def synonyms(name: str, column: str) -> tuple[str, ...]:
    """Every header synonym of a dataset's column: `synonyms` (English, or any language not
    told apart), then those listed per language (es, fr, de, pt, it, nl), each once."""
    entry = columns(name).get(column, {})
    words = [
        *entry.get("synonyms", ()),
        *(w for lang in LANGUAGES[1:] for w in entry.get(lang, ())),
    ]
    return tuple(dict.fromkeys(words))


def synonyms_in(name: str, column: str, language: str) -> tuple[str, ...]:
    """The synonyms a dataset's file lists for `language` ("en": the `synonyms` key)."""
    entry = columns(name).get(column, {})
    return tuple(entry.get("synonyms" if language == "en" else language, ()))


@functools.cache
def signals() -> dict[str, frozenset[str]]:
    """{dataset: the words a sheet must say to be it}, for datasets that list any."""
    out = {}
    for path in sorted(VOCABULARY_DIR.glob("*.toml")):
        if path.stem != "common" and "signals" in dataset(path.stem):
            out[path.stem] = frozenset(dataset(path.stem)["signals"])
    return out


@functools.cache
def scales() -> dict[str, tuple[float, float]]:
    """{canonical column: (low, high)} of ratings on a scale, whichever dataset has them."""
    out: dict[str, tuple[float, float]] = {}
    for path in sorted(VOCABULARY_DIR.glob("*.toml")):
        if path.stem == "common":
            continue
        for col, entry in columns(path.stem).items():
            if "scale" in entry:
                out[col] = tuple(entry["scale"])
    return out


NATURES = ("money", "count", "duration", "rating", "ratio", "code")


def nature(name: str, column: str) -> str | None:
    """What a dataset's column holds (`nature`: money, count, duration, rating, ratio, code),
    if its file says: the value checks of the mapping (cockpit/ingest/evidence.py) read it."""
    got = columns(name).get(column, {}).get("nature")
    if got is not None and got not in NATURES:
        raise ValueError(f"{name}.{column}: nature {got!r} is not one of {', '.join(NATURES)}")
    return got


def plausible(name: str, column: str) -> tuple[float, float] | None:
    """(low, high) the values of a dataset's column must mostly fall in, if it says."""
    got = columns(name).get(column, {}).get("plausible")
    return tuple(got) if got else None


def words(section: str, key: str) -> frozenset[str]:
    """A word list of common.toml: words("months_across", "plan")."""
    return frozenset(common()[section][key])


def mapping(section: str, key: str) -> dict[str, str]:
    """A table of common.toml as a dict, in file order: mapping("header_words", "phrases")."""
    return dict(common()[section][key])


def month_names() -> dict[str, list[list[str]]]:
    """{language: twelve lists of that month's spellings, January first}."""
    return {lang: [entry.split() for entry in common()["months"][lang]] for lang in LANGUAGES}


@functools.cache
def month_words() -> dict[str, int]:
    """{spelling: month 1-12} over the seven languages."""
    return {w: i + 1 for names in month_names().values() for i, ws in enumerate(names) for w in ws}
