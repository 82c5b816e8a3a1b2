"""Page 1 of a Word file as a picture, drawn from what the .docx holds (python-docx) with
Pillow, where no word processor is at hand (no LibreOffice on the build machine).
Long: one small layout engine (styles, wrapping, tables, pictures, page end) whose parts only
make sense together.

It reads the document back as Word would lay it out, simplified: the page size and margins of
its first section; paragraphs with their style's font size, weight, slant, colour and spacing
(along the style's `basedOn` chain down to the document defaults); bullets; a bottom border
(the title's rule); tables on their column grid with borders and cell shading; pictures
(charts) in place at their size. Page 1 ends at the first page break (a break in a run, a
paragraph that starts a page, a section break) or where the page is full. Text is DejaVu
Sans, which matplotlib ships; an emoji the font lacks becomes a coloured sign it has.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from PIL import Image, ImageDraw, ImageFont

EMU_PER_PT = 12700
BLACK = (0, 0, 0)
GREY = (110, 110, 110)
# Signs DejaVu Sans has, for emoji it has not: what the report's paces and ticks mean stays
# visible in colour.
SIGNS = {"🟢": ("●", (46, 158, 68)), "🟠": ("●", (230, 126, 34)), "🔴": ("●", (200, 40, 40)),
         "🟡": ("●", (230, 190, 20)), "✅": ("✔", (46, 158, 68)), "⭐": ("★", (230, 170, 0)),
         "❌": ("✘", (200, 40, 40)), "⚠": ("⚠", (230, 126, 34))}


@cache
def _font_file(bold: bool, italic: bool) -> str:
    import matplotlib

    name = "DejaVuSans" + {(False, False): "", (True, False): "-Bold",
                           (False, True): "-Oblique", (True, True): "-BoldOblique"}[bold, italic]
    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / f"{name}.ttf")


@cache
def _font(px: int, bold: bool, italic: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_file(bold, italic), px)


@cache
def _glyphs() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(_font_file(False, False)).getBestCmap())


@dataclass
class Piece:
    text: str = ""
    font: ImageFont.FreeTypeFont | None = None
    colour: tuple[int, int, int] = BLACK
    picture: Image.Image | None = None

    def width(self) -> float:
        if self.picture is not None:
            return float(self.picture.width)
        assert self.font is not None
        return self.font.getlength(self.text)

    def height(self, spacing: float) -> float:
        if self.picture is not None:
            return float(self.picture.height)
        assert self.font is not None
        return self.font.size * 1.17 * spacing


@dataclass
class Line:
    pieces: list[tuple[float, Piece]] = field(default_factory=list)  # (x, piece)
    height: float = 0.0

    def text(self) -> str:
        return "".join(p.text for _, p in self.pieces).strip()


@dataclass
class Laid:
    """A paragraph laid out in a width: its lines and the space around it."""

    lines: list[Line]
    before: float
    after: float
    rule: bool = False  # a bottom border
    breaks: bool = False  # a page break follows its content


class Page:
    """One page at `dpi`; `texts` are the lines drawn, in order (what a test reads)."""

    def __init__(self, document: Any, dpi: int) -> None:
        self.document = document
        section = document.sections[0]
        self.scale = dpi / 72  # pixels per point
        self.left = self.px(section.left_margin)
        self.top = self.px(section.top_margin)
        self.width = self.px(section.page_width) - self.left - self.px(section.right_margin)
        self.bottom = self.px(section.page_height) - self.px(section.bottom_margin)
        self.image = Image.new("RGB", (round(self.px(section.page_width)),
                                       round(self.px(section.page_height))), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.y = self.top
        self.texts: list[str] = []
        self.defaults = _defaults(document)

    def px(self, emu: int | None) -> float:
        return (emu or 0) / EMU_PER_PT * self.scale

    # styles: the paragraph's own setting, else its style's, along basedOn, else defaults
    def _chain(self, paragraph: Any, get: Any, default: Any) -> Any:
        style = paragraph.style
        while style is not None:
            value = get(style)
            if value is not None:
                return value
            style = style.base_style
        return default

    def _font_of(self, paragraph: Any, run: Any) -> tuple[ImageFont.FreeTypeFont, tuple]:
        size = run.font.size or self._chain(paragraph, lambda s: s.font.size, None)
        pt = size.pt if size is not None else self.defaults["size"]
        bold = run.bold if run.bold is not None else self._chain(
            paragraph, lambda s: s.font.bold, False)
        italic = run.italic if run.italic is not None else self._chain(
            paragraph, lambda s: s.font.italic, False)
        rgb = (run.font.color.rgb if run.font.color.type else None) or self._chain(
            paragraph, lambda s: s.font.color.rgb if s.font.color.type else None, None)
        colour = tuple(rgb) if rgb is not None else BLACK
        return _font(max(1, round(pt * self.scale)), bool(bold), bool(italic)), colour

    def lay(self, paragraph: Any, width: float, in_table: Any = None) -> Laid:
        fmt = paragraph.paragraph_format
        own = in_table.style.paragraph_format if in_table is not None else None
        before = fmt.space_before or (own and own.space_before) or self._chain(
            paragraph, lambda s: s.paragraph_format.space_before, None)
        after = fmt.space_after if fmt.space_after is not None else (
            own.space_after if own is not None and own.space_after is not None else
            self._chain(paragraph, lambda s: s.paragraph_format.space_after, None))
        name = paragraph.style.name if paragraph.style is not None else ""
        level = 2 if name.endswith(" 2") else 1
        indent = 18 * self.scale * level if name.startswith("List") else 0.0
        pieces, breaks = self._pieces(paragraph, width - indent)
        if indent:
            pieces.insert(0, Piece("• ", self._font_of(paragraph, _Bare())[0]))
        lines = _wrap(pieces, width - indent, indent, self.defaults["spacing"])
        after_px = self.px(after) if after is not None else self.defaults["after"] * self.scale
        if name.startswith("List") and _next_is_list(paragraph):
            after_px = 0.0  # contextual spacing: a list is one block
        rule = _xml(paragraph).find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None \
            or _style_has_rule(paragraph.style)
        starts = _starts_page(paragraph)
        return Laid(lines, self.px(before), after_px, rule, breaks or starts == "after")

    def _pieces(self, paragraph: Any, width: float) -> tuple[list[Piece], bool]:
        pieces: list[Piece] = []
        for run in paragraph.runs:
            if run.element.find(f".//{qn('w:br')}[@{qn('w:type')}='page']") is not None:
                return pieces, True
            for extent, blob in _pictures(paragraph.part, run.element):
                picture = Image.open(io.BytesIO(blob)).convert("RGB")
                w, h = self.px(extent[0]), self.px(extent[1])
                if w > width:
                    w, h = width, h * width / w
                pieces.append(Piece(picture=picture.resize((round(w), round(h)),
                                                           Image.Resampling.LANCZOS)))
            font, colour = self._font_of(paragraph, run)
            pieces += _words(run.text, font, colour)
        return pieces, False

    def _longest_words(self, table: Any, pad: float) -> list[float]:
        """Each column's widest word (and picture), padding included: what it cannot be
        narrower than when Word fits the table to its contents."""
        widest = [0.0] * len(table.columns)
        for row in table.rows:
            for number, cell in enumerate(row.cells[:len(widest)]):
                for paragraph in cell.paragraphs:
                    pieces, _ = self._pieces(paragraph, self.width)
                    for piece in pieces:
                        size = piece.font.getlength(piece.text.strip()) if piece.font \
                            else piece.width()
                        widest[number] = max(widest[number], size + 2 * pad + 1)
        return widest

    def keeps_with_next(self, paragraph: Any, laid: Laid, after: Any) -> bool:
        """Whether a paragraph Word keeps with the next (a heading) has room for the next
        one's first line below it; else Word moves it to the next page."""
        if after is None or not self._chain(paragraph,
                                            lambda s: s.paragraph_format.keep_with_next, False):
            return True
        if _xml(after).tag == qn("w:tbl"):
            first = 3 * self.defaults["size"] * self.scale  # a header row, roughly
        else:
            nxt = self.lay(after, self.width)
            first = nxt.before + (nxt.lines[0].height if nxt.lines else 0.0)
        height = laid.before + sum(line.height for line in laid.lines) + laid.after
        return self.y + height + first <= self.bottom

    def place(self, laid: Laid, x: float, y: float) -> float:
        """Draw at (x, y) what fits above the bottom; returns the y after it."""
        y += laid.before
        for line in laid.lines:
            if y + line.height > self.bottom:
                raise _Full
            for dx, piece in line.pieces:
                if piece.picture is not None:
                    self.image.paste(piece.picture, (round(x + dx), round(y)))
                elif piece.text.strip():
                    base = y + line.height - piece.height(self.defaults["spacing"])
                    self.draw.text((x + dx, base), piece.text, font=piece.font,
                                   fill=piece.colour)
            if line.text():
                self.texts.append(line.text())
            y += line.height
        if laid.rule:
            self.draw.line((x, y + 2, x + self.width, y + 2), fill=(79, 129, 189),
                           width=max(1, round(self.scale)))
            y += 4
        return y + laid.after

    def table(self, table: Any) -> None:
        pad = 5.4 * self.scale
        widths = _columns(table, self.width, self.scale)
        if table.autofit:  # else fixed: Word keeps the columns and breaks a long word
            widths = _autofit(widths, self._longest_words(table, pad), self.width)
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(_xml(cell)) not in seen:
                    seen.add(id(_xml(cell)))
                    cells.append(cell)
            laid = [[self.lay(p, w - 2 * pad, table) for p in c.paragraphs]
                    for c, w in zip(cells, widths, strict=False)]
            height = max(sum(lp.before + lp.after + sum(li.height for li in lp.lines)
                             for lp in parts) for parts in laid) + pad / 2
            if self.y + height > self.bottom:
                raise _Full
            x = self.left
            for cell, width, parts in zip(cells, widths, laid, strict=False):
                fill = _shading(cell)
                box = (x, self.y, x + width, self.y + height)
                self.draw.rectangle(box, fill=fill, outline=GREY, width=1)
                y = self.y + pad / 4
                for part in parts:
                    y = self.place(part, x + pad, y)
                x += width
            self.y += height
        self.y += self.defaults["after"] * self.scale


