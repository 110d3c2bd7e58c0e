"""The one-page brief: content, escaping, self-containment, and one printed A4 page."""

import base64
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from shared_files import MISSING_TOOL

from cockpit.export.brief import brief_html

CHROMIUM = "/usr/bin/chromium"
# A 1x1 transparent PNG: enough to check embedding without rendering a chart here.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
LINK = "https://cockpit.example.com/?period=quarter&month=2026-09&f_site=Leeds&asof=42"


def _card(i: int, group: str, status: str = "green", **extra) -> dict:
    card = {
        "id": f"kpi_{i}",
        "label": f"{group} KPI {i}",
        "group": group,
        "value_text": f"{i},234",
        "change_text": f"+{i}.0% vs Aug",
        "status": status,
        "target_text": f"{i},000",
    }
    return card | extra


def _brief(cards=None, movers=None, context=None, charts=(), link=LINK) -> str:
    return brief_html(
        title="Operations brief — Q3 2026",
        subtitle="Scorecard vs previous quarter",
        cards=cards if cards is not None else [_card(1, "Efficiency")],
        movers=movers if movers is not None else [{"label": "Leeds", "text": "OEE up 4 pts"}],
        context=context if context is not None else [("Filters", "site = Leeds")],
        link=link,
        charts=charts,
    )


def test_contains_the_values_in_their_groups():
    cards = [
        _card(1, "Efficiency", "green"),
        _card(2, "cost", "red"),
        _card(3, "Customer", "amber", target_text=None),
    ]
    html = _brief(cards=cards, context=[("Data as of", "load 42"), ("Filters", "site = Leeds")])
    for text in ("Operations brief — Q3 2026", "Scorecard vs previous quarter", "1,234",
                 "+2.0% vs Aug", "Target 2,000", "Off target", "Watch", "load 42",
                 "OEE up 4 pts"):  # fmt: skip
        assert text in html
    groups = re.findall(r"<h2>(.*?)</h2>", html)
    assert groups == ["Efficiency", "Cost", "Customer", "Top movers"]
    # "cost" was filed under Cost, between the Efficiency and Customer headings.
    assert html.index("Efficiency</h2>") < html.index("kpi_2") < html.index("Customer</h2>")
    assert "Target 3,000" not in html


def test_every_value_is_escaped():
    evil = '<script>alert("x")</script>'
    cards = [_card(1, "Efficiency", label=evil, value_text="<b>9</b>", status=evil)]
    html = _brief(
        cards=cards,
        movers=[{"label": evil, "text": "a & b"}],
        context=[(evil, '"quoted"')],
        link='https://x.example/?a=1&b="><script>',
    )
    assert "<script" not in html
    assert html.count("&lt;script&gt;") == 6  # label (text, title), mover, context, link x2
    assert "&lt;b&gt;9&lt;/b&gt;" in html
    assert "a &amp; b" in html
    assert 'href="https://x.example/?a=1&amp;b=&quot;&gt;&lt;script&gt;"' in html
    assert 'class="card none"' in html  # an unknown status is shown as no status


def test_self_contained_no_external_references():
    html = _brief(charts=[("Trend", TINY_PNG), ("Sites", b"<svg xmlns='x'/>")])
    assert "data:image/png;base64," + base64.b64encode(TINY_PNG).decode() in html
    assert "data:image/svg+xml;base64," in html
    refs = re.findall(r"""(?:src|href)\s*=\s*["']?([^"' >]+)|url\(([^)]*)\)|@import""", html)
    external = [r for pair in refs for r in pair if r and not r.startswith("data:")]
    assert external == [LINK.replace("&", "&amp;")]  # only the view's own link, as an <a>
    assert "<link" not in html and "<script" not in html


def test_non_web_link_is_text_and_missing_link_is_omitted():
    assert "<a " not in _brief(link="javascript:alert(1)")
    assert "Open this view" not in _brief(link=None)


