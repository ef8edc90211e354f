"""Safe text for Streamlit's Markdown: what users typed (file names, region names) is shown, never interpreted."""

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character Markdown (or Streamlit's colour/emoji directives) could act on."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
