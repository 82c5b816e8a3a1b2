"""Export files from a snapshot (storage/export.py): Markdown, Word, CSV and JSON.

Markdown and Word are written from the same report blocks (bot/features/export/report.py). Texts the
librarian typed are escaped, never interpreted.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from typing import Any, Literal

from bot.app.documents import (
    CSV_DELIMITER as CSV_DELIMITER,  # where tests and callers look
)
from bot.app.documents import csv_document, line_ends
from bot.app.users import zone_named
from bot.features.export.files_csv import goal_rows
from bot.features.export.files_word import docx as docx
from bot.features.export.files_word import xml_safe as xml_safe
from bot.features.export.options import EVERYTHING, Options
from bot.features.export.report import Block, Report
from bot.features.export.report_base import as_of
from bot.features.export.report_glance import at_a_glance
from bot.features.export.report_words import (
    conversation_title,
    media_words,
    question_text,
    turn_words,
)
from dialogs.catalog import Catalog
from dialogs.rules.tags import hashtags

Format = Literal["md", "docx", "csv", "json"]
FORMATS: tuple[Format, ...] = ("md", "docx", "csv", "json")

_ALWAYS = re.compile(r"([\\`*_\[\]<>|~&#])")
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+[.)])")


def md_escape(line: str) -> str:
    """One line of user text as Markdown that shows exactly these characters."""
    escaped = _ALWAYS.sub(r"\\\1", line)
    escaped = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if m.group(2)[0] in "-+="
                              else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped)
    # Leading spaces or tabs would make an indented code block; as character references
    # they stay text.
    stripped = escaped.lstrip(" \t")
    lead = escaped[: len(escaped) - len(stripped)]
    return lead.replace(" ", "&#32;").replace("\t", "&#9;") + stripped


def md_text(text: str, indent: str = "") -> str:
    """Multi-line user text: every line escaped, line breaks kept as hard breaks."""
    lines = [md_escape(line) for line in line_ends(text).split("\n")]
    return ("\\\n" + indent).join(lines)


def markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "h":
            heading = line_ends(b.text).replace("\n", " ")
            out.append("#" * min(b.level, 6) + " " + md_text(heading))
        elif b.kind == "meta":
            out.append("*" + md_text(b.text) + "*")
        elif b.kind == "chart":  # drawn in the Word file only; here what it shows
            out.append("*" + md_text(f"📈 {b.alt} {b.label}".strip()) + "*")
        elif b.kind == "p":
            out.append(md_text(b.text))
        elif b.kind == "kv":
            out.append(f"**{md_text(b.label)}:** {md_text(b.text)}")
        elif b.kind == "table":
            out.append(md_table(b.rows))
        elif b.kind == "pagebreak":
            out.append("---")
        else:
            box = "" if b.checked is None else ("[x] " if b.checked else "[ ] ")
            label = f"**{md_text(b.label)}** " if b.label else ""
            nest = "  " * b.level  # under the item before it
            out.append(f"{nest}- {box}{label}{md_text(b.text, indent=nest + '  ')}")
    return _join(out, blocks)


def md_table(rows: tuple[tuple[str, ...], ...]) -> str:
    """A Markdown table, its first row the header; a cell's text stays text on one line."""
    def cells(row: tuple[str, ...]) -> str:
        return "| " + " | ".join(md_escape(line_ends(c).replace("\n", " ")) for c in row) + " |"

    header, *body = rows
    return "\n".join([cells(header), "|" + "---|" * len(header), *map(cells, body)])


def _join(lines: list[str], blocks: list[Block]) -> str:
    """Consecutive list items form one list; everything else is its own paragraph."""
    parts: list[str] = []
    for index, line in enumerate(lines):
        if index and not (blocks[index].kind == "li" and blocks[index - 1].kind == "li"):
            parts.append("\n")
        parts.append(line + "\n")
    return "".join(parts)


