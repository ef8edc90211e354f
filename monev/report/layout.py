"""Where things go on a slide, in inches, and the type sizes and colours: shared by the PPTX and the PDF writers,
so that both files look alike."""

from __future__ import annotations

from monev.report.content import Slide

SLIDE_W_IN, SLIDE_H_IN = 40 / 3, 7.5  # 16:9, 13⅓ by 7½ inches
MARGIN_IN = 0.55
TITLE_TOP_IN, TITLE_H_IN = 0.3, 0.95
BODY_TOP_IN, BODY_BOTTOM_IN = 1.4, 6.85
FOOTER_TOP_IN = 7.0
DARK = (0x14, 0x21, 0x3D)
ACCENT = (0x1F, 0x4E, 0x79)
GREY = (0x5A, 0x64, 0x78)
WARNING = (0xA6, 0x1B, 0x1B)
TILE_FILL = (0xEE, 0xF2, 0xF7)
TITLE_PT, BODY_PT, SMALL_PT, FOOTER_PT = 30, 20, 16, 11
KPI_VALUE_PT, KPI_LABEL_PT, KPI_DETAIL_PT = 32, 15, 13
TABLE_PT = 17


def _image_size(png: bytes) -> tuple[int, int]:
    # Width and height sit at fixed offsets of a PNG's IHDR chunk.
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def fit(png: bytes, box_w: float, box_h: float) -> tuple[float, float]:
    """The largest (width, height) with the image's aspect ratio that fits the box."""
    width, height = _image_size(png)
    scale = min(box_w / width, box_h / height)
    return width * scale, height * scale


def place_parts(slide: Slide) -> dict[str, tuple[float, float, float, float]]:
    """Where each part of a content slide goes, in inches (left, top, width, height); shared by PPTX and PDF."""
    left, width = MARGIN_IN, SLIDE_W_IN - 2 * MARGIN_IN
    top, bottom = BODY_TOP_IN, BODY_BOTTOM_IN
    parts: dict[str, tuple[float, float, float, float]] = {}
    if slide.kpis:
        parts["kpis"] = (left, top, width, 2.4)
        parts["bullets"] = (left, top + 2.8, width, bottom - top - 2.8)
    elif slide.image is not None and slide.table:
        image_w = width * 0.6
        parts["image"] = (left, top, image_w - 0.2, bottom - top)
        parts["table"] = (left + image_w, top + 0.2, width - image_w, bottom - top - 0.2)
    elif slide.image is not None:
        caption_h = 0.55 if slide.bullets else 0.0
        parts["image"] = (left, top, width, bottom - top - caption_h)
        if slide.bullets:
            parts["bullets"] = (left, bottom - caption_h, width, caption_h)
    elif slide.table:
        parts["table"] = (left, top + 0.2, width, 2.6)
        parts["bullets"] = (left, top + 3.3, width, bottom - top - 3.3)
    else:
        parts["bullets"] = (left, top, width, bottom - top)
    return parts


def bullet_size(slide: Slide) -> int:
    """The type size of a slide's bullets, in points."""
    # Sources and notes run to nine lines; everything else is read from the back of the room.
    return SMALL_PT if slide.kind == "sources" or slide.image is not None or slide.table else BODY_PT
