"""A fake Telegram Bot API server for end-to-end tests (standard library only).

`FakeBotAPI` holds all state and offers a synchronous, thread-safe API to pytest:
simulated users, observation of what the bot did and fault injection.  `_Handler`
speaks HTTP the way api.telegram.org does, so python-telegram-bot (pointed at
``srv.base_url`` / ``srv.base_file_url``) cannot tell the difference.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import mimetypes
import re
import select
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

BOT_USERNAME = "veldgids_test_bot"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
               409: "Conflict", 500: "Internal Server Error", 502: "Bad Gateway"}
_REACTIONS = """❤ 👍 👎 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤\u200d🔥 🌚
    🌭 💯 🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨\u200d💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄
    ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷\u200d♂ 🤷 🤷\u200d♀ 😡"""
REACTION_EMOJI = frozenset(_REACTIONS.split())  # the emoji a bot may react with
_ACTIONS = """typing upload_photo record_video upload_video record_voice upload_voice
    upload_document choose_sticker find_location record_video_note upload_video_note"""
CHAT_ACTIONS = frozenset(_ACTIONS.split())
_BUTTON_ACTIONS = ("callback_data", "url", "web_app", "login_url", "switch_inline_query",
                   "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                   "copy_text", "callback_game", "pay")
_INT_KEYS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "cache_time",
             "message_thread_id", "reply_to_message_id", "from_chat_id", "duration"}
_BOOL_KEYS = {"show_alert", "disable_notification", "protect_content", "drop_pending_updates",
              "is_big", "allow_sending_without_reply", "disable_content_type_detection",
              "has_spoiler", "show_caption_above_media", "disable_web_page_preview"}
_JSON_KEYS = {"reply_markup", "commands", "scope", "reaction", "entities", "caption_entities",
              "allowed_updates", "link_preview_options", "reply_parameters", "media"}
_HIDDEN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_HTML_TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
              "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
              "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
              "pre": "pre", "a": "text_link", "blockquote": "blockquote",
              "tg-emoji": "custom_emoji"}
_MD_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}


class ApiError(Exception):
    """A Bot API error: HTTP status, Telegram's description and optional parameters."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code, self.description, self.parameters = code, description, parameters


class Call(NamedTuple):
    """One recorded request: canonical method name and decoded parameters."""

    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    file_name: str
    content: bytes
    mime_type: str


