"""Exports of a view: tables to xlsx, charts to PNG/SVG, the one-page brief (HTML/PDF).

Import the submodule you need (export.xlsx, export.images, export.brief); nothing heavy
is loaded here.
"""
