"""The meeting pack as a 16:9 PowerPoint file (python-pptx), laid out by ``monev.report.layout``."""

from __future__ import annotations

import io

from monev.report import layout
from monev.report.content import MeetingPack

TITLE_ONLY_LAYOUT = 5  # in python-pptx's default template; its title is placed anew on every slide


def to_pptx(pack: MeetingPack) -> bytes:
    """The pack as a 16:9 PowerPoint file: one slide per ``Slide``, large type, speaker notes."""
    from pptx import Presentation  # imported here: only the pack needs python-pptx
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(layout.SLIDE_W_IN), Inches(layout.SLIDE_H_IN)
    presentation.core_properties.title = pack.title
    presentation.core_properties.language = pack.lang

    def style(run, size: int, *, bold: bool = False, color: tuple[int, int, int] = layout.DARK) -> None:
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, RGBColor(*color)

    def text_box(slide, box, lines, size: int, *, bold: bool = False, color=layout.DARK, bullet: bool = False) -> None:
        frame = slide.shapes.add_textbox(*(Inches(v) for v in box)).text_frame
        frame.word_wrap = True
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(size * 0.5)
            run = paragraph.add_run()
            run.text = f"• {line}" if bullet else line
            style(run, size, bold=bold, color=color)

    def place_title(shape, box, text: str, size: int) -> None:
        shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)
        shape.text_frame.text = text
        shape.text_frame.word_wrap = True
        for paragraph in shape.text_frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            for run in paragraph.runs:
                style(run, size, bold=True)

    full_width = layout.SLIDE_W_IN - 2 * layout.MARGIN_IN
    for content in pack.slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY_LAYOUT])
        if content.kind == "title":
            place_title(slide.shapes.title, (layout.MARGIN_IN, 1.5, full_width, 1.6), content.title, 36)
            text_box(slide, (layout.MARGIN_IN, 3.3, full_width, 1.8), content.bullets, 22, color=layout.ACCENT)
            if content.warning:
                text_box(slide, (layout.MARGIN_IN, 5.2, full_width, 1.2), [content.warning], 22, bold=True,
                         color=layout.WARNING)
        else:
            place_title(slide.shapes.title, (layout.MARGIN_IN, layout.TITLE_TOP_IN, full_width, layout.TITLE_H_IN),
                        content.title, layout.TITLE_PT)
            parts = layout.place_parts(content)
            if "kpis" in parts:
                left, top, width, height = parts["kpis"]
                tile_w = (width - 0.3 * (len(content.kpis) - 1)) / len(content.kpis)
                for index, kpi in enumerate(content.kpis):
                    tile = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left + index * (tile_w + 0.3)),
                                                  Inches(top), Inches(tile_w), Inches(height))
                    tile.fill.solid()
                    tile.fill.fore_color.rgb = RGBColor(*layout.TILE_FILL)
                    tile.line.fill.background()
                    frame = tile.text_frame
                    frame.word_wrap = True
                    for number, (text, size, bold, color) in enumerate((
                            (kpi.label, layout.KPI_LABEL_PT, True, layout.GREY),
                            (kpi.value, layout.KPI_VALUE_PT, True, layout.DARK),
                            (kpi.detail, layout.KPI_DETAIL_PT, False, layout.GREY))):
                        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
                        run = paragraph.add_run()
                        run.text = text
                        style(run, size, bold=bold, color=color)
            if "image" in parts and content.image is not None:
                left, top, width, height = parts["image"]
                image_w, image_h = layout.fit(content.image, width, height)
                slide.shapes.add_picture(io.BytesIO(content.image), Inches(left + (width - image_w) / 2),
                                         Inches(top), Inches(image_w), Inches(image_h))
            if "table" in parts:
                left, top, width, _ = parts["table"]
                rows, columns = len(content.table), len(content.table[0])
                shape = slide.shapes.add_table(rows, columns, Inches(left), Inches(top), Inches(width),
                                               Inches(0.5 * rows))
                for r, values in enumerate(content.table):
                    for c, value in enumerate(values):
                        cell = shape.table.cell(r, c)
                        cell.text = value
                        for paragraph in cell.text_frame.paragraphs:
                            for run in paragraph.runs:
                                style(run, layout.TABLE_PT, bold=r == 0 or c == 0,
                                      color=(0xFF, 0xFF, 0xFF) if r == 0 else layout.DARK)
            if "bullets" in parts and content.bullets:
                text_box(slide, parts["bullets"], content.bullets, layout.bullet_size(content),
                         bullet=len(content.bullets) > 1 or content.kind == "summary")
        text_box(slide, (layout.MARGIN_IN, layout.FOOTER_TOP_IN, full_width, 0.35), [pack.footer], layout.FOOTER_PT,
                 color=layout.GREY)
        if content.notes:
            slide.notes_slide.notes_text_frame.text = content.notes
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()
