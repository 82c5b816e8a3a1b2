"""Telegram's text formatting: parse_mode HTML / MarkdownV2 / Markdown into plain text and
entities (offsets and lengths in UTF-16 code units), with Telegram's parse errors."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from tests.fakebotapi.errors import bad_request

_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_HTML_TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
              "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
              "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
              "pre": "pre", "a": "text_link", "blockquote": "blockquote",
              "tg-emoji": "custom_emoji"}
_MD_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


class _HtmlEntities(HTMLParser):
    """Turns Telegram-flavoured HTML into (plain text, entities)."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=True)
        self.raw, self.parts, self.pos = raw, [], 0
        self.stack: list[tuple[str, dict | None]] = []
        self.entities: list[dict] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        chars = sum(len(x) + 1 for x in self.raw.split("\n")[: line - 1]) + col
        return len(self.raw[:chars].encode())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind, attr = _HTML_TAGS.get(tag), dict(attrs)
        if kind is None or (tag == "span" and attr.get("class") != "tg-spoiler"):
            raise bad_request(f'can\'t parse entities: Unsupported start tag "{tag}" at byte '
                              f"offset {self._offset()}")
        top = self.stack[-1][1] if self.stack else None
        if tag == "code" and top is not None and top["type"] == "pre":
            if (attr.get("class") or "").startswith("language-"):
                top["language"] = attr["class"].removeprefix("language-")  # type: ignore[union-attr]
            self.stack.append((tag, None))
            return
        ent: dict[str, Any] = {"type": kind, "offset": self.pos}
        if kind == "text_link":
            ent["url"] = attr.get("href") or ""
        if kind == "custom_emoji":
            ent["custom_emoji_id"] = attr.get("emoji-id") or ""
        self.stack.append((tag, ent))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            expected = f'expected "</{self.stack[-1][0]}>", ' if self.stack else ""
            raise bad_request("can't parse entities: Unmatched end tag at byte offset "
                              f'{self._offset()}, {expected}found "</{tag}>"')
        ent = self.stack.pop()[1]
        if ent is not None and self.pos > ent["offset"]:
            self.entities.append({**ent, "length": self.pos - ent["offset"]})

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.pos += utf16_len(data)

    def result(self) -> tuple[str, list[dict]]:
        self.feed(self.raw)
        self.close()
        if self.stack:
            raise bad_request("can't parse entities: Can't find end tag corresponding to start tag "
                       f'"{self.stack[-1][0]}"')
        return "".join(self.parts), self.entities


def _parse_markdown(raw: str, v2: bool) -> tuple[str, list[dict]]:
    """Parses MarkdownV2 (or, roughly, legacy Markdown) into (plain text, entities)."""
    out: list[str] = []
    pos, i = 0, 0
    stack: list[tuple[str, dict, int]] = []
    entities: list[dict] = []

    def emit(text: str) -> None:
        nonlocal pos
        out.append(text)
        pos += utf16_len(text)

    while i < len(raw):
        c, at = raw[i], len(raw[:i].encode())
        if c == "\\" and i + 1 < len(raw):
            emit(raw[i + 1])
            i += 2
        elif c == "`":
            fence = "```" if raw.startswith("```", i) else "`"
            end = raw.find(fence, i + len(fence))
            if end < 0:
                raise bad_request(f"can't parse entities: Can't find end of {'Pre' if fence == '```' else 'Code'} entity at byte offset {at}")  # noqa: E501
            body, ent = raw[i + len(fence):end], {"type": "code", "offset": pos}
            if fence == "```":
                ent["type"] = "pre"
                first, nl, rest = body.partition("\n")
                if nl and first and " " not in first:
                    ent["language"], body = first, rest
            body = re.sub(r"\\([`\\])", r"\1", body) if v2 else body
            emit(body)
            entities.append({**ent, "length": pos - ent["offset"]})
            i = end + len(fence)
        elif c == "]" and stack and stack[-1][0] == "[" and raw.startswith("(", i + 1):
            end = raw.find(")", i + 2)
            if end < 0:
                raise bad_request("can't parse entities: Can't find end of a url at byte offset "
                                  f"{at}")
            ent = stack.pop()[1]
            entities.append({**ent, "length": pos - ent["offset"], "url": raw[i + 2:end]})
            i = end + 1
        elif c == "[":
            stack.append(("[", {"type": "text_link", "offset": pos}, at))
            i += 1
        else:
            marker = next((m for m in ("__", "||") if v2 and raw.startswith(m, i)), c)
            if marker not in _MD_MARKERS or (not v2 and marker == "~"):
                if v2 and c in "_*[]()~`>#+-=|{}.!":
                    raise bad_request(f"can't parse entities: Character '{c}' is reserved and "
                                      "must be escaped with the preceding '\\'")
                emit(c)
            elif stack and stack[-1][0] == marker:
                ent = stack.pop()[1]
                entities.append({**ent, "length": pos - ent["offset"]})
            elif not v2 and stack:
                emit(c)
            else:
                stack.append((marker, {"type": _MD_MARKERS[marker], "offset": pos}, at))
            i += len(marker)
    if stack:
        kind, start = stack[-1][1]["type"].title().replace("_", ""), stack[-1][2]
        raise bad_request(f"can't parse entities: Can't find end of {kind} entity at byte "
                          f"offset {start}")
    return "".join(out), [e for e in entities if e["length"] > 0]


def parse_formatted(text: str, parse_mode: str | None, entities: list | None) -> tuple[str, list]:
    """Applies parse_mode like Telegram does; returns the plain text and its entities."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        text, found = _HtmlEntities(text).result()
    elif mode in ("markdown", "markdownv2"):
        text, found = _parse_markdown(text, v2=mode == "markdownv2")
    elif mode:
        raise bad_request("unsupported parse_mode")
    else:
        found = list(entities or [])
    return text, sorted(found, key=lambda e: (e["offset"], -e["length"]))


def command_entities(text: str) -> list[dict]:
    """The bot_command entities Telegram attaches to a user's text."""
    return [{"type": "bot_command", "offset": utf16_len(text[: m.start()]),
             "length": utf16_len(m.group())} for m in _COMMAND_RE.finditer(text)]
