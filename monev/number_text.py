"""Numbers people type, written and read the way their language writes them (via Babel).

Indonesian writes ``39,5`` and ``5.000.000.000``, English ``39.5`` and ``5,000,000,000``; both accept "Rp", "%",
spaces and a scale word (``5 miliar``, ``5 billion``). The rule for a dot or comma is the language's own and has no
exceptions: in Indonesian a dot only separates thousands, in English a comma only does. A percentage (0–100) never
needs a thousands separator, so ``39.5`` typed as an Indonesian percentage is reported (write ``39,5``) instead of
being guessed: a guess would read it as 395 or 39,5 depending on the kind of input, which no one can see.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from monev import i18n

KINDS = ("percent", "count", "rupiah", "months")
# (lowest, highest) a value of each kind may take; None: no upper bound.
_BOUNDS: dict[str, tuple[int, int | None]] = {"percent": (0, 100), "count": (0, None), "rupiah": (0, None),
                                              "months": (1, 12)}
_WHOLE_KINDS = frozenset({"count", "rupiah", "months"})
# Scale words of both languages: someone switching language mid-meeting may still type "5 miliar".
_SCALES = {
    "ribu": 10**3, "rb": 10**3, "juta": 10**6, "jt": 10**6, "miliar": 10**9, "milyar": 10**9, "triliun": 10**12,
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
}
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER_AND_WORD = re.compile(r"^(?P<number>[^a-z]*?)\s*(?P<word>[a-z]+)?$")
_PERCENT_PATTERN = "#,##0.##"  # 39 and 39,5: no trailing zeros to read past


class NumberTextError(ValueError):
    """A typed text that is not a number of its kind: ``reason`` names the catalog text that says why."""

    def __init__(self, reason: str, text: str, kind: str) -> None:
        super().__init__(f"{reason}: {text!r} ({kind})")
        self.reason = reason
        self.text = text
        self.kind = kind

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """What was typed, why it is not accepted, and an example of what is, in ``lang``."""
        low, high = _BOUNDS[self.kind]
        example = i18n.t(f"number.example_{self.kind}", lang)
        return i18n.t(f"number.{self.reason}", lang, text=self.text, example=example,
                      low=format_decimal(low, locale=lang),
                      high=format_decimal(high, locale=lang) if high is not None else "")


def parse_number(text: str, lang: str, kind: str) -> float | None:
    """The number ``text`` writes in ``lang`` as a value of ``kind`` (a percentage as typed, 39.5 for "39,5"); None
    for a blank text; raises ``NumberTextError`` for anything else that is not one."""
    lang = i18n.supported(lang)
    typed = text.strip()
    if not typed:
        return None
    bare = typed.lower().removeprefix("rp").removesuffix("%").strip()
    match = _NUMBER_AND_WORD.match(bare)
    if match is None or not match["number"].strip():
        raise NumberTextError("not_a_number", typed, kind)
    scale = 1
    if match["word"] is not None:
        if match["word"] not in _SCALES:
            raise NumberTextError("not_a_number", typed, kind)
        scale = _SCALES[match["word"]]
    digits = _SPACES.sub("", match["number"])
    if kind == "percent" and _thousands_sign(lang) in digits:
        # One separator where a decimal sign would be ("39.5"): the other language's decimal; say which sign to use.
        one_decimal = re.fullmatch(r"[-+]?\d+[.,]\d+", digits) is not None
        raise NumberTextError("decimal_sign" if one_decimal else "not_a_number", typed, kind)
    try:
        value = parse_decimal(digits, locale=lang, strict=True) * scale
    except NumberFormatError as error:
        raise NumberTextError("not_a_number", typed, kind) from error
    return _checked(value, typed, kind)


def _thousands_sign(lang: str) -> str:
    """The sign that separates thousands in ``lang`` (the other language's decimal sign)."""
    return "." if lang == "id" else ","


def _checked(value: Decimal, typed: str, kind: str) -> float:
    low, high = _BOUNDS[kind]
    if kind in _WHOLE_KINDS and value != value.to_integral_value():
        raise NumberTextError("not_whole", typed, kind)
    if value < low or (high is not None and value > high):
        raise NumberTextError("out_of_range" if high is not None else "negative", typed, kind)
    return float(value)


def write_number(value: float | None, lang: str, kind: str) -> str:
    """``value`` of ``kind`` as ``parse_number`` reads it back in ``lang``: 39,5 · 16.800 · Rp5.000.000.000 (id);
    empty for no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    lang = i18n.supported(lang)
    if kind == "percent":
        return format_decimal(value, format=_PERCENT_PATTERN, locale=lang)
    whole = format_decimal(round(value), format="#,##0" if kind != "months" else "0", locale=lang)
    return "Rp" + whole if kind == "rupiah" else whole
