"""The HTML the Overview shows without a sanitiser (cockpit/ui/html_block.py) is safe by
construction: whatever a label, a description, a slice name or a filter value holds, the
builders emit only an allowlist of tags and attributes, relative in-app links and inert
inline styles."""

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit import links
from cockpit.kpis import KpiValue
from cockpit.kpis.registry import lookup
from cockpit.navigation import PAGES
from cockpit.screens.page_nav import sidebar_html
from cockpit.screens.scorecard_view import (
    by_group,
    headline_html,
    movers_html,
    movers_note_html,
    scorecard_html,
    skeleton_html,
)

TAGS = {"a", "div", "span", "i", "h3", "h4", "nav", "hr"}
ATTRIBUTES = {
    "class", "href", "data-page", "data-kpi", "data-label", "aria-label", "aria-hidden",
    "aria-current", "title", "style", "role",
}  # fmt: skip
# Hostile text: markup, quotes, entities, scripts, schemes, style breakers.
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "' onmouseover='alert(1)",
            "javascript:alert(1)",
            "</div></a><a href=//evil.example>",
            "&lt;b&gt; &amp; ;--p:url(x)",
            "x;background:url(//evil.example)",
        ]
    ),
    st.text(min_size=1, max_size=40),
)


class Audit(HTMLParser):
    """Every tag and attribute of a block, and the text in between."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_safe(block: str) -> None:
    audit = Audit()
    audit.feed(block)
    audit.close()
    for tag, attrs in audit.tags:
        assert tag in TAGS, tag
        for name, value in attrs.items():
            assert name in ATTRIBUTES, (tag, name)
            value = value or ""
            if name == "class":
                assert re.fullmatch(r"[a-z0-9 -]*", value), value
            elif name == "href":
                # Relative to the app: a page path or "./", then a query; never a scheme.
                assert re.fullmatch(r"(\./|[A-Z][A-Za-z_]*)(\?[^\s\"'<>]*)?", value), value
            elif name == "style":
                assert re.fullmatch(r"[-a-z0-9.,:;%() ]*", value), value
                assert "url" not in value, value
            elif name == "data-page":
                assert value in links.PAGE_PATHS, value


def _value(kpi_id: str) -> KpiValue:
    spark = [(dt.date(2026, m, 1), float(m)) for m in range(1, 7)]
    return KpiValue(id=kpi_id, label="", group="", unit="", value=5.0, previous=4.0,
                    change=1.0, change_pct=None, target=6.0, status="red", reason=None,
                    spark=spark)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(label=HOSTILE, description=HOSTILE, slice_=HOSTILE, period=HOSTILE, text=HOSTILE)
def test_every_block_stays_on_the_allowlist_whatever_its_texts(
    label, description, slice_, period, text
):
    # A custom metric named and described by an analyst, shown among built-ins.
    custom = dataclasses.replace(
        lookup("orders"), id="custom_x", label=label, group="Custom", description=description
    )
    defs = {"custom_x": custom}
    cards = by_group([_value("orders"), _value("custom_x")], compare="target", defs=defs)
    state = links.ViewState(filters={"channel": [slice_]})
    href = links.page_href("customer", {**links.in_app_params(state), "f_site": slice_})
    link = {"page": "customer", "href": href, "help": f"Open {slice_}", "label": slice_}
    sections = [
        {"title": group, "cards": group_cards, "link": link, "details": link}
        for group, group_cards in cards.items()
    ]
    assert_safe(scorecard_html(sections, columns=4))
    assert_safe(movers_html([{"label": label, "text": text}], [link]))
    assert_safe(headline_html(text, period))
    assert_safe(skeleton_html({"Custom": [label]}, period))
    assert_safe(movers_note_html(text))
    assert_safe(sidebar_html(PAGES, "overview", links.in_app_params(state)))


def test_the_audit_catches_what_it_is_for():
    # The checks themselves: each of these must fail.
    for bad in (
        "<script>x</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<div onclick="x">y</div>',
        '<i style="background:url(//x)"></i>',
        '<a href="https://evil.example">x</a>',
    ):
        try:
            assert_safe(bad)
        except AssertionError:
            continue
        raise AssertionError(f"not caught: {bad}")
