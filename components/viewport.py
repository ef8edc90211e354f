"""What the server learns of the browser's screen, and what the page does there on its own (small scripts that run in
the app's page, never in an iframe).

The server cannot know how wide the page is; a map framed for a wide column cuts off the province on a phone. The
page tells it: on a narrow screen (where Streamlit stacks columns) the width of its content, once and again after a
rotation.
"""

from __future__ import annotations

import streamlit as st

from components.state import WidgetKeys

NARROW_SCREEN_MAX_PX = 640  # Streamlit stacks columns below this width: the map then spans the whole content
_WIDTH_STEP_PX = 10  # the width is told rounded down to this step: fewer maps to build, a frame a little narrower

_CONTENT_WIDTH_JS = f"""
export default function ({{ data, setStateValue }}) {{
  // The width the server last heard, so that a rotation is told once and the width known already is never told.
  let told = data.width;
  const tell = () => {{
    const content = document.querySelector('[data-testid="stMainBlockContainer"]');
    let width = null;
    if (content && window.matchMedia('(max-width: {NARROW_SCREEN_MAX_PX}px)').matches) {{
      const style = getComputedStyle(content);
      const inner = content.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      width = Math.floor(inner / {_WIDTH_STEP_PX}) * {_WIDTH_STEP_PX};
    }}
    if (width !== told) {{
      told = width;
      setStateValue('width', width);
    }}
  }};
  tell();
  window.addEventListener('resize', tell);
  return () => window.removeEventListener('resize', tell);
}}
"""

# Brings the region's panel into view when it is not: on a phone it opens below the map, out of sight. Once per
# selection (the token): a rerun of the same selection (another metric, say) leaves the page where it is.
_SCROLL_INTO_VIEW_JS = """
let scrolledFor = null;
export default function ({ data }) {
  if (data.token === scrolledFor) return;
  scrolledFor = data.token;
  // After the panel is laid out: it is drawn in the same rerun as this script.
  window.requestAnimationFrame(() => window.setTimeout(() => {
    const panel = document.querySelector(data.selector);
    if (!panel) return;
    const top = panel.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) panel.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, 100));
}
"""



def _hide_slot(key: str) -> None:
    """Take the script's empty element out of the layout: it would still open a gap between its neighbours."""
    st.html(f"<style>.st-key-{key.replace('.', '-')} {{ display: none; }}</style>")


_content_width = st.components.v2.component("monev_content_width", js=_CONTENT_WIDTH_JS)
_scroll_into_view = st.components.v2.component("monev_scroll_into_view", js=_SCROLL_INTO_VIEW_JS)


def narrow_content_width() -> int | None:
    """The width (CSS px) of the page's content on a narrow screen, where columns stack; None on a wide screen and
    until the browser has told it (its answer reruns the page)."""
    _hide_slot(WidgetKeys.CONTENT_WIDTH)
    told = st.session_state.get(WidgetKeys.CONTENT_WIDTH) or {}
    result = _content_width(key=WidgetKeys.CONTENT_WIDTH, data={"width": told.get("width")},
                            default={"width": None}, on_width_change=lambda: None)
    width = result.width
    return int(width) if isinstance(width, int | float) else None


def scroll_into_view_once(selector: str, token: str) -> None:
    """Scroll the element of CSS ``selector`` into view if it is out of sight, once per ``token``."""
    _hide_slot(WidgetKeys.SCROLL_INTO_VIEW)
    _scroll_into_view(key=WidgetKeys.SCROLL_INTO_VIEW, data={"selector": selector, "token": token})