def _xml(item: Any) -> Any:
    """The XML of a paragraph, table or cell: python-docx does not model page breaks,
    borders, shading or the column grid, so they are read from it."""
    return item._element  # noqa: SLF001  python-docx has no public name for it


class _Full(Exception):
    """The page is full."""


class _Bare:
    """A run with nothing set, for a bullet in an empty paragraph."""

    bold = italic = None

    class font:  # noqa: N801  mimics python-docx's run.font
        size = None

        class color:  # noqa: N801
            type = None
            rgb = None


def _defaults(document: Any) -> dict[str, float]:
    """The document's default font size (pt), space after (pt) and line spacing."""
    root = document.styles.element.find(qn("w:docDefaults"))
    size, after, spacing = 11.0, 8.0, 1.15
    if root is not None:
        sz = root.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
        if sz is not None:
            size = int(sz.get(qn("w:val"))) / 2
        sp = root.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if sp is not None:
            after = int(sp.get(qn("w:after")) or 0) / 20
            spacing = int(sp.get(qn("w:line")) or 240) / 240
    return {"size": size, "after": after, "spacing": spacing}


def _words(text: str, font: ImageFont.FreeTypeFont, colour: tuple) -> list[Piece]:
    glyphs = _glyphs()
    out: list[Piece] = []
    for word in re.findall(r"\n|[^\s\n]+[ \t]*|[ \t]+", text):
        plain = ""
        for char in word:
            if char in SIGNS:
                if plain:
                    out.append(Piece(plain, font, colour))
                    plain = ""
                sign, tint = SIGNS[char]
                out.append(Piece(sign, font, tint))
            elif ord(char) in glyphs or char in "\n\t":
                plain += char
        if plain:
            out.append(Piece(plain, font, colour))
    return out


