"""The detector's vocabulary lives in queries/vocabulary/*.toml and nowhere else: the files
and the dataset definitions agree, and no module of the detector keeps a word list of its own
(a synonym or a language added in code would be missed by the layout generator and the other
readers of the vocabulary)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from cockpit import datasets, vocabulary
from cockpit.ingest import detect_types, evidence, header_words, months_across

ROOT = Path(__file__).resolve().parents[2]

# Where the detector's code lives: synonym and word lists there belong in the vocabulary.
DETECTOR = ["cockpit/datasets.py", *sorted(f"cockpit/ingest/{p.name}" for p in
            (ROOT / "cockpit/ingest").glob("*.py"))]  # fmt: skip

# Word lists allowed to stay in the detector's code, and why.
ALLOWED = {
    ("cockpit/datasets.py", "FILTER_DIMENSIONS"): "canonical column names, not header words",
    ("cockpit/ingest/detect_types.py", "params"): "the names of a query's SQL parameters",
    ("cockpit/ingest/mapping.py", "COMPATIBLE"): "the kinds a profile may have per column type",
    ("cockpit/ingest/prepare.py", "_IN_MINUTES"): "unit factors (a table of numbers by unit)",
    ("cockpit/ingest/prepare.py", "_DONE"): "ticket status values, not headers; to move once "
    "the import-recipes work on prepare.py has merged",
    ("cockpit/ingest/prepare.py", "_OPEN"): "ticket status values, as _DONE",
    ("cockpit/ingest/prepare.py", "_MONTHS"): "English month prefixes of a file name, as the "
    "pattern beside it reads them",
}
_WORD = re.compile(r"^[a-zà-ÿ%#' ]+$")


def _word_lists(source: str) -> list[tuple[int, str]]:
    """(line, assigned name) of every literal list, tuple, set or dict of 8+ plain words, every
    call given 8+ plain words, and every string of 12+ plain words (a list written as one)."""
    tree = ast.parse(source)
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for sub in ast.walk(node.value):
                names[id(sub)] = getattr(targets[0], "id", "?")
    found = []
    for node in ast.walk(tree):
        items = node.elts if isinstance(node, (ast.List, ast.Tuple, ast.Set)) else None
        items = node.keys if isinstance(node, ast.Dict) else items
        items = node.args if isinstance(node, ast.Call) else items  # _c("x", T, "syn", ...)
        if items is not None and None not in items:
            strs = [
                e.value for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
            plain = [t for t in strs if _WORD.match(t)]
            if len(plain) >= 8 and (len(strs) == len(items) or isinstance(node, ast.Call)):
                found.append((node.lineno, names.get(id(node), "?")))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and len(node.value.split()) >= 12
            and _WORD.match(node.value.strip())
        ):
            found.append((node.lineno, names.get(id(node), "?")))
    return found


def test_no_detector_module_keeps_a_word_list_of_its_own():
    offenders = []
    for rel in DETECTOR:
        for line, name in _word_lists((ROOT / rel).read_text()):
            if (rel, name) not in ALLOWED:
                offenders.append(f"{rel}:{line} {name}")
    assert not offenders, f"word lists outside queries/vocabulary/: {offenders}"


def test_the_scan_finds_a_synonym_list_written_in_code():
    code = (
        'SYN = ("order date", "ordered on", "date ordered", "order dt", "po date", "a", "b", "c")'
    )
    assert _word_lists(code) == [(1, "SYN")]
    assert _word_lists('W = _vocab("a b c d e f g h i j k l m")') == [(1, "W")]
    call = 'C = _c("order_date", DATE, "a", "b", "c", "d", "e", "f", "g", "h", description="x")'
    assert _word_lists(call) == [(1, "C")]


def test_every_dataset_has_a_file_and_every_column_an_entry_with_synonyms():
    files = {p.stem for p in vocabulary.VOCABULARY_DIR.glob("*.toml")} - {"common"}
    assert files == set(datasets.DATASETS)
    for name, ds in datasets.DATASETS.items():
        entries = vocabulary.columns(name)
        assert set(entries) == set(ds.column_names), name  # none missing, none stale
        for col in ds.columns:
            assert col.synonyms == vocabulary.synonyms(name, col.name)
            assert col.synonyms, f"{name}.{col.name} has no synonyms"
            assert len(set(col.synonyms)) == len(col.synonyms), f"{name}.{col.name} repeats one"


def test_the_detector_reads_the_files():
    assert datasets.get("contact_stats").column("offered").synonyms[:2] == (
        "offered",
        "calls offered",
    )
    assert evidence.SIGNALS["downtime"] >= {"downtime", "stoppage", "cause"}
    assert set(evidence.SIGNALS) == set(datasets.DATASETS)
    assert evidence.SCALES == {"csat": (1, 5), "score": (0, 10)}
    assert evidence.DAY_MINUTES == 1440
    assert header_words.TRANSLATIONS["fecha"] == "date"
    assert header_words.words("Nombre de trains annulés") == "number trains cancelled"
    assert months_across.MONTH_WORDS["maart"] == 3
    assert months_across._TOTAL.match("grand total")
    assert detect_types.KNOWN_PLACEHOLDERS[:3] == ("n/a", "na", "#n/a")


def test_column_entries_hold_only_known_keys():
    """A typo ('sp' for 'es') would drop synonyms silently."""
    known = {"synonyms", "scale", "plausible", "nature", *vocabulary.LANGUAGES[1:]}
    for name in datasets.DATASETS:
        for col, entry in vocabulary.columns(name).items():
            assert set(entry) <= known, f"{name}.{col}: {set(entry) - known}"
            assert entry.get("nature", "money") in vocabulary.NATURES, f"{name}.{col}"


def test_synonyms_per_language_join_the_column_synonyms():
    offered = datasets.get("contact_stats").column("offered").synonyms
    assert "llamadas entrantes" in offered and "inkomende oproepen" in offered
    assert vocabulary.synonyms_in("contact_stats", "offered", "de") == (
        "eingehende anrufe",
        "angebotene anrufe",
    )
    assert vocabulary.synonyms_in("contact_stats", "offered", "en")[0] == "offered"


def test_month_names_twelve_per_language_and_each_spelling_one_month():
    names = vocabulary.month_names()
    assert list(names) == list(vocabulary.LANGUAGES)
    seen: dict[str, int] = {}
    for lang, months in names.items():
        assert len(months) == 12, lang
        for i, spellings in enumerate(months, start=1):
            for w in spellings:
                assert seen.setdefault(w, i) == i, f"{w!r} ({lang}) names two months"
    assert names["de"][2] == ["mar", "marz", "maerz"]


def test_a_synonym_added_in_the_file_is_recognised(tmp_path, monkeypatch):
    """One edit in one file: a new synonym maps with no code change."""
    from cockpit.ingest import mapping

    src = (vocabulary.VOCABULARY_DIR / "returns.toml").read_text()
    assert '"units returned"' in src
    for p in vocabulary.VOCABULARY_DIR.glob("*.toml"):
        (tmp_path / p.name).write_text(p.read_text())
    (tmp_path / "returns.toml").write_text(
        src.replace('"units returned"', '"units returned", "stuks retour"')
    )
    monkeypatch.setattr(vocabulary, "VOCABULARY_DIR", tmp_path)
    vocabulary._read.cache_clear()
    try:
        ds = datasets.Dataset("returns", "Returns", (datasets._c("quantity", datasets.NUMBER),),
                              required=(), month_column=None)  # fmt: skip
        assert "stuks retour" in ds.column("quantity").synonyms
    finally:
        vocabulary._read.cache_clear()
    assert mapping.normalise("Stuks retour") == "units return"
