"""The pages of the cockpit, listed once: id, file, label, icons, the action it needs, group.

Everything else derives from PAGES: the URL paths (links.py), the sidebar (ui/shell.py),
the group links on cards (ui/cards.py) and the tests that open every page. A page's URL path
follows Streamlit's pages-folder rule for its file name (pages/4_What_if.py -> /What_if,
the entry script -> /), so renaming a file renames its URL here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

ENTRY = "app.py"
PAGES_DIR = "pages"
# Streamlit's source_util.PAGE_FILENAME_REGEX: an optional number, separators, the name.
_PAGE_FILE_RE = re.compile(r"([0-9]*)[_ -]*(.*)\.py")


@dataclass(frozen=True)
class Page:
    id: str  # the page's name in the URL API (`page=`) and in code
    file: str  # relative to the repository root: app.py or pages/N_Name.py
    label: str  # the sidebar label and the page title's short form
    title: str  # the page's heading
    icon: str  # the sidebar icon (Material)
    page_icon: str  # the browser tab's icon
    needs: str = "read"  # the action (cockpit.auth) a user needs to open the page
    group: str | None = None  # the KPI group (catalogue `group`) whose details it shows

    @property
    def path(self) -> str:
        return url_path(self.file)


def url_path(file: str) -> str:
    """The URL path Streamlit serves a page file at: app.py -> /, pages/4_What_if.py ->
    /What_if (the number and separators dropped, runs of spaces/underscores made one _)."""
    if file == ENTRY:
        return "/"
    match = _PAGE_FILE_RE.search(PurePosixPath(file).name)
    if match is None:
        raise ValueError(f"{file!r} is not a page file")
    name = re.sub(r"[_ ]+", "_", match.group(2)).strip() or match.group(1)
    return "/" + name


PAGES: tuple[Page, ...] = (
    Page("overview", ENTRY, "Overview", "Operations scorecard", ":material/dashboard:", "📊"),
    Page(
        "efficiency",
        "pages/1_Efficiency.py",
        "Efficiency",
        "Efficiency",
        ":material/precision_manufacturing:",
        "⚙️",
        group="Efficiency",
    ),
    Page("cost", "pages/2_Cost.py", "Cost", "Cost", ":material/payments:", "💷", group="Cost"),
    Page(
        "customer",
        "pages/3_Customer.py",
        "Customer",
        "Customer",
        ":material/support_agent:",
        "💬",
        group="Customer",
    ),
    Page("whatif", "pages/4_What_if.py", "What-if", "What-if", ":material/tune:", "🎛️"),
    Page("data", "pages/5_Data.py", "Data", "Data", ":material/upload_file:", "🗂️"),
    Page(
        "sql",
        "pages/6_SQL.py",
        "SQL explorer",
        "SQL explorer",
        ":material/terminal:",
        "🧮",
        needs="sql",
    ),
    Page("settings", "pages/7_Settings.py", "Settings", "Settings", ":material/settings:", "🛠️"),
    Page("rows", "pages/8_Rows.py", "Rows", "Rows behind a KPI", ":material/table_rows:", "🧾"),
    Page("alerts", "pages/9_Alerts.py", "Alerts", "Alerts", ":material/notifications:", "🔔"),
    Page("actions", "pages/10_Actions.py", "Actions", "Actions", ":material/task_alt:", "✅"),
    Page("meeting", "pages/11_Meeting.py", "Meeting", "Meeting packs", ":material/groups:", "🗓️"),
)
PAGE_IDS: tuple[str, ...] = tuple(p.id for p in PAGES)
BY_ID: dict[str, Page] = {p.id: p for p in PAGES}
PAGE_PATHS: dict[str, str] = {p.id: p.path for p in PAGES}
GROUP_PAGES: dict[str, Page] = {p.group: p for p in PAGES if p.group}


def page(page_id: str) -> Page:
    """The registered page `page_id` (KeyError names it when there is none)."""
    try:
        return BY_ID[page_id]
    except KeyError:
        raise KeyError(f"no page {page_id!r}; pages: {', '.join(PAGE_IDS)}") from None


def for_group(group: str | None) -> Page | None:
    """The page that details a KPI group (Efficiency, Cost, Customer), if there is one."""
    return GROUP_PAGES.get(group) if group else None
