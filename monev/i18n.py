"""UI text catalogs (``monev/locales/<lang>.toml``): Bahasa Indonesia first, English as an option."""

from __future__ import annotations

import functools
import string
import tomllib
from pathlib import Path

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

_LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """All texts of one language, keyed 'section.name'."""
    with (_LOCALES_DIR / f"{lang}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


def supported(lang: object) -> str:
    """The language itself when supported, else the default (for values from URLs and old sessions)."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled from ``params``."""
    text = catalog(supported(lang))[key]
    return text.format(**params) if params else text


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in a catalog text."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}
