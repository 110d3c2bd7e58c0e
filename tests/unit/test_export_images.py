"""Charts to PNG/SVG: real images of the expected size, made offline."""

import re
import struct
import xml.etree.ElementTree as ET

import altair as alt
import pandas as pd
import pytest

from cockpit.export.images import chart_png, chart_svg

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA = pd.DataFrame({"site": ["Leeds", "Lyon", "Porto"], "orders": [120, 80, 45]})


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always follows the 8-byte signature."""
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _bare_chart() -> alt.Chart:
    # No padding and a fixed size: the image is exactly width x height CSS pixels.
    return (
        alt.Chart(DATA)
        .mark_bar()
        .encode(x="site:N", y="orders:Q")
        .properties(width=300, height=200, padding=0, autosize={"type": "none"})
    )


@pytest.fixture(scope="module")
def axis_chart_svg() -> str:
    chart = alt.Chart(DATA).mark_bar().encode(x="site:N", y="orders:Q")
    return chart_svg(chart.properties(width=300, height=200))


def test_png_is_width_and_height_times_scale():
    png = chart_png(_bare_chart())
    assert png.startswith(PNG_MAGIC)
    assert _png_size(png) == (600, 400)
    assert _png_size(chart_png(_bare_chart(), scale=1.5)) == (450, 300)


def test_png_from_spec_dict_matches_svg_size_times_scale(axis_chart_svg):
    root = ET.fromstring(axis_chart_svg)
    width, height = int(root.get("width")), int(root.get("height"))
    # Axes and labels make the image larger than the plot area.
    assert width > 300 and height > 200
    spec = alt.Chart(DATA).mark_bar().encode(x="site:N", y="orders:Q")
    png = chart_png(spec.properties(width=300, height=200).to_dict(), scale=2)
    assert _png_size(png) == (2 * width, 2 * height)


def test_svg_is_xml_with_the_data_and_no_external_references(axis_chart_svg):
    root = ET.fromstring(axis_chart_svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Leeds", "Lyon", "Porto"} <= texts
    assert not re.search(r"(href|src|url)\s*[=(]\s*[\"']?https?:", axis_chart_svg)


def test_external_data_is_refused():
    chart = alt.Chart("https://example.com/data.csv").mark_bar().encode(x="a:N", y="b:Q")
    with pytest.raises(ValueError, match="not allowed"):
        chart_png(chart)
