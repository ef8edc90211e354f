"""Column mappings: how an editor said the columns of an office's file map to our fields, remembered per header shape.

An office keeps its spreadsheet the same from month to month, so the headers of its table (their words, in order)
identify the file's shape. A mapping says, for headers the loader does not recognise by itself, which field each
one is, or that it is to be ignored (``IGNORE``). The store keeps one mapping per shape.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

from monev.regions import normalise_name

IGNORE = ""  # the field a header is mapped to when its column is to be ignored

ColumnMapping = Mapping[str, str]  # header key (``header_key``) -> field key, or IGNORE


def header_key(text: object) -> str:
    """A header as the loader compares it: case, accents, punctuation and spacing do not matter."""
    return normalise_name(str(text or "")).replace(" ", "_")


def header_shape(headers: Iterable[object]) -> str:
    """The shape of a header row: a digest of its non-empty headers' keys, in order."""
    keys = [key for key in map(header_key, headers) if key]
    return hashlib.sha256(json.dumps(keys).encode()).hexdigest()