def _u16(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def _bad(description: str) -> ApiError:
    return ApiError(400, "Bad Request: " + description)


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
            raise _bad(f'can\'t parse entities: Unsupported start tag "{tag}" at byte offset '
                       f"{self._offset()}")
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
            raise _bad(f"can't parse entities: Unmatched end tag at byte offset {self._offset()}, "
                       f'{expected}found "</{tag}>"')
        ent = self.stack.pop()[1]
        if ent is not None and self.pos > ent["offset"]:
            self.entities.append({**ent, "length": self.pos - ent["offset"]})

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.pos += _u16(data)

    def result(self) -> tuple[str, list[dict]]:
        self.feed(self.raw)
        self.close()
        if self.stack:
            raise _bad("can't parse entities: Can't find end tag corresponding to start tag "
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
        pos += _u16(text)

    while i < len(raw):
        c, at = raw[i], len(raw[:i].encode())
        if c == "\\" and i + 1 < len(raw):
            emit(raw[i + 1])
            i += 2
        elif c == "`":
            fence = "```" if raw.startswith("```", i) else "`"
            end = raw.find(fence, i + len(fence))
            if end < 0:
                raise _bad(f"can't parse entities: Can't find end of {'Pre' if fence == '```' else 'Code'} entity at byte offset {at}")  # noqa: E501
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
                raise _bad(f"can't parse entities: Can't find end of a url at byte offset {at}")
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
                    raise _bad(f"can't parse entities: Character '{c}' is reserved and must be "
                               "escaped with the preceding '\\'")
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
        raise _bad(f"can't parse entities: Can't find end of {kind} entity at byte offset {start}")
    return "".join(out), [e for e in entities if e["length"] > 0]


def parse_formatted(text: str, parse_mode: str | None, entities: list | None) -> tuple[str, list]:
    """Applies parse_mode like Telegram does; returns the plain text and its entities."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        text, found = _HtmlEntities(text).result()
    elif mode in ("markdown", "markdownv2"):
        text, found = _parse_markdown(text, v2=mode == "markdownv2")
    elif mode:
        raise _bad("unsupported parse_mode")
    else:
        found = list(entities or [])
    return text, sorted(found, key=lambda e: (e["offset"], -e["length"]))


def command_entities(text: str) -> list[dict]:
    """The bot_command entities Telegram attaches to a user's text."""
    return [{"type": "bot_command", "offset": _u16(text[: m.start()]), "length": _u16(m.group())}
            for m in _COMMAND_RE.finditer(text)]


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG image, None if it is not one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    i = 2 if data[:2] == b"\xff\xd8" else len(data)
    while i + 9 < len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return None


def _coerce(key: str, value: str) -> Any:
    """Decodes one form field the way the Bot API interprets it."""
    if key in _JSON_KEYS:
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(f"can't parse {key} JSON object") from None
    if key in _BOOL_KEYS:
        return value.lower() in ("true", "1")
    if key in _INT_KEYS and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    """Minimal multipart/form-data parser: text fields are strings, file parts `Upload`s."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise _bad("multipart boundary is missing")
    result: dict[str, Any] = {}
    for part in body.split(b"--" + match.group(1).encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.lstrip(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = head.decode("utf-8", "replace")
        name = re.search(r'\bname="([^"]*)"', headers)
        filename = re.search(r'\bfilename="([^"]*)"', headers)
        ctype = re.search(r"(?im)^content-type:\s*([^\r\n;]+)", headers)
        if not name:
            continue
        if filename:
            fname = filename.group(1).replace("%22", '"').replace("\\\\", "\\")
            mime = ctype.group(1).strip() if ctype else "application/octet-stream"
            result[name.group(1)] = Upload(fname, data, mime)
        else:
            result[name.group(1)] = data.decode("utf-8", "replace")
    return result


class FakeBotAPI:
    """State of the fake Bot API plus the synchronous test-side API (all thread-safe)."""

    def __init__(self, token: str = "123456:TEST-token", *, port: int = 0,
                 host: str = "127.0.0.1", callback_ttl: float | None = None) -> None:
        self.token, self.host, self.port, self.callback_ttl = token, host, port, callback_ttl
        bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 123456
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": "Veldgids (test)",
                         "username": BOT_USERNAME, "can_join_groups": True,
                         "can_read_all_group_messages": False, "supports_inline_queries": False,
                         "can_connect_to_business": False, "has_main_web_app": False}
        self._cond = threading.Condition(threading.RLock())
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._next_update = 10001
        self._updates: list[dict] = []
        self._allowed: set[str] | None = None
        self._poll_seq = 0
        self._epoch = 0
        self._local = threading.local()  # .alive(): is the current request's client connected?
        self._users: dict[int, dict] = {}
        self._chats: dict[int, dict] = {}
        self._msg_seq: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict] = {}
        self._bot_order: dict[int, list[int]] = {}
        self._queries: dict[str, dict] = {}
        self._files: dict[str, dict] = {}
        self._paths: dict[str, str] = {}
        self._commands: dict[tuple[str, str], list] = {}
        self._injected: list[dict] = []
        self._delays: list[dict] = []
        self._blocked: set[int] = set()
        self._handlers: dict[str, Callable[[dict], Any]] = {}
        self._calls: list[Call] = []
        self.errors: list[tuple[str, dict, int, str]] = []
        self.internal_errors: list[str] = []
        self.reactions: list[dict] = []
        self.uploads: list[dict] = []
        self.callback_answers: list[dict] = []
        self.deleted: list[tuple[int, int]] = []
        self.queued: list[dict] = []  # every update ever queued, e.g. to re-deliver one

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        """Starts serving in a background thread (re-binds the same port after a stop)."""
        self._server = _Server((self.host, self.port), _Handler, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops the server and cuts open connections; state is kept for a later start()."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.cut_connections()
        server.server_close()
        if self._thread:
            self._thread.join(5)
        with self._cond:
            self._epoch += 1
            self._cond.notify_all()

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.url + "/bot"

    @property
    def base_file_url(self) -> str:
        return self.url + "/file/bot"

    # -- simulated users ---------------------------------------------------------------------

    def add_user(self, user_id: int, *, first_name: str | None = None,
                 language_code: str | None = None, username: str | None = None,
                 last_name: str | None = None) -> dict:
        """Registers or updates a user (defaults: Anna, nl); returns the User object."""
        with self._cond:
            user = self._users.setdefault(user_id, {"id": user_id, "is_bot": False,
                                                    "first_name": "Anna", "language_code": "nl"})
            for key, val in (("first_name", first_name), ("last_name", last_name),
                             ("username", username), ("language_code", language_code)):
                if val == "":
                    user.pop(key, None)
                elif val is not None:
                    user[key] = val
            return dict(user)

    def send_text(self, user_id: int, text: str, *, first_name: str | None = None,
                  language_code: str | None = None, chat_type: str = "private",
                  chat_id: int | None = None, reply_to: int | None = None) -> dict:
        """The user sends a text (commands get a bot_command entity); returns the Message."""
        self.add_user(user_id, first_name=first_name, language_code=language_code)
        content: dict[str, Any] = {"text": text}
        if ents := command_entities(text):
            content["entities"] = ents
        if reply_to is not None:
            content["reply_to_message"] = self.message(chat_id or user_id, reply_to)
        return self._user_message(user_id, chat_type, chat_id, content)

    def send_photo(self, user_id: int, content: bytes, caption: str | None = None, *,
                   chat_type: str = "private", chat_id: int | None = None) -> dict:
        """The user sends a photo (two PhotoSizes, like Telegram); returns the Message."""
        self.add_user(user_id)
        msg = {"photo": self._photo_sizes(content, "user.jpg")}
        return self._user_message(user_id, chat_type, chat_id, self._captioned(msg, caption))

    def send_voice(self, user_id: int, content: bytes = b"OggS\x00fake-voice", *,
                   duration: int = 3, chat_type: str = "private",
                   chat_id: int | None = None) -> dict:
        """The user sends a voice note (audio/ogg); returns the Message."""
        self.add_user(user_id)
        f = self.register_file(content, kind="voice", mime_type="audio/ogg")
        voice = {**self._file_obj(f), "duration": duration, "mime_type": "audio/ogg"}
        return self._user_message(user_id, chat_type, chat_id, {"voice": voice})

    def send_document(self, user_id: int, content: bytes, *, file_name: str = "document.pdf",
                      mime_type: str | None = None, caption: str | None = None,
                      chat_type: str = "private", chat_id: int | None = None) -> dict:
        """The user sends a file; returns the Message."""
        self.add_user(user_id)
        f = self.register_file(content, kind="document", file_name=file_name, mime_type=mime_type)
        doc = {**self._file_obj(f), "file_name": file_name, "mime_type": f["mime_type"]}
        return self._user_message(user_id, chat_type, chat_id,
                                  self._captioned({"document": doc}, caption))

    def send_sticker(self, user_id: int, *, emoji: str = "👍",
                     content: bytes = b"RIFF\x00\x00\x00\x00WEBPfake", chat_type: str = "private",
                     chat_id: int | None = None) -> dict:
        """The user sends a (static) sticker; returns the Message."""
        self.add_user(user_id)
        f = self.register_file(content, kind="sticker", mime_type="image/webp")
        sticker = {**self._file_obj(f), "type": "regular", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "emoji": emoji}
        return self._user_message(user_id, chat_type, chat_id, {"sticker": sticker})

    def send_location(self, user_id: int, latitude: float = 52.3676, longitude: float = 4.9041,
                      *, chat_type: str = "private", chat_id: int | None = None) -> dict:
        """The user shares a location; returns the Message."""
        self.add_user(user_id)
        return self._user_message(user_id, chat_type, chat_id,
                                  {"location": {"latitude": latitude, "longitude": longitude}})

    def edit_text(self, user_id: int, message_id: int, new_text: str, *,
                  chat_id: int | None = None) -> dict:
        """The user edits an earlier text message: queues an edited_message update."""
        with self._cond:
            msg = self._messages.get((chat_id or user_id, message_id))
            if msg is None or msg.get("from", {}).get("id") != user_id:
                raise ValueError(f"user {user_id} has no message {message_id}")
            msg.update(text=new_text, edit_date=int(time.time()))
            msg.pop("entities", None)
            if ents := command_entities(new_text):
                msg["entities"] = ents
            self._queue({"edited_message": copy.deepcopy(msg)})
            return copy.deepcopy(msg)

    def press(self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None,
              check: bool = True) -> str:
        """The user presses an inline button on a bot message; returns the callback query id.

        With check=True the message's current keyboard must contain a button with `data`.
        """
        with self._cond:
            self.add_user(user_id)
            cid = chat_id or user_id
            msg = self._messages.get((cid, message_id))
            if (msg is None or msg.get("from", {}).get("id") != self.bot_user["id"]
                    or (cid, message_id) in self.deleted):
                raise ValueError(f"no bot message {message_id} in chat {cid}")
            datas = [b.get("callback_data") for row in
                     msg.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
            if check and data not in datas:
                raise AssertionError(f"message {message_id} has no button {data!r}: {datas}")
            qid = str(4_000_000_000_000 + next(self._ids))
            query = {"id": qid, "from": dict(self._users[user_id]), "message": copy.deepcopy(msg),
                     "chat_instance": str(-abs(cid) * 7), "data": data}
            self._queries[qid] = {"answered": False, "time": time.monotonic()}
            self._queue({"callback_query": query})
            return qid

    def press_button(self, user_id: int, label: str, *, chat_id: int | None = None) -> str:
        """Presses the button labelled `label` on the newest bot message that has one."""
        with self._cond:
            for msg in reversed(self.bot_messages(chat_id or user_id)):
                for row in msg.get("reply_markup", {}).get("inline_keyboard", []):
                    for button in row:
                        if button.get("text") == label and "callback_data" in button:
                            return self.press(user_id, msg["message_id"],
                                              button["callback_data"], chat_id=chat_id)
            raise AssertionError(f"no button {label!r} in chat {chat_id or user_id}")

    def send_update(self, update: dict) -> dict:
        """Queues a raw update (update_id is assigned if missing); returns it."""
        with self._cond:
            for obj in update.values():
                if isinstance(obj, dict):
                    self._learn(obj)
            query = update.get("callback_query")
            if isinstance(query, dict) and "id" in query:  # answerable, like a real press
                self._queries.setdefault(str(query["id"]), {"answered": False,
                                                            "time": time.monotonic()})
            return self._queue(copy.deepcopy(update))

    def redeliver(self, update: dict) -> dict:
        """Offers an update again, same update_id and content, as Telegram does when it never
        got the confirmation; nothing it mentions is learned anew."""
        with self._cond:
            return self._queue(copy.deepcopy(update))

    def register_file(self, content: bytes, *, kind: str = "document",
                      file_name: str | None = None, mime_type: str | None = None) -> dict:
        """Stores a file so getFile and the /file/ URL serve it; returns its record."""
        with self._cond:
            n = next(self._ids)
            ext = ("." + file_name.rsplit(".", 1)[1] if file_name and "." in file_name
                   else mimetypes.guess_extension(mime_type or "") or "")
            folder = {"photo": "photos", "voice": "voice", "sticker": "stickers"}.get(kind, kind)
            rec = {"file_id": f"BQACAgQAAxk{kind[:2].upper()}{n:08d}AAF", "content": bytes(content),
                   "file_unique_id": f"AgAD{n:06d}", "file_size": len(content), "fail": None,
                   "file_name": file_name, "file_path": f"{folder}/file_{n}{ext}",
                   "mime_type": mime_type or mimetypes.guess_type(file_name or "")[0]
                   or "application/octet-stream"}
            self._files[rec["file_id"]] = rec
            self._paths[rec["file_path"]] = rec["file_id"]
            return dict(rec)

    def fail_file(self, file_id: str, status: int = 404) -> None:
        """Makes downloading this file fail with the given HTTP status."""
        with self._cond:
            self._files[file_id]["fail"] = status

    # -- observation -------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[dict]:
        """Parameters of every recorded call of `method` (case-insensitive)."""
        return [c.params for c in self.calls if c.method.lower() == method.lower()]

    def message(self, chat_id: int, message_id: int) -> dict:
        """Current state of any message (user's or bot's)."""
        with self._cond:
            return copy.deepcopy(self._messages[(chat_id, message_id)])

    def bot_messages(self, chat_id: int) -> list[dict]:
        """The bot's not-deleted messages in a chat, oldest first, as they are now."""
        with self._cond:
            return [copy.deepcopy(self._messages[(chat_id, m)])
                    for m in self._bot_order.get(chat_id, []) if (chat_id, m) not in self.deleted]

    def last_bot_message(self, chat_id: int) -> dict | None:
        msgs = self.bot_messages(chat_id)
        return msgs[-1] if msgs else None

    @property
    def commands(self) -> dict[str, list]:
        """Commands set for the default scope, by language_code ("" = all languages)."""
        with self._cond:
            return {lang: list(c) for (scope, lang), c in self._commands.items()
                    if scope == '{"type": "default"}'}

    def commands_for(self, scope: dict | None = None, language_code: str = "") -> list:
        with self._cond:
            return list(self._commands.get((self._scope_key(scope), language_code), []))

    def pending_updates(self) -> int:
        """How many queued updates the bot has not confirmed yet."""
        with self._cond:
            return len(self._updates)

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0,
                 what: str = "condition") -> Any:
        """Waits until predicate() is truthy and returns its value; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (value := predicate()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n"
                                         + self.dump())
                self._cond.wait(min(left, 0.05))
            return value

    def wait_for_message(self, chat_id: int, contains: str, timeout: float = 10.0, *,
                         newer_than: int = 0) -> dict:
        """Waits for a bot message (text or caption) containing `contains`; returns it."""
        def find() -> dict | None:
            return next((m for m in reversed(self.bot_messages(chat_id))
                         if m["message_id"] > newer_than
                         and contains in (m.get("text") or m.get("caption") or "")), None)
        return self.wait_for(find, timeout, f"a message in chat {chat_id} containing {contains!r}")

    def wait_for_call(self, method: str, predicate: Callable[[dict], bool] | None = None,
                      timeout: float = 10.0) -> dict:
        """Waits for a call of `method` (whose params satisfy predicate); returns params."""
        def find() -> dict | None:
            return next((p for p in self.calls_to(method) if predicate is None or predicate(p)),
                        None)
        return self.wait_for(find, timeout, f"a {method} call")

    def wait_until_confirmed(self, timeout: float = 10.0) -> None:
        """Waits until the bot has confirmed every queued update."""
        self.wait_for(lambda: self.pending_updates() == 0, timeout, "all updates confirmed")

    def dump(self, last: int = 20) -> str:
        """Human-readable summary of recent calls and errors, for assertion messages."""
        with self._cond:
            calls = [c for c in self._calls if c.method != "getUpdates"][-last:]
            lines = [f"pending updates: {len(self._updates)}; last {len(calls)} calls:"]
            lines += [f"  {c.method} {json.dumps(c.params, ensure_ascii=False, default=str)[:300]}"
                      for c in calls]
            lines += [f"  ERROR {m} -> {code} {desc}" for m, _, code, desc in self.errors[-5:]]
            lines += [f"  INTERNAL {e}" for e in self.internal_errors]
            return "\n".join(lines)

    # -- fault injection ---------------------------------------------------------------------

    def inject(self, method: str, status: int = 429, description: str | None = None,
               retry_after: int | None = None, times: int = 1) -> None:
        """The next `times` calls of `method` ("*" = any) fail with Telegram's error shape."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = (f"Too Many Requests: retry after {retry_after}" if status == 429
                           else STATUS_TEXT.get(status, "Internal Server Error"))
        params = {"retry_after": retry_after} if retry_after is not None else None
        with self._cond:
            self._injected.append({"method": method.lower(), "left": times,
                                   "value": ApiError(status, description, params)})

    def inject_delay(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` wait `seconds` before being processed."""
        with self._cond:
            self._delays.append({"method": method.lower(), "left": times, "value": seconds})

    def block_user(self, chat_id: int) -> None:
        """Sends and edits to this chat fail with 403 from now on."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.discard(chat_id)

    def set_handler(self, method: str, handler: Callable[[dict], Any]) -> None:
        """Serves an extra method: handler(params) returns the result or raises ApiError."""
        with self._cond:
            self._handlers[method.lower()] = handler

    # -- request processing (called by _Handler) ---------------------------------------------

    def handle(self, token: str, method: str, params: dict,
               alive: Callable[[], bool] = lambda: True) -> tuple[int, dict]:
        """Processes one Bot API request; returns (HTTP status, response JSON)."""
        self._local.alive = alive
        if token != self.token:
            ok_shape = re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token)
            err = ApiError(401, "Unauthorized") if ok_shape else ApiError(404, "Not Found")
            return err.code, {"ok": False, "error_code": err.code, "description": err.description}
        impl = getattr(self, _API.get(method.lower(), "-"), None)
        name = impl.__name__[5:] if impl else method
        with self._cond:
            self._calls.append(Call(name, {k: ({"file_name": v.file_name, "size": len(v.content),
                                                "mime_type": v.mime_type}
                                               if isinstance(v, Upload) else v)
                                           for k, v in params.items()}))
            self._cond.notify_all()
            delay = self._take(self._delays, method)
        if delay:
            time.sleep(delay)
        try:
            with self._cond:
                if err := self._take(self._injected, method):
                    raise err
                if custom := self._handlers.get(method.lower()):
                    result = custom(params)
                elif impl is None:
                    raise ApiError(404, "Not Found")
                else:
                    result = impl(params)
                self._cond.notify_all()
            return 200, {"ok": True, "result": result}
        except ApiError as e:
            with self._cond:
                self.errors.append((name, params, e.code, e.description))
                self._cond.notify_all()
            body = {"ok": False, "error_code": e.code, "description": e.description}
            return e.code, body | ({"parameters": e.parameters} if e.parameters else {})
        except Exception:  # a bug in the fake: make it loud
            self.internal_errors.append(f"{name}: {traceback.format_exc()}")
            print(self.internal_errors[-1], file=sys.stderr)
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}

    def download(self, token: str, path: str) -> tuple[int, bytes | dict]:
        """Serves /file/bot<token>/<path>: the bytes, or a JSON error."""
        with self._cond:
            rec = self._files.get(self._paths.get(path, ""))
            status = 404 if token != self.token or rec is None else rec["fail"]
            if status:
                return status, {"ok": False, "error_code": status,
                                "description": STATUS_TEXT.get(status, "Internal Server Error")}
            return 200, rec["content"]

    # -- internals ---------------------------------------------------------------------------

    def _take(self, queue: list[dict], method: str) -> Any:
        for item in queue:
            if item["method"] in (method.lower(), "*") and item["left"] > 0:
                item["left"] -= 1
                return item["value"]
        return None

    def _queue(self, update: dict) -> dict:
        update.setdefault("update_id", self._next_update)
        self._next_update = max(self._next_update, update["update_id"]) + 1
        self._updates.append(update)
        self.queued.append(copy.deepcopy(update))
        self._cond.notify_all()
        return copy.deepcopy(update)

    def _learn(self, obj: dict) -> None:
        """Remembers users, chats and messages mentioned in a raw update object."""
        if isinstance(obj.get("from"), dict) and not obj["from"].get("is_bot"):
            self._users.setdefault(obj["from"]["id"], dict(obj["from"]))
        if isinstance(obj.get("chat"), dict):
            cid = obj["chat"]["id"]
            self._chats.setdefault(cid, dict(obj["chat"]))
            if "message_id" in obj:
                self._messages[(cid, obj["message_id"])] = copy.deepcopy(obj)
                self._msg_seq[cid] = max(self._msg_seq.get(cid, 0), obj["message_id"])
        if isinstance(obj.get("message"), dict):
            self._learn(obj["message"])

    def _user_message(self, user_id: int, chat_type: str, chat_id: int | None,
                      content: dict) -> dict:
        with self._cond:
            user = self._users[user_id]
            if chat_id is None and chat_type != "private":
                raise ValueError(f"a {chat_type} message needs a chat_id")
            cid = chat_id if chat_id is not None else user_id
            chat = self._chats.setdefault(cid, {"id": cid, "type": chat_type})
            if chat_type == "private":
                chat.update({k: user[k] for k in ("first_name", "last_name", "username")
                             if k in user})
            else:
                chat.setdefault("title", "Testgroep")
            msg = {"message_id": self._next_msg_id(cid), "date": int(time.time()), "chat": chat,
                   **({"sender_chat": chat} if chat_type == "channel" else {"from": user})}
            msg = copy.deepcopy({**msg, **content})
            self._messages[(cid, msg["message_id"])] = msg
            self._queue({"channel_post" if chat_type == "channel" else "message":
                         copy.deepcopy(msg)})
            return copy.deepcopy(msg)

    def _next_msg_id(self, chat_id: int) -> int:
        self._msg_seq[chat_id] = self._msg_seq.get(chat_id, 0) + 1
        return self._msg_seq[chat_id]

    @staticmethod
    def _captioned(content: dict, caption: str | None) -> dict:
        return content | ({"caption": caption} if caption is not None else {})

    @staticmethod
    def _file_obj(rec: dict) -> dict:
        return {k: rec[k] for k in ("file_id", "file_unique_id", "file_size")}

    def _photo_sizes(self, content: bytes, name: str) -> list[dict]:
        width, height = image_size(content) or (800, 600)
        rec = self.register_file(content, kind="photo", file_name=name, mime_type="image/jpeg")
        sizes = []
        for limit in (90, 1280):
            scale = min(1.0, limit / max(width, height, 1))
            sizes.append({**self._file_obj(rec), "width": max(1, round(width * scale)),
                          "height": max(1, round(height * scale))})
        sizes[0]["file_id"] += "thumb"
        self._files[sizes[0]["file_id"]] = self._files[rec["file_id"]]
        return sizes

    @staticmethod
    def _scope_key(scope: dict | None) -> str:
        return json.dumps(scope or {"type": "default"}, sort_keys=True)

    def _chat(self, params: dict) -> dict:
        raw = params.get("chat_id")
        if raw in (None, ""):
            raise _bad("chat_id is empty")
        chat = self._chats.get(raw) if isinstance(raw, int) else next(
            (c for c in self._chats.values() if "@" + c.get("username", "-") == raw), None)
        if chat is None:
            raise _bad("chat not found")
        if chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user" if chat["type"] ==
                           "private" else "Forbidden: bot was kicked from the group chat")
        return chat

    def _bot_message(self, params: dict) -> dict:
        chat = self._chat(params)
        if "message_id" not in params:
            raise _bad("message identifier is not specified")
        msg = self._messages.get((chat["id"], params["message_id"]))
        if msg is None or (chat["id"], msg["message_id"]) in self.deleted:
            raise _bad("message to edit not found")
        if msg.get("from", {}).get("id") != self.bot_user["id"]:
            raise _bad("message can't be edited")
        return msg

    @staticmethod
    def _markup(params: dict) -> dict | None:
        """Validates reply_markup; returns it if it is an inline keyboard (Telegram echoes
        only those)."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise _bad('can\'t parse inline keyboard button: field "inline_keyboard" must be '
                       "an Array of Arrays")
        for button in (b for row in rows for b in row):
            if not any(k in button for k in _BUTTON_ACTIONS):
                raise _bad("can't parse inline keyboard button: Text buttons are unallowed in "
                           "the inline keyboard")
            if "callback_data" in button and not 1 <= len(
                    str(button["callback_data"]).encode()) <= 64:
                raise _bad("BUTTON_DATA_INVALID")
            if "url" in button and not re.fullmatch(r"(https?|tg)://\S+", button["url"]):
                raise _bad(f"inline keyboard button URL '{button['url']}' is invalid: "
                           "Wrong HTTP URL")
        return {"inline_keyboard": rows}

    def _text(self, params: dict, key: str, limit: int) -> tuple[str, list]:
        entity_key = "entities" if key == "text" else "caption_entities"
        text, ents = parse_formatted(str(params.get(key) or ""), params.get("parse_mode"),
                                     params.get(entity_key))
        if key == "text" and not text.strip():
            raise _bad("message text is empty")
        if _u16(text) > limit:
            raise _bad("message is too long" if key == "text" else "message caption is too long")
        return text, ents

    def _send(self, params: dict, content: dict) -> dict:
        chat = self._chat(params)
        markup = self._markup(params)
        reply = params.get("reply_parameters") or (
            {"message_id": params["reply_to_message_id"]} if "reply_to_message_id" in params
            else None)
        msg = {"message_id": 0, "from": dict(self.bot_user), "chat": dict(chat),
               "date": int(time.time())}
        if reply:
            target = self._messages.get((chat["id"], reply.get("message_id")))
            if target is not None:
                msg["reply_to_message"] = {k: v for k, v in target.items()
                                           if k != "reply_to_message"}
            elif not (reply.get("allow_sending_without_reply")
                      or params.get("allow_sending_without_reply")):
                raise _bad("message to be replied not found")
        msg.update({k: v for k, v in content.items() if v})
        if markup:
            msg["reply_markup"] = markup
        msg["message_id"] = self._next_msg_id(chat["id"])
        self._messages[(chat["id"], msg["message_id"])] = msg
        self._bot_order.setdefault(chat["id"], []).append(msg["message_id"])
        return copy.deepcopy(msg)

    def _send_file(self, params: dict, field: str) -> dict:
        caption, ents = self._text(params, "caption", 1024)
        chat = self._chat(params)
        value = params.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[9:], value)
        if isinstance(value, Upload):
            if not value.content:
                raise _bad("file must be non-empty")
            if field == "photo":
                if image_size(value.content) is None:
                    raise _bad("IMAGE_PROCESS_FAILED")
                obj: Any = self._photo_sizes(value.content, value.file_name)
            else:
                rec = self.register_file(value.content, file_name=value.file_name,
                                         mime_type=value.mime_type)
                obj = {**self._file_obj(rec), "file_name": value.file_name,
                       "mime_type": value.mime_type}
            fid = (obj[-1] if field == "photo" else obj)["file_id"]
            upload = {"method": "send" + field.title(), "chat_id": chat["id"], "file_id": fid,
                      "file_name": value.file_name, "mime_type": value.mime_type,
                      "content": value.content, "caption": caption or None}
        elif isinstance(value, str) and value in self._files:
            rec = self._files[value]
            obj = (self._photo_sizes(rec["content"], rec["file_name"] or "photo.jpg")
                   if field == "photo" else {**self._file_obj(rec), "file_name":
                                             rec["file_name"], "mime_type": rec["mime_type"]})
            upload = None
        elif not value:
            raise _bad(f"there is no {field} in the request")
        else:
            raise _bad("wrong file identifier/HTTP URL specified")
        msg = self._send(params, {field: obj, "caption": caption, "caption_entities": ents})
        if upload:
            self.uploads.append({**upload, "message_id": msg["message_id"]})
        return msg

    # -- Bot API methods ---------------------------------------------------------------------

    def _api_getMe(self, p: dict) -> dict:
        return dict(self.bot_user)

    def _api_logOut(self, p: dict) -> bool:
        return True

    def _api_close(self, p: dict) -> bool:
        return True

    def _api_deleteWebhook(self, p: dict) -> bool:
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_getWebhookInfo(self, p: dict) -> dict:
        return {"url": "", "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    def _api_getUpdates(self, p: dict) -> list[dict]:
        offset, timeout = p.get("offset") or 0, float(p.get("timeout") or 0)
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        if "allowed_updates" in p:
            self._allowed = set(p["allowed_updates"] or []) or None
        self._poll_seq += 1
        me, epoch = self._poll_seq, self._epoch
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        deadline = time.monotonic() + timeout
        while True:
            self._updates = [u for u in self._updates if self._wanted(u)]
            if self._updates or time.monotonic() >= deadline or self._epoch != epoch:
                return copy.deepcopy(self._updates[:limit])
            self._cond.wait(min(deadline - time.monotonic(), 0.1))
            if not self._local.alive():  # the client hung up (cancelled, crashed): give up
                return []
            if self._poll_seq != me:
                raise ApiError(409, CONFLICT)

    def _wanted(self, update: dict) -> bool:
        kind = next(k for k in update if k != "update_id")
        return kind in self._allowed if self._allowed else kind not in _HIDDEN_UPDATES

    def _api_sendMessage(self, p: dict) -> dict:
        text, ents = self._text(p, "text", 4096)
        return self._send(p, {"text": text, "entities": ents})

    def _api_editMessageText(self, p: dict) -> dict:
        if "inline_message_id" in p:
            raise _bad("MESSAGE_ID_INVALID")
        msg = self._bot_message(p)
        if "text" not in msg:
            raise _bad("there is no text in the message to edit")
        text, ents = self._text(p, "text", 4096)
        return self._edit(msg, {"text": text, "entities": ents}, self._markup(p))

    def _api_editMessageReplyMarkup(self, p: dict) -> dict:
        msg = self._bot_message(p)
        return self._edit(msg, {}, self._markup(p))

    def _edit(self, msg: dict, content: dict, markup: dict | None) -> dict:
        old = ({k: msg.get(k) or None for k in content}, msg.get("reply_markup"))
        if old == ({k: v or None for k, v in content.items()}, markup):
            raise _bad(NOT_MODIFIED[len("Bad Request: "):])
        for key, value in (*content.items(), ("reply_markup", markup)):
            if value:
                msg[key] = value
            else:
                msg.pop(key, None)
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    def _api_deleteMessage(self, p: dict) -> bool:
        chat = self._chat(p)
        key = (chat["id"], p.get("message_id"))
        if key not in self._messages or key in self.deleted:
            raise _bad("message to delete not found")
        self.deleted.append(key)  # type: ignore[arg-type]
        return True

    def _api_answerCallbackQuery(self, p: dict) -> bool:
        query = self._queries.get(str(p.get("callback_query_id")))
        too_old = query is not None and self.callback_ttl is not None and (
            time.monotonic() - query["time"] > self.callback_ttl)
        if query is None or query["answered"] or too_old:
            raise _bad(QUERY_TOO_OLD[len("Bad Request: "):])
        if len(p.get("text") or "") > 200:
            raise _bad("MESSAGE_TOO_LONG")
        query["answered"] = True
        self.callback_answers.append({k: p.get(k) for k in ("callback_query_id", "text",
                                                              "show_alert", "url", "cache_time")})
        return True

    def _api_setMyCommands(self, p: dict) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        for cmd in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (self._scope_key(p.get("scope")), p.get("language_code") or "")
        self._commands[key] = commands
        if not commands:
            del self._commands[key]
        return True

    def _api_getMyCommands(self, p: dict) -> list:
        return self.commands_for(p.get("scope"), p.get("language_code") or "")

    def _api_deleteMyCommands(self, p: dict) -> bool:
        self._commands.pop((self._scope_key(p.get("scope")), p.get("language_code") or ""), None)
        return True

    def _api_setMessageReaction(self, p: dict) -> bool:
        chat = self._chat(p)
        key = (chat["id"], p.get("message_id"))
        if key not in self._messages or key in self.deleted:
            raise _bad("MESSAGE_ID_INVALID")
        reaction = p.get("reaction") or []
        if len(reaction) > 1:
            raise _bad("REACTIONS_TOO_MANY")
        if any(r.get("type") == "emoji"
               and str(r.get("emoji")).replace("\ufe0f", "") not in REACTION_EMOJI
               for r in reaction):
            raise _bad("REACTION_INVALID")
        self.reactions.append({"chat_id": chat["id"], "message_id": key[1],
                               "reaction": reaction, "is_big": bool(p.get("is_big"))})
        return True

    def _api_sendChatAction(self, p: dict) -> bool:
        self._chat(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _api_sendDocument(self, p: dict) -> dict:
        return self._send_file(p, "document")

    def _api_sendPhoto(self, p: dict) -> dict:
        return self._send_file(p, "photo")

    def _api_getFile(self, p: dict) -> dict:
        rec = self._files.get(str(p.get("file_id")))
        if rec is None:
            raise _bad("invalid file_id")
        if rec["file_size"] > 20 * 1024 * 1024:
            raise _bad("file is too big")
        return {**self._file_obj(rec), "file_id": p["file_id"], "file_path": rec["file_path"]}


_API = {name[5:].lower(): name for name in vars(FakeBotAPI) if name.startswith("_api_")}


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its FakeBotAPI and can cut keep-alive connections."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, api: FakeBotAPI) -> None:
        self.api = api
        self.connections: set[socket.socket] = set()
        super().__init__(address, handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        self.connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            self.connections.discard(request)

    def cut_connections(self) -> None:
        for conn in list(self.connections):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away (killed, or gave up on a slow request) is not our error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """HTTP front end: routes /bot<token>/<method> and /file/bot<token>/<path>."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024  # headers and body leave in one write; flushed after each request
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        api = self.server.api
        file_match = re.fullmatch(r"/file/bot([^/]+)/(.+)", path)
        bot_match = re.fullmatch(r"/bot([^/]+)/([A-Za-z_]+)/?", path)
        if file_match:
            status, payload = api.download(*file_match.groups())
        elif bot_match:
            try:
                params = self._params(url.query, body)
            except ApiError as e:
                status, payload = e.code, {"ok": False, "error_code": e.code,
                                           "description": e.description}
            else:
                status, payload = api.handle(bot_match.group(1), bot_match.group(2), params,
                                             self._client_alive)
        else:
            status, payload = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        self._reply(status, payload)

    def _params(self, query: str, body: bytes) -> dict[str, Any]:
        params: dict[str, Any] = {k: _coerce(k, v) for k, v in parse_qsl(query)}
        ctype = self.headers.get("Content-Type") or ""
        if ctype.startswith("application/json") and body:
            try:
                data = json.loads(body)
            except ValueError:
                raise _bad("can't parse JSON object") from None
            if not isinstance(data, dict):
                raise _bad("can't parse JSON object")
            params.update({k: _coerce(k, v) if k in _JSON_KEYS and isinstance(v, str) else v
                           for k, v in data.items()})
        elif ctype.startswith("multipart/form-data"):
            params.update({k: _coerce(k, v) if isinstance(v, str) else v
                           for k, v in _parse_multipart(body, ctype).items()})
        elif body:
            params.update({k: _coerce(k, v) for k, v in parse_qsl(body.decode())})
        return params

    def _client_alive(self) -> bool:
        """False once the client has closed its end of the connection."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return not readable or self.connection.recv(1, socket.MSG_PEEK) != b""
        except OSError:
            return False

    def _reply(self, status: int, payload: bytes | dict) -> None:
        is_json = isinstance(payload, dict)
        data = json.dumps(payload, ensure_ascii=False).encode() if is_json else payload
        try:
            self.send_response(status)
            self.send_header("Content-Type",
                             "application/json" if is_json else "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
