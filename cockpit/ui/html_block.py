"""Our own HTML blocks (the scorecard, "what moved"), updated in place on a view change.

st.html sanitises its body with DOMPurify and replaces the whole block on every change.
On the Overview a view change (compare with the target, another month) then re-parses and
re-lays out some 500 elements, most of them unchanged: that was the largest part of what a
view change cost in the browser (bench/pages.py). This JavaScript-only component sets the
block once and afterwards updates only the nodes that differ: a comparison's chips and
words change, the sparklines and labels stay as they are.

It renders without DOMPurify, so it takes only HTML that cockpit.screens builds, where
every text and attribute value is escaped (`html.escape`); tests/unit/test_html_safety.py
holds every builder to an allowlist of tags, attributes and link targets, with hostile
labels. Never pass it text from users or files that has not gone through those builders.
"""

from __future__ import annotations

import streamlit as st

# Make the block's children equal to those parsed from the new HTML, touching only nodes
# that differ (same tag: attributes synced and children compared; else replaced).
_JS = """
const sync = (old, neu) => {
  const a = Array.from(old.childNodes), b = Array.from(neu.childNodes);
  if (a.length !== b.length) { old.replaceChildren(...b); return; }
  for (let i = 0; i < b.length; i++) {
    const x = a[i], y = b[i];
    if (x.isEqualNode(y)) continue;
    if (x.nodeType === 1 && y.nodeType === 1 && x.tagName === y.tagName) {
      for (const { name } of Array.from(x.attributes)) {
        if (!y.hasAttribute(name)) x.removeAttribute(name);
      }
      for (const { name, value } of Array.from(y.attributes)) {
        if (x.getAttribute(name) !== value) x.setAttribute(name, value);
      }
      sync(x, y);
    } else if (x.nodeType === 3 && y.nodeType === 3) {
      x.data = y.data;
    } else {
      old.replaceChild(y, x);
    }
  }
};

export default function ({ parentElement, data }) {
  const html = typeof data === "string" ? data : "";
  // Our own child, so nothing Streamlit put in the parent is touched.
  let root = parentElement.querySelector(":scope > .html-block");
  if (!root) {
    root = document.createElement("div");
    root.className = "html-block";
    parentElement.appendChild(root);
  }
  if (root.__cockpitHtml === html) return;
  const parsed = document.createElement("template");
  parsed.innerHTML = html;
  if (root.__cockpitHtml === undefined) root.replaceChildren(parsed.content);
  else sync(root, parsed.content);
  root.__cockpitHtml = html;
}
"""

_component = st.components.v2.component("cockpit.html_block", js=_JS, isolate_styles=False)


KEY_PREFIX = "html_block_"  # the element's class is st-key-html_block_<key> (tests wait on it)


def html_block(html: str, *, key: str) -> None:
    """Show `html` (built by cockpit.screens, escaped there) as a block updated in place."""
    _component(key=KEY_PREFIX + key, data=html)
