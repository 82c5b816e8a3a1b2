"""The report as a proper Word document: headings in Word's own Heading styles (the
navigation pane lists them), tables with a header row that repeats on every page, charts as
pictures with alt text, the report's language for proofing (nl-NL, en-GB) on every style, A4
with 2 cm margins (page 1 holds the overview), and the librarian as author under the report's title.

Texts the librarian typed are written as text, never interpreted.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

from bot.app.documents import line_ends
from bot.features.export.report_base import Block

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Word's proofing language for the report's language; British English, as Dutch libraries
# write it.
PROOFING = {"nl": "nl-NL", "en": "en-GB"}
MARGIN_CM = 2.0
TABLE_STYLE = "Light Grid Accent 1"  # a built-in style: ruled, the header row set apart
STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Bullet",
          "List Bullet 2", TABLE_STYLE)


def xml_safe(text: str) -> str:
    """Word files are XML: characters XML cannot hold become U+FFFD instead of a crash. Line
    ends become LF first (python-docx makes a break of both CR and LF: CRLF would be two)."""
    return _XML_BAD.sub("\ufffd", line_ends(text))


def _language(element: Any, language: str) -> None:
    """Set w:lang (proofing) on an rPr element, adding it where it is missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = element.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        element.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), "ar-SA")


def stamp(document: Any, data: dict[str, Any], title: str) -> None:
    """Who made the file, when, in what language and on what paper: the librarian (not
    python-docx's template), the moment of the export (the injected clock, not 2013), the
    report's language for spelling checks (not en-US), A4 (not Letter)."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    made = datetime.fromisoformat(data["exported_at"]).astimezone(UTC).replace(tzinfo=None)
    librarian = data["librarian"]
    language = PROOFING.get(librarian.get("language") or "", "nl-NL")
    props = document.core_properties
    props.author = props.last_modified_by = xml_safe(librarian.get("name") or "Veldgids")
    props.created = props.modified = made
    props.title = xml_safe(title)
    props.comments = ""
    props.language = language
    props.revision = 1
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}"
                                            f"/{qn('w:rPr')}")
    if defaults is not None:
        _language(defaults, language)
    for name in STYLES:
        _language(document.styles[name].element.get_or_add_rPr(), language)
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)


TITLE_PT = 20  # a one-community report's title, its name: a Heading 1 the pane lists
TABLE_PT = 9  # a table's text: smaller than the body's 11, so a row takes a line or two
TEXT_CM = 21.0 - 2 * MARGIN_CM  # A4's width less the margins
CHART_CM = TEXT_CM / 2 - 0.1  # two charts side by side, a space between


def table(document: Any, rows: tuple[tuple[str, ...], ...],
          widths: tuple[float, ...] = ()) -> None:
    """A table in a built-in style; its first row is the header, repeated on each page. With
    `widths` its columns take those shares of the page's width, and keep them."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    width = max(len(row) for row in rows)
    made = document.add_table(rows=len(rows), cols=width)
    made.style = document.styles[TABLE_STYLE]
    for index, row in enumerate(rows):
        for cell, text in zip(made.rows[index].cells, row, strict=False):
            run = cell.paragraphs[0].add_run(xml_safe(text))
            run.bold = index == 0
            run.font.size = Pt(TABLE_PT)
    if len(widths) == width:
        made.autofit = False
        shares = [Cm(TEXT_CM * share / sum(widths)) for share in widths]
        for column, share in zip(made.columns, shares, strict=True):
            column.width = share  # the grid, which Word lays a fixed table out on
            for cell in column.cells:
                cell.width = share
    # python-docx has no API for a repeating header row: its row XML gets <w:tblHeader/>.
    header = made.rows[0]._tr.get_or_add_trPr()  # noqa: SLF001 - see above
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    # A paragraph between two tables keeps them apart; a low one, so it is little room.
    spacer = document.add_paragraph().paragraph_format
    spacer.line_spacing, spacer.space_after = Pt(4), Pt(0)


def picture(document: Any, b: Block, beside: Any = None) -> Any:
    """A goal's chart, drawn here from plain numbers, with what it shows as alt text; two
    side by side in one paragraph (`beside`: the paragraph with the first). Returns its
    paragraph."""
    from docx.shared import Cm

    from bot.features.export.report_goals import draw

    if b.chart is None:
        return beside
    paragraph = beside if beside is not None else document.add_paragraph()
    if beside is not None:
        paragraph.add_run(" ")
    shape = paragraph.add_run().add_picture(io.BytesIO(draw(b.chart, small=True)),
                                            width=Cm(CHART_CM))
    # Nor for alt text: the picture's <wp:docPr> takes it as `descr`.
    properties = shape._inline.docPr  # noqa: SLF001 - see above
    properties.set("descr", xml_safe(b.alt or b.text))
    properties.set("title", xml_safe(b.text))
    return paragraph


def docx(blocks: list[Block], data: dict[str, Any], title: str = "Veldgids") -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    stamp(document, data, title)
    pair = None  # the paragraph with a chart that has room for a second
    for b in blocks:
        if b.kind == "chart":
            shown = picture(document, b, pair)
            pair = shown if pair is None else None
            continue
        pair = None
        if b.kind == "h":  # level 1 is the title; 2, 3, 4 … are Heading 1, 2, 3 …
            heading = document.add_heading(xml_safe(b.text).replace("\n", " "),
                                           level=min(b.level, 10) - 1 if b.level > 1 else 0)
            if b is blocks[0] and b.level == 2 and heading.runs:  # a community's report:
                heading.runs[0].font.size = Pt(TITLE_PT)  # its name is the title
        elif b.kind == "meta":
            document.add_paragraph().add_run(xml_safe(b.text)).italic = True
        elif b.kind == "table":
            table(document, b.rows, b.widths)
        elif b.kind == "pagebreak":
            document.add_page_break()
        elif b.kind == "p":
            document.add_paragraph(xml_safe(b.text))
        elif b.kind == "kv":  # "label: value" lines read as one block
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(3)
            paragraph.add_run(xml_safe(b.label) + ": ").bold = True
            paragraph.add_run(xml_safe(b.text))
        else:
            paragraph = document.add_paragraph(style="List Bullet 2" if b.level else "List Bullet")
            if b.checked is not None:
                paragraph.add_run("☑ " if b.checked else "☐ ")
            if b.label:
                paragraph.add_run(xml_safe(b.label) + " ").bold = True
            paragraph.add_run(xml_safe(b.text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
