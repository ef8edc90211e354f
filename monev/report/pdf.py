"""The meeting pack as a PDF (fpdf2), one landscape 16:9 page per slide, laid out by ``monev.report.layout``."""

from __future__ import annotations

import io
from pathlib import Path

from monev.report import layout
from monev.report.content import MeetingPack

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
# Core PDF fonts know only Windows-1252: these characters get ASCII stand-ins when no Unicode font is at hand.
_CP1252_STAND_INS = str.maketrans({"≥": ">=", "≤": "<=", "→": "->", "≈": "~", "−": "-", "\u00a0": " "})


def to_pdf(pack: MeetingPack, *, font_dir: Path = FONT_DIR) -> bytes:
    """The pack as a PDF with one landscape 16:9 page per slide; DejaVu Sans embedded (Helvetica without it)."""
    from fpdf import FPDF, FontFace  # imported here: only the pack needs fpdf2

    pdf = FPDF(orientation="landscape", unit="in", format=(layout.SLIDE_H_IN, layout.SLIDE_W_IN))
    pdf.set_auto_page_break(False)  # one page per slide, as in the PPTX
    pdf.set_margins(layout.MARGIN_IN, layout.MARGIN_IN)
    pdf.set_title(pack.title)
    pdf.set_lang(pack.lang)
    regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        family = "DejaVu"

        def clean(text: str) -> str:
            return text
    else:
        family = "Helvetica"
        pdf.core_fonts_encoding = "cp1252"  # has – · • ÷ …, which latin-1 lacks

        def clean(text: str) -> str:
            return text.translate(_CP1252_STAND_INS).encode("cp1252", "replace").decode("cp1252")

    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=layout.ACCENT)

    def write(box, lines, size: int, *, bold_text: bool = False, colour=layout.DARK, bullet: bool = False) -> None:
        left, top, width, _ = box  # the text flows down from the top; the layout keeps it inside its box
        pdf.set_font(family, "B" if bold_text else "", size)
        pdf.set_text_color(*colour)
        pdf.set_xy(left, top)
        line_h = size * 1.3 / 72
        for line in lines:
            pdf.set_x(left)
            pdf.multi_cell(width, line_h, clean(f"• {line}" if bullet else line), align="L", new_x="LMARGIN",
                           new_y="NEXT")
            pdf.set_y(pdf.get_y() + size * 0.5 / 72)

    full_width = layout.SLIDE_W_IN - 2 * layout.MARGIN_IN
    for content in pack.slides:
        pdf.add_page()
        if content.kind == "title":
            write((layout.MARGIN_IN, 1.8, full_width, 1.4), [content.title], 36, bold_text=True)
            write((layout.MARGIN_IN, 3.4, full_width, 1.8), content.bullets, 22, colour=layout.ACCENT)
            if content.warning:
                write((layout.MARGIN_IN, 5.2, full_width, 1.2), [content.warning], 22, bold_text=True,
                      colour=layout.WARNING)
        else:
            write((layout.MARGIN_IN, layout.TITLE_TOP_IN + 0.2, full_width, layout.TITLE_H_IN), [content.title],
                  layout.TITLE_PT, bold_text=True)
            parts = layout.place_parts(content)
            if "kpis" in parts:
                left, top, width, height = parts["kpis"]
                tile_w = (width - 0.3 * (len(content.kpis) - 1)) / len(content.kpis)
                for index, kpi in enumerate(content.kpis):
                    x = left + index * (tile_w + 0.3)
                    pdf.set_fill_color(*layout.TILE_FILL)
                    pdf.rect(x, top, tile_w, height, style="F")
                    write((x + 0.12, top + 0.12, tile_w - 0.24, 0.4), [kpi.label], layout.KPI_LABEL_PT, bold_text=True,
                          colour=layout.GREY)
                    write((x + 0.12, pdf.get_y(), tile_w - 0.24, 0.7), [kpi.value], layout.KPI_VALUE_PT, bold_text=True)
                    write((x + 0.12, pdf.get_y(), tile_w - 0.24, 0.6), [kpi.detail], layout.KPI_DETAIL_PT,
                          colour=layout.GREY)
            if "image" in parts and content.image is not None:
                left, top, width, height = parts["image"]
                image_w, image_h = layout.fit(content.image, width, height)
                pdf.image(io.BytesIO(content.image), x=left + (width - image_w) / 2, y=top, w=image_w, h=image_h)
            if "table" in parts:
                left, top, width, _ = parts["table"]
                pdf.set_xy(left, top)
                pdf.set_font(family, "", layout.TABLE_PT)
                pdf.set_text_color(*layout.DARK)
                with pdf.table(width=min(width, pdf.epw), align="LEFT", line_height=layout.TABLE_PT * 1.5 / 72,
                               headings_style=heading, first_row_as_headings=True, text_align="LEFT") as table:
                    for values in content.table:
                        row = table.row()
                        for value in values:
                            row.cell(clean(value))
            if "bullets" in parts and content.bullets:
                write(parts["bullets"], content.bullets, layout.bullet_size(content),
                      bullet=len(content.bullets) > 1 or content.kind == "summary")
        write((layout.MARGIN_IN, layout.FOOTER_TOP_IN, full_width, 0.35), [pack.footer], layout.FOOTER_PT,
              colour=layout.GREY)
    return bytes(pdf.output())
