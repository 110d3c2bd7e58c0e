"""Links inside HTML blocks that open a page in this session, as st.page_link does.

The Overview draws its cards, "what moved" tiles and group headings as a few HTML blocks
instead of a hundred Streamlit elements (each element costs the browser time on every
rerun). Their links are plain anchors (`cockpit.links.anchor`): a real address, so a middle
click or "copy link" works, and a `data-page` attribute. A plain click on one would reload
the app and start a new session (a password user would sign in again), so one small
JavaScript component catches it and hands the target to Python, which switches page in
this session with st.switch_page.

The view bar (period, month, comparison) reruns only its own part of the page, and the
links leave its parameters out (`links.in_app_params`): a view change then rewrites no link
and the blocks' unchanged parts stay as they are. Before a link is followed, opened in a new
tab, dragged or copied, the script puts those parameters in from the address bar, which the
view bar keeps current.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cockpit import links

# A plain left click on an anchor with data-page: handled here; modified clicks (new tab,
# new window) and every other link keep the browser's own behaviour.
_JS = """
export default function ({ setTriggerValue, data }) {
  const viewKeys = (data && data.view_keys) || [];
  const inAppLink = (event) =>
    event.target.closest ? event.target.closest("a[data-page]") : null;
  // The view's parameters as the address bar has them now; the link's own others.
  const refresh = (link) => {
    const here = new URLSearchParams(window.location.search);
    const params = new URLSearchParams(link.search);
    for (const key of viewKeys) {
      params.delete(key);
      for (const value of here.getAll(key)) params.append(key, value);
    }
    const search = params.toString() ? "?" + params.toString() : "";
    if (link.search !== search) link.search = search;
  };
  const onUse = (event) => {
    const link = inAppLink(event);
    if (link) refresh(link);
  };
  const onClick = (event) => {
    const link = inAppLink(event);
    if (!link) return;
    refresh(link);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setTriggerValue("open", { page: link.dataset.page, query: link.search.replace(/^\\?/, "") });
  };
  const uses = ["pointerdown", "focusin", "contextmenu", "auxclick", "dragstart"];
  for (const type of uses) document.addEventListener(type, onUse, true);
  document.addEventListener("click", onClick);
  return () => {
    for (const type of uses) document.removeEventListener(type, onUse, true);
    document.removeEventListener("click", onClick);
  };
}
"""

_KEY = "in_app_links"
_TARGET = "_in_app_link_target"
_component = st.components.v2.component("cockpit.in_app_links", js=_JS)


def _remember_target() -> None:
    clicked = st.session_state[_KEY].get("open")
    if clicked:
        st.session_state[_TARGET] = clicked


def follow_pending() -> None:
    """If an in-app link was just clicked, switch to its page now, before this page draws
    anything. Called first thing by the page shell."""
    target = st.session_state.pop(_TARGET, None)
    if target:
        found = links.link_target(target)
        if found is not None:
            st.switch_page(found[0], query_params=found[1])


def catch_clicks(view_keys: Sequence[str]) -> None:
    """Mount the click catcher (an element with nothing to show; the page shell puts it at
    the end of the sidebar); `view_keys`: the parameters links take from the address bar."""
    _component(key=_KEY, data={"view_keys": list(view_keys)}, on_open_change=_remember_target)
