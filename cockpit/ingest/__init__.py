"""Spreadsheet ingest: read workbooks and CSVs as strings, detect layout and types, map to a
dataset, validate, store.

The load reads one way, stage by stage (STAGES, in order); a module imports only modules of
its own stage or an earlier one (tests/unit/test_layout.py checks it):

- read: bytes -> RawSheet list (read.read_file), cells as strings, bounded.
- detect: RawSheet -> SheetAnalysis (detect_sheet.analyse_sheet): header, title, kind, column
  types; typed.typed_sheet converts the cells to those types.
- map: which dataset and columns a sheet is (mapping, evidence, months_across; formulas:
  sheets restating other sheets are not data); prepare turns
  one sheet into canonical rows, enrich works across the sheets of a workbook; model holds
  what the stages hand each other.
- validate: rejects, derived columns, repeated records, flags, months covered.
- store: raw_staging and commit write a prepared file in one transaction and report it.
- load: pipeline runs the stages (prepare_file, commit_file, load_files).
"""

STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("read", ("errors", "kernels", "scratch", "zipguard", "xlsx_split", "read")),
    (
        "detect",
        (
            "profile",
            "typed",
            "clean_columns",
            "separators",
            "detect_types",
            "header_words",
            "detect_header",
            "detect_sheet",
        ),
    ),
    ("map", ("evidence", "formulas", "mapping", "months_across", "model", "prepare", "enrich")),
    ("validate", ("validate",)),
    ("store", ("raw_staging", "commit")),
    ("load", ("pipeline",)),
)
