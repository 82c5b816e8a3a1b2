"""Telegram's limits and what it refuses: text lengths, inline keyboards (callback data of
1-64 bytes, at most 100 buttons and about 10 kB), commands, reactions, chat actions, the size
getFile serves. Every check raises the `ApiError` Telegram would answer with."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.fakebotapi.errors import bad_request
from tests.fakebotapi.formatting import parse_formatted, utf16_len

MAX_TEXT = 4096  # UTF-16 code units of a message text, after parsing entities
MAX_CAPTION = 1024  # ... of a media caption
MAX_CALLBACK_DATA = 64  # bytes of an inline button's callback_data (at least 1)
MAX_BUTTONS = 100  # buttons in one inline keyboard
MAX_MARKUP = 10 * 1024  # bytes of an inline keyboard (its JSON, UTF-8)
MAX_CALLBACK_ANSWER = 200  # characters of answerCallbackQuery's text
MAX_COMMANDS = 100  # commands per setMyCommands
MAX_COMMAND_DESCRIPTION = 256
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files
MAX_UPDATES = 100  # getUpdates' limit

_REACTIONS = """❤ 👍 👎 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤\u200d🔥 🌚
    🌭 💯 🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨\u200d💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄
    ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷\u200d♂ 🤷 🤷\u200d♀ 😡"""
REACTION_EMOJI = frozenset(_REACTIONS.split())  # the emoji a bot may react with
_ACTIONS = """typing upload_photo record_video upload_video record_voice upload_voice
    upload_document choose_sticker find_location record_video_note upload_video_note"""
CHAT_ACTIONS = frozenset(_ACTIONS.split())
BUTTON_ACTIONS = ("callback_data", "url", "web_app", "login_url", "switch_inline_query",
                  "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                  "copy_text", "callback_game", "pay")
# Update kinds getUpdates leaves out unless the bot asks for them in allowed_updates.
HIDDEN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def check_text(params: dict, key: str, limit: int) -> tuple[str, list]:
    """The text (key "text") or caption of a send or edit, parsed: (plain text, entities)."""
    entity_key = "entities" if key == "text" else "caption_entities"
    text, ents = parse_formatted(str(params.get(key) or ""), params.get("parse_mode"),
                                 params.get(entity_key))
    if key == "text" and not text.strip():
        raise bad_request("message text is empty")
    if utf16_len(text) > limit:
        raise bad_request("message is too long" if key == "text"
                          else "message caption is too long")
    return text, ents


def check_keyboard(params: dict) -> dict | None:
    """Validates reply_markup; returns it if it is an inline keyboard (Telegram echoes only
    those)."""
    markup = params.get("reply_markup")
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('can\'t parse inline keyboard button: field "inline_keyboard" must '
                          "be an Array of Arrays")
    # Past either limit Telegram answers "reply markup is too long" and shows nothing.
    encoded = json.dumps(markup, ensure_ascii=False, separators=(",", ":")).encode()
    if sum(len(row) for row in rows) > MAX_BUTTONS or len(encoded) > MAX_MARKUP:
        raise bad_request("reply markup is too long")
    for button in (b for row in rows for b in row):
        if not any(k in button for k in BUTTON_ACTIONS):
            raise bad_request("can't parse inline keyboard button: Text buttons are unallowed "
                              "in the inline keyboard")
        if "callback_data" in button and not 1 <= len(
                str(button["callback_data"]).encode()) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button and not re.fullmatch(r"(https?|tg)://\S+", button["url"]):
            raise bad_request(f"inline keyboard button URL '{button['url']}' is invalid: "
                              "Wrong HTTP URL")
    return {"inline_keyboard": rows}


def check_commands(commands: Any) -> list:
    """setMyCommands' list: at most 100, names [a-z0-9_]{1,32}, descriptions 1-256."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for cmd in commands:
        if not re.fullmatch(r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(cmd.get("description", ""))) <= MAX_COMMAND_DESCRIPTION:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return commands


def check_reaction(reaction: list) -> list:
    """setMessageReaction: at most one reaction, emoji only from REACTION_EMOJI."""
    if len(reaction) > 1:
        raise bad_request("REACTIONS_TOO_MANY")
    if any(r.get("type") == "emoji"
           and str(r.get("emoji")).replace("\ufe0f", "") not in REACTION_EMOJI
           for r in reaction):
        raise bad_request("REACTION_INVALID")
    return reaction


def check_chat_action(action: Any) -> None:
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")


def check_callback_answer(text: str | None) -> None:
    if len(text or "") > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
