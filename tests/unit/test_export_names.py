"""Download names say the view they hold."""

from cockpit.export.names import view_file_name


def test_brief_name_says_period_filters_and_comparison():
    name = view_file_name(
        "ops-brief", "Q3 2026", filters={"site": ["Leeds"]}, compare="yoy", ext="html"
    )
    assert name == "ops-brief-q3-2026-site-leeds-vs-last-year.html"


def test_names_of_different_views_differ_and_are_safe():
    a = view_file_name("ops-brief", "Oct 2026", compare="prev", ext="html")
    b = view_file_name("ops-brief", "Trailing 12 months to Oct 2026", compare="prev", ext="html")
    assert a == "ops-brief-oct-2026-vs-previous.html"
    assert a != b
    odd = view_file_name("x", "../../etc", filters={"site": ['a/b"c']}, ext="xlsx")
    assert "/" not in odd and '"' not in odd and odd.endswith(".xlsx")


def test_many_filter_values_are_counted_not_listed():
    name = view_file_name("t", None, filters={"site": list("abcde")}, ext="xlsx")
    assert name == "t-site-a-b-c-and-2-more.xlsx"