def _wrap(pieces: list[Piece], width: float, indent: float, spacing: float) -> list[Line]:
    lines = [Line()]
    x = 0.0
    for piece in _fitting(pieces, width):
        w = piece.width()
        if piece.text == "\n" or (x + w > width and x > 0
                                  and (piece.text.strip() or piece.picture is not None)):
            lines.append(Line())
            x = 0.0
            if piece.text == "\n":
                continue
        lines[-1].pieces.append((indent + x, piece))
        lines[-1].height = max(lines[-1].height, piece.height(spacing))
        x += w
    return [line for line in lines if line.pieces] or [Line(height=0.0)]


def _fitting(pieces: list[Piece], width: float) -> list[Piece]:
    """A word wider than the line is broken where the line ends, as Word does in a narrow
    table column."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.picture is not None or piece.width() <= width or len(piece.text) < 2:
            out.append(piece)
            continue
        assert piece.font is not None
        chunk = ""
        for char in piece.text:
            if chunk and piece.font.getlength(chunk + char) > width:
                out.append(Piece(chunk, piece.font, piece.colour))
                chunk = ""
            chunk += char
        out.append(Piece(chunk, piece.font, piece.colour))
    return out


def _pictures(part: Any, run: Any) -> list[tuple[tuple[int, int], bytes]]:
    out = []
    for drawing in run.iter(qn("w:drawing")):
        extent = drawing.find(f".//{qn('wp:extent')}")
        blip = drawing.find(f".//{qn('a:blip')}")
        if extent is None or blip is None:
            continue
        related = part.related_parts.get(blip.get(qn("r:embed")))
        if related is not None:
            out.append(((int(extent.get("cx")), int(extent.get("cy"))), related.blob))
    return out


def _starts_page(paragraph: Any) -> str:
    """"before": the paragraph starts a new page; "after": a section ends with it."""
    ppr = _xml(paragraph).pPr
    if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
        return "after"
    if paragraph.paragraph_format.page_break_before:
        return "before"
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.page_break_before:
            return "before"
        style = style.base_style
    return ""


def _style_has_rule(style: Any) -> bool:
    while style is not None:
        if style.element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None:
            return True
        style = style.base_style
    return False


def _next_is_list(paragraph: Any) -> bool:
    following = _xml(paragraph).getnext()
    if following is None or following.tag != qn("w:p"):
        return False
    style = following.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style is not None and style.get(qn("w:val"), "").startswith("List")


def _columns(table: Any, width: float, scale: float) -> list[float]:
    grid = _xml(table).tblGrid
    cols = [int(c.get(qn("w:w")) or 0) / 20 * scale for c in grid.gridCol_lst] if grid \
        is not None else []
    if not cols or not all(cols):
        count = len(table.columns)
        return [width / count] * count
    fit = min(1.0, width / sum(cols))
    return [c * fit for c in cols]


def _autofit(widths: list[float], least: list[float], total: float) -> list[float]:
    """Columns at least as wide as their widest word, the rest taken from the columns with
    room to spare, as Word's autofit does; the grid as it is when that cannot be done."""
    if len(least) != len(widths) or sum(least) > total:
        return widths
    short = sum(max(0.0, need - have) for have, need in zip(widths, least, strict=True))
    spare = sum(max(0.0, have - need) for have, need in zip(widths, least, strict=True))
    if not short or spare < short:
        return widths
    return [need if have <= need else have - (have - need) * short / spare
            for have, need in zip(widths, least, strict=True)]


def _shading(cell: Any) -> tuple[int, int, int] | str:
    shd = _xml(cell).find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    fill = shd.get(qn("w:fill")) if shd is not None else None
    if fill and re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return tuple(int(fill[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
    return "white"


def following(items: list[Any], number: int) -> Any:
    return items[number + 1] if number + 1 < len(items) else None


def first_page(content: bytes, dpi: int = 110) -> Page:
    """Page 1 of the Word file `content`, drawn."""
    import docx

    document = docx.Document(io.BytesIO(content))
    page = Page(document, dpi)
    try:
        items = list(document.iter_inner_content())
        for number, item in enumerate(items):
            if _xml(item).tag == qn("w:tbl"):
                page.table(item)
                continue
            if number and _starts_page(item) == "before":
                break
            laid = page.lay(item, page.width)
            if not page.keeps_with_next(item, laid, following(items, number)):
                break
            page.y = page.place(laid, page.left, page.y)
            if laid.breaks:
                break
    except _Full:
        pass
    return page