def csv_rows(data: dict[str, Any], catalog: Catalog) -> tuple[list[str], list[list[str]]]:
    report = Report(data, catalog)
    t = report.t
    # An activity's participants and first-timers in columns of their own, so a
    # spreadsheet adds them up (empty on every other row); the text stays the last column.
    header = [t(f"export_csv_{c}") for c in ("kind", "community", "conversation", "question",
                                              "time", "tags", "who", "participants",
                                              "first_time", "text")]
    rows: list[list[str]] = []

    def stamp(value: str | None) -> str:
        moment = report.local(value)
        return moment.isoformat(timespec="seconds") if moment else ""

    librarian = data["librarian"]["name"] or t("export_csv_you")

    def add(community: str, notes: list[dict[str, Any]], convs: list[dict[str, Any]]) -> None:
        for conv in convs:
            title = conversation_title(conv, t, report.day)
            for turn in conv["turns"]:
                question = question_text(catalog, turn.get("question"), report.lang) or ""
                _, text = turn_words(turn, t, None)
                who = "Veldgids" if turn.get("who") == "bot" else librarian
                if turn.get("who") == "own":  # what she shared herself, not the person's words
                    text = f"{t('export_turn_own')}: {text}"
                tags = (hashtags(turn["text"]) if turn.get("who") in ("librarian", "own")
                        else [])
                rows.append([t("export_csv_turn"), community, title, question,
                             stamp(turn["created_at"]), " ".join("#" + tag for tag in tags),
                             who, text])
        for note in notes:
            rows.append([t("export_csv_note"), community, "", "", stamp(note["created_at"]),
                         " ".join("#" + tag for tag in note["tags"]), librarian,
                         media_words(note, t) or note["text"]])

    for c in data["communities"]:
        add(c["name"], c["notes"], c.get("conversations", []))
        for action in c.get("actions", []):  # done ones at the moment they were done
            state = (t("export_csv_action_done") if action["done_at"]
                     else t("export_csv_action_due", due=action["due"]) if action["due"] else "")
            rows.append([t("export_csv_action"), c["name"], "", "",
                         stamp(action["done_at"] or action["created_at"]), "",
                         action["who"] or librarian,
                         " ".join(p for p in (action["what"], state) if p)])
        together_rows(c, rows, t, stamp, librarian)
        rows.extend(goal_rows(c, report, stamp, librarian))
    add("", data.get("loose_notes", []), data.get("loose_conversations", []))
    return header, [row if len(row) == len(header) else [*row[:-1], "", "", row[-1]]
                    for row in rows]


def together_rows(c: dict[str, Any], rows: list[list[str]], t: Any, stamp: Any,
                  librarian: str) -> None:
    """Phase 6's records as rows of their own: the first column says which kind."""
    name = c["name"]
    for a in c.get("activities", []):
        files = ", ".join(f.get("name") or f.get("kind") or "" for f in a.get("files", []))
        text = " · ".join(p for p in (a["kind"], a["what"], a.get("note") or "", files) if p)
        first = a.get("first_time")
        rows.append([t("export_csv_activity"), name, "", "", a["day"], "", a["led_by"],
                     str(a["participants"]), "" if first is None else str(first), text])
    for r in c.get("roles", []):
        rows.append([t("export_csv_role"), name, "", "", stamp(r["created_at"]), "",
                     r["name"], t(f"role_{r['role']}")])
    for o in c.get("outcomes", []):
        files = ", ".join(f.get("name") or f.get("kind") or "" for f in o.get("files", []))
        rows.append([t("export_csv_outcome"), name, "", "", stamp(o["created_at"]), "",
                     librarian, " · ".join(p for p in (t(f"outcome_{o['kind']}"), o["text"],
                                                      files) if p)])


def csv_bytes(data: dict[str, Any], catalog: Catalog) -> bytes:
    return csv_document(*csv_rows(data, catalog))


def json_bytes(data: dict[str, Any]) -> bytes:
    """Strict JSON: a number stored before numbers were checked (inf, nan) becomes null rather
    than Infinity, which no JSON reader accepts."""
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(data), ensure_ascii=False, indent=2, allow_nan=False)
    return text.encode("utf-8")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def render(data: dict[str, Any], catalog: Catalog, fmt: Format,
           options: Options = EVERYTHING) -> bytes:
    if fmt == "json":
        return json_bytes(glanced(data, options))
    if fmt == "csv":
        return csv_bytes(data, catalog)
    report = Report(data, catalog, options)
    blocks = report.build()
    return markdown(blocks).encode("utf-8") if fmt == "md" else docx(blocks, data, report.title())


def glanced(data: dict[str, Any], options: Options = EVERYTHING) -> dict[str, Any]:
    """The snapshot with each community's page-1 figures (`at_a_glance`) for the period
    chosen, as of its last day (or the export's, when that is earlier)."""
    zone = zone_named(data["librarian"]["timezone"])
    today = as_of(data, options)
    period = {"start": options.start.isoformat() if options.start else None,
              "end": options.end.isoformat() if options.end else None}
    return {**data, "communities": [
        {**c, "at_a_glance": {"period": period, **at_a_glance(c, today, zone)}}
        for c in data.get("communities", [])]}


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "export"


def filename(data: dict[str, Any], fmt: Format, community: str | None = None,
             options: Options = EVERYTHING) -> str:
    day = data["exported_at"][:10]
    dutch = data["librarian"]["language"] == "nl"
    scope = slug(community) if community else ("alles" if dutch else "all")
    if options.start or options.end:  # "2025-10-01-tot-2025-11-15": the days it covers
        day = "-".join(p for p in (options.start and options.start.isoformat(),
                                   "tot" if dutch else "to",
                                   options.end.isoformat() if options.end else day) if p)
    mark = ("-om-te-delen" if dutch else "-to-share") if options.shareable else ""
    return f"veldgids-{scope}-{day}{mark}.{fmt}"
