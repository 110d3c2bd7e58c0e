"""The sidebar's page list as one HTML block: a link per page the viewer may open, carrying
the filters and data version (the view bar's choices are added when a link is used, see
cockpit/ui/in_app_links.py); the page on screen is marked, not linked.

One block instead of a Streamlit page link per page: every element costs the browser time
on every rerun. The links are in-app links (cockpit/ui/in_app_links.py).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from cockpit import links
from cockpit.navigation import Page

ICON_PREFIX = ":material/"


def icon_name(icon: str) -> str:
    """The Material Symbols ligature of a Streamlit icon (":material/dashboard:" ->
    "dashboard")."""
    if not (icon.startswith(ICON_PREFIX) and icon.endswith(":")):
        raise ValueError(f"not a Material icon: {icon!r}")
    return icon[len(ICON_PREFIX) : -1]


def nav_html(pages: Iterable[Page], current: str, params: Mapping[str, str | list[str]]) -> str:
    """The page list: `pages` in order, `current` marked, links carrying `params`."""
    e = html.escape
    items = []
    for page in pages:
        inner = (
            f'<span class="nav-icon" aria-hidden="true">{e(icon_name(page.icon))}</span>'
            f"<span>{e(page.label)}</span>"
        )
        if page.id == current:
            items.append(f'<span class="nav-item nav-current" aria-current="page">{inner}</span>')
        else:
            href = links.page_href(page.id, params)
            items.append(
                f'<a class="nav-item in-app" href="{e(href)}" data-page="{e(page.id)}">{inner}</a>'
            )
    return f'<nav class="page-nav" aria-label="Pages">{"".join(items)}</nav>'


def sidebar_html(pages: Iterable[Page], current: str, params: Mapping[str, str | list[str]]) -> str:
    """The top of the sidebar: the app's name, the page list (`nav_html`) and a rule."""
    return (
        '<div class="app-name"><span class="nav-icon" aria-hidden="true">monitoring</span>'
        f"Ops Cockpit</div>{nav_html(pages, current, params)}"
        '<hr class="page-nav-end">'
    )
