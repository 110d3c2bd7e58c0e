"""Spreadsheet ingest: read workbooks and CSVs as strings, detect layout and types, convert.

Entry points: read.read_file (bytes -> RawSheet list), detect_sheet.analyse_sheet
(RawSheet -> SheetAnalysis), typed.typed_sheet (RawSheet + SheetAnalysis -> TypedSheet).
"""
