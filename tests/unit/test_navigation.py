"""The page registry (cockpit/navigation.py) is the one list of pages: every page file is in
it, every entry is a file that opens as its own page, URL paths follow Streamlit's rule, and
links, the sidebar, the cards and the tests read it instead of naming page files."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from streamlit.source_util import page_icon_and_name

from cockpit import auth, links, navigation

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_file_is_registered_and_every_entry_exists():
    on_disk = {navigation.ENTRY} | {
        p.relative_to(ROOT).as_posix() for p in (ROOT / navigation.PAGES_DIR).glob("*.py")
    }
    registered = [p.file for p in navigation.PAGES]
    assert len(registered) == len(set(registered))
    assert set(registered) == on_disk
    assert len(navigation.PAGE_IDS) == len(set(navigation.PAGE_IDS)) == 12


def test_paths_follow_streamlits_rule_for_file_names():
    for page in navigation.PAGES:
        if page.file == navigation.ENTRY:
            assert page.path == "/"
            continue
        _icon, name = page_icon_and_name(ROOT / page.file)
        assert page.path == "/" + name, page
    assert navigation.url_path("pages/4_What_if.py") == "/What_if"
    assert navigation.url_path("pages/12 Big  news.py") == "/Big_news"
    assert navigation.PAGE_PATHS["sql"] == "/SQL"


def _shell_page_id(path: Path) -> str:
    """The page id a page file passes to page_shell (its first argument)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "page_shell":
            arg = node.args[0]
            assert isinstance(arg, ast.Constant), f"{path.name}: page_shell needs a literal id"
            return arg.value
    raise AssertionError(f"{path.name} does not call page_shell")


@pytest.mark.parametrize("page", navigation.PAGES, ids=lambda p: p.id)
def test_each_page_file_opens_its_registry_entry(page):
    assert _shell_page_id(ROOT / page.file) == page.id


def test_entries_are_well_formed():
    for page in navigation.PAGES:
        assert page.needs in auth.PERMISSIONS, page
        assert page.icon.startswith(":material/"), page
        assert page.label and page.title and page.page_icon
    assert navigation.page("sql").needs == "sql"
    assert {g: p.id for g, p in navigation.GROUP_PAGES.items()} == {
        "Efficiency": "efficiency",
        "Cost": "cost",
        "Customer": "customer",
    }
    assert navigation.for_group("Custom") is None
    with pytest.raises(KeyError, match="no page 'nope'"):
        navigation.page("nope")


def test_links_take_pages_and_paths_from_the_registry():
    assert links.PAGES is navigation.PAGE_IDS
    assert links.PAGE_PATHS is navigation.PAGE_PATHS
    for page in navigation.PAGES:
        assert links.page_for_path(page.path) == page.id
        assert links.to_url(links.ViewState(page=page.id), "http://h") == "http://h" + (
            page.path if page.path != "/" else "/"
        )


_PAGE_FILE = re.compile(r"(^|/)(app|[0-9]+_[A-Za-z_]+)\.py$|^pages/")


def _page_file_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _PAGE_FILE.search(node.value)
    ]


def test_no_module_or_test_names_a_page_file_but_the_registry():
    """The sidebar, the cards, the empty state and the app tests go through the registry:
    a page file written out anywhere else is a second list that can drift."""
    allowed = {ROOT / "cockpit" / "navigation.py"}
    found = {}
    for folder in ("cockpit", "tests", "app.py", "pages", "server.py"):
        base = ROOT / folder
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in files:
            if path in allowed or path == Path(__file__):
                continue
            if hits := _page_file_literals(path):
                found[path.relative_to(ROOT).as_posix()] = hits
    assert found == {}


def test_the_finder_sees_a_page_file():
    assert _PAGE_FILE.search("pages/5_Data.py")
    assert _PAGE_FILE.search("app.py")
    assert not _PAGE_FILE.search("cockpit/api.py")


def test_the_sidebar_page_list_links_each_allowed_page_and_marks_the_current_one():
    from cockpit.screens import page_nav

    viewer_pages = [p for p in navigation.PAGES if auth.can(auth.User("v", "viewer"), p.needs)]
    out = page_nav.sidebar_html(viewer_pages, "cost", {"period": "quarter", "f_site": ["A", "B"]})
    anchors = re.findall(r'<a class="nav-item in-app" href="([^"]*)" data-page="(\w+)">', out)
    assert [p for _, p in anchors] == [p.id for p in viewer_pages if p.id != "cost"]
    hidden = [p for p in navigation.PAGES if p not in viewer_pages]
    assert hidden and not any(f"<span>{p.label}</span>" in out for p in hidden)
    for href, page in anchors:  # each carries the view, relative to the app's root
        assert html.unescape(href) == links.page_href(
            page, {"period": "quarter", "f_site": ["A", "B"]}
        )
        assert "period=quarter" in href and "f_site=A&amp;f_site=B" in href
    assert '<span class="nav-item nav-current" aria-current="page">' in out
    assert '<span class="nav-icon" aria-hidden="true">payments</span><span>Cost</span>' in out
    with pytest.raises(ValueError):
        page_nav.icon_name("📊")
