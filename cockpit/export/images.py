"""Charts to PNG and SVG with vl-convert, offline: no data or fonts fetched from the network."""

from __future__ import annotations

import re
from typing import Any

import vl_convert as vlc

_SCHEMA_VERSION = re.compile(r"/vega-lite/v(\d+)\.(\d+)")


def chart_spec(chart: Any) -> dict:
    """The Vega-Lite spec of an Altair chart (or a spec dict, returned as is)."""
    return chart if isinstance(chart, dict) else chart.to_dict()


def _convert_options(spec: dict) -> dict:
    # An empty allow-list refuses every external data URL, so an export never waits
    # on (or leaks to) the network; charts carry their data inline.
    options: dict[str, Any] = {"allowed_base_urls": []}
    match = _SCHEMA_VERSION.search(str(spec.get("$schema", "")))
    if match:
        version = f"{match[1]}.{match[2]}"
        if version in vlc.get_vegalite_versions():
            options["vl_version"] = version
    return options


def chart_png(chart: Any, *, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes, `scale` device pixels per CSS pixel."""
    spec = chart_spec(chart)
    return vlc.vegalite_to_png(spec, scale=scale, **_convert_options(spec))


def chart_svg(chart: Any) -> str:
    """The chart as an SVG document."""
    spec = chart_spec(chart)
    return vlc.vegalite_to_svg(spec, **_convert_options(spec))