def test_unknown_image_is_refused():
    with pytest.raises(ValueError, match="PNG, JPEG or SVG"):
        _brief(charts=[("x", b"GIF89a")])


def _pdf_pages(html: str, tmp_path: Path) -> tuple[int, str]:
    src, pdf = tmp_path / "brief.html", tmp_path / "brief.pdf"
    src.write_text(html, encoding="utf-8")
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", src.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    # pdftotext comes with `make test` (poppler-utils); without it the text check cannot run.
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install poppler-utils"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return pages, text


def _full_scorecard() -> dict:
    """A realistic full view: all 30 KPIs, 6 movers, 3 charts, several context lines."""
    groups = ["Efficiency"] * 11 + ["Cost"] * 8 + ["Customer"] * 11
    statuses = ["green", "amber", "red", "none"]
    return {
        "cards": [_card(i, g, statuses[i % 4]) for i, g in enumerate(groups)],
        "movers": [
            {
                "label": f"Site {i} on-time delivery",
                "text": "fell 6.4 pts to 86.1% on carrier delays",
            }
            for i in range(6)
        ],
        "context": [
            ("Period", "Q3 2026"),
            ("Compared with", "Q2 2026"),
            ("Filters", "region = Europe; channel = Web, Retail"),
            ("Data as of", "load 42, 3 Oct 2026"),
        ],  # fmt: skip
        "charts": [
            ("Trend", _chart_png(360, 150)),
            ("Sites", _chart_png(300, 150)),
            ("Mix", _chart_png(300, 150)),
        ],  # fmt: skip
    }


def _chart_png(width: int, height: int) -> bytes:
    from cockpit.export.images import chart_png

    spec = {
        "data": {"values": [{"x": "a", "y": 1}, {"x": "b", "y": 2}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "x", "type": "nominal"},
            "y": {"field": "y", "type": "quantitative"},
        },
        "width": width,
        "height": height,
    }
    return chart_png(spec)


needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{MISSING_TOOL}: {CHROMIUM} (make chromium)"
)


@needs_chromium
def test_full_brief_prints_on_one_page(tmp_path):
    parts = _full_scorecard()
    html = _brief(**parts)
    zoom = float(re.search(r"--zoom: ([0-9.]+)", html)[1])
    assert zoom > 0.9  # a full scorecard needs little or no shrinking
    pages, text = _pdf_pages(html, tmp_path)
    assert pages == 1
    assert "Customer KPI 29" in text and "Site 5 on-time delivery" in text


@needs_chromium
def test_oversized_brief_is_shrunk_onto_one_page(tmp_path):
    parts = _full_scorecard()
    parts["cards"] = [_card(i, "Efficiency") for i in range(60)]
    parts["context"] = parts["context"] + [("Filters", "site = " + ", ".join(["Leeds"] * 60))]
    html = _brief(**parts)
    zoom = float(re.search(r"--zoom: ([0-9.]+)", html)[1])
    assert zoom < 1
    pages, text = _pdf_pages(html, tmp_path)
    assert pages == 1
    assert "Efficiency KPI 59" in text and "Site 5 on-time delivery" in text


def test_a_card_without_a_value_says_no_value_not_no_target():
    # Issue 23: "no target" beside "Target 85.0%" contradicted itself.
    card = _card(4, "Customer", "none", value_text="—", status_text="no value", target_text="85.0%")
    html = _brief(cards=[card])
    assert "No value" in html and "No target" not in html and "Target 85.0%" in html


def test_the_movers_heading_says_what_they_compare_with():
    html = brief_html(
        title="Operations scorecard",
        subtitle="Q3 2026 vs Q2 2026 · 3 of 9 KPIs off target",
        cards=[_card(1, "Efficiency")],
        movers=[{"label": "OEE", "text": "OEE rose 2.0 pts"}],
        context=[],
        link=None,
        movers_title="What moved vs Q2 2026",
    )
    assert "<h2>What moved vs Q2 2026</h2>" in html and "vs Q2 2026 · 3 of 9" in html
