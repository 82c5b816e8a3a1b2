"""The Bot API methods the bot uses, answered like Telegram answers them.

`BotApiMethods` has one method per Bot API method, under its Telegram name, taking the
decoded parameters and returning the result or raising `ApiError`; `API_METHODS` maps
lower-case names to those. Callers (FakeBotAPI.handle) hold the state's lock.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

from tests.fakebotapi.errors import CONFLICT, NOT_MODIFIED, QUERY_TOO_OLD, ApiError, bad_request
from tests.fakebotapi.faults import Faults
from tests.fakebotapi.files import FileStore, Upload, file_obj, image_size
from tests.fakebotapi.limits import (
    MAX_CAPTION,
    MAX_TEXT,
    MAX_UPDATES,
    check_callback_answer,
    check_chat_action,
    check_commands,
    check_keyboard,
    check_reaction,
    check_text,
)
from tests.fakebotapi.state import ChatState, scope_key
from tests.fakebotapi.webhook import TERMINATED, Webhooks, refuse_polling

API_METHODS = {name.lower(): name for name in (
    "getMe", "logOut", "close", "setWebhook", "deleteWebhook", "getWebhookInfo", "getUpdates",
    "sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage",
    "answerCallbackQuery", "setMyCommands", "getMyCommands", "deleteMyCommands",
    "setMessageReaction", "sendChatAction", "sendDocument", "sendPhoto", "getFile",
    "leaveChat")}


class BotApiMethods:
    """The Bot API's behaviour on `state`, `files` and `faults` (blocked chats)."""

    def __init__(self, state: ChatState, files: FileStore, faults: Faults,
                 webhooks: Webhooks) -> None:
        self.state, self.files, self.faults, self.webhooks = state, files, faults, webhooks
        self.request = threading.local()  # .alive(): is the current request's client there?

    # -- shared by several methods -----------------------------------------------------------

    def chat(self, params: dict) -> dict:
        raw = params.get("chat_id")
        if raw in (None, ""):
            raise bad_request("chat_id is empty")
        chat = self.state.chats.get(raw) if isinstance(raw, int) else next(
            (c for c in self.state.chats.values() if "@" + c.get("username", "-") == raw), None)
        if chat is None:
            raise bad_request("chat not found")
        if chat["id"] in self.faults.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user" if chat["type"] ==
                           "private" else "Forbidden: bot was kicked from the group chat")
        if chat["id"] in self.state.left:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat['type']} chat")
        self.faults.check_flood(chat["id"])
        return chat

    def bot_message(self, params: dict) -> dict:
        chat = self.chat(params)
        if "message_id" not in params:
            raise bad_request("message identifier is not specified")
        msg = self.state.messages.get((chat["id"], params["message_id"]))
        if msg is None or (chat["id"], msg["message_id"]) in self.state.deleted:
            raise bad_request("message to edit not found")
        if msg.get("from", {}).get("id") != self.state.bot_user["id"]:
            raise bad_request("message can't be edited")
        return msg

    def send(self, params: dict, content: dict) -> dict:
        chat = self.chat(params)
        self.faults.check_group_rate(chat)
        markup = check_keyboard(params)
        reply = params.get("reply_parameters") or (
            {"message_id": params["reply_to_message_id"]} if "reply_to_message_id" in params
            else None)
        msg = {"message_id": 0, "from": dict(self.state.bot_user), "chat": dict(chat),
               "date": int(time.time())}
        if reply:
            target = self.state.messages.get((chat["id"], reply.get("message_id")))
            if target is not None:
                msg["reply_to_message"] = {k: v for k, v in target.items()
                                           if k != "reply_to_message"}
            elif not (reply.get("allow_sending_without_reply")
                      or params.get("allow_sending_without_reply")):
                raise bad_request("message to be replied not found")
        msg.update({k: v for k, v in content.items() if v})
        if markup:
            msg["reply_markup"] = markup
        msg["message_id"] = self.state.next_message_id(chat["id"])
        self.state.messages[(chat["id"], msg["message_id"])] = msg
        self.state.bot_order.setdefault(chat["id"], []).append(msg["message_id"])
        return copy.deepcopy(msg)

    def send_file(self, params: dict, field: str) -> dict:
        caption, ents = check_text(params, "caption", MAX_CAPTION)
        chat = self.chat(params)
        value = params.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[9:], value)
        if isinstance(value, Upload):
            if not value.content:
                raise bad_request("file must be non-empty")
            if field == "photo":
                if image_size(value.content) is None:
                    raise bad_request("IMAGE_PROCESS_FAILED")
                obj: Any = self.files.photo_sizes(value.content, value.file_name)
            else:
                rec = self.files.register(value.content, file_name=value.file_name,
                                         mime_type=value.mime_type)
                obj = {**file_obj(rec), "file_name": value.file_name,
                       "mime_type": value.mime_type}
            fid = (obj[-1] if field == "photo" else obj)["file_id"]
            upload = {"method": "send" + field.title(), "chat_id": chat["id"], "file_id": fid,
                      "file_name": value.file_name, "mime_type": value.mime_type,
                      "content": value.content, "caption": caption or None}
        elif isinstance(value, str) and value in self.files.by_id:
            rec = self.files.by_id[value]
            obj = (self.files.photo_sizes(rec["content"], rec["file_name"] or "photo.jpg")
                   if field == "photo" else {**file_obj(rec), "file_name":
                                             rec["file_name"], "mime_type": rec["mime_type"]})
            upload = None
        elif not value:
            raise bad_request(f"there is no {field} in the request")
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        msg = self.send(params, {field: obj, "caption": caption, "caption_entities": ents})
        if upload:
            self.state.uploads.append({**upload, "message_id": msg["message_id"]})
        return msg

    # -- the Bot API methods, by their Telegram names ----------------------------------------

    def getMe(self, p: dict) -> dict:
        return dict(self.state.bot_user)

    def logOut(self, p: dict) -> bool:
        return True

    def close(self, p: dict) -> bool:
        return True

    def setWebhook(self, p: dict) -> bool:
        return self.webhooks.set(p)

    def deleteWebhook(self, p: dict) -> bool:
        return self.webhooks.delete(p)

    def getWebhookInfo(self, p: dict) -> dict:
        return self.webhooks.info()

    def getUpdates(self, p: dict) -> list[dict]:
        refuse_polling(self.webhooks)
        offset, timeout = p.get("offset") or 0, float(p.get("timeout") or 0)
        limit = min(max(int(p.get("limit") or MAX_UPDATES), 1), MAX_UPDATES)
        if "allowed_updates" in p:
            self.state.allowed = set(p["allowed_updates"] or []) or None
        self.state.poll_seq += 1
        me, epoch = self.state.poll_seq, self.state.epoch
        if offset > 0:
            self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.state.updates = self.state.updates[offset:]
        deadline = time.monotonic() + timeout
        while True:
            self.state.updates = [u for u in self.state.updates if self.state.wanted(u)]
            if self.state.updates or time.monotonic() >= deadline or self.state.epoch != epoch:
                return copy.deepcopy(self.state.updates[:limit])
            self.state.lock.wait(min(deadline - time.monotonic(), 0.1))
            if not self.request.alive():  # the client hung up (cancelled, crashed): give up
                return []
            if self.state.poll_seq != me:
                raise ApiError(409, CONFLICT)
            if self.webhooks.url:
                raise ApiError(409, TERMINATED)

    def sendMessage(self, p: dict) -> dict:
        text, ents = check_text(p, "text", MAX_TEXT)
        return self.send(p, {"text": text, "entities": ents})

    def editMessageText(self, p: dict) -> dict:
        if "inline_message_id" in p:
            raise bad_request("MESSAGE_ID_INVALID")
        msg = self.bot_message(p)
        if "text" not in msg:
            raise bad_request("there is no text in the message to edit")
        text, ents = check_text(p, "text", MAX_TEXT)
        return self.edit(msg, {"text": text, "entities": ents}, check_keyboard(p))

    def editMessageReplyMarkup(self, p: dict) -> dict:
        msg = self.bot_message(p)
        return self.edit(msg, {}, check_keyboard(p))

    def edit(self, msg: dict, content: dict, markup: dict | None) -> dict:
        old = ({k: msg.get(k) or None for k in content}, msg.get("reply_markup"))
        if old == ({k: v or None for k, v in content.items()}, markup):
            raise bad_request(NOT_MODIFIED[len("Bad Request: "):])
        for key, value in (*content.items(), ("reply_markup", markup)):
            if value:
                msg[key] = value
            else:
                msg.pop(key, None)
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    def deleteMessage(self, p: dict) -> bool:
        chat = self.chat(p)
        key = (chat["id"], p.get("message_id"))
        if key not in self.state.messages or key in self.state.deleted:
            raise bad_request("message to delete not found")
        self.state.deleted.append(key)  # type: ignore[arg-type]
        return True

    def answerCallbackQuery(self, p: dict) -> bool:
        query = self.state.queries.get(str(p.get("callback_query_id")))
        too_old = query is not None and self.state.callback_ttl is not None and (
            time.monotonic() - query["time"] > self.state.callback_ttl)
        if query is None or query["answered"] or too_old:
            raise bad_request(QUERY_TOO_OLD[len("Bad Request: "):])
        check_callback_answer(p.get("text"))
        query["answered"] = True
        self.state.callback_answers.append({k: p.get(k) for k in (
            "callback_query_id", "text", "show_alert", "url", "cache_time")})
        return True

    def setMyCommands(self, p: dict) -> bool:
        commands = check_commands(p.get("commands"))
        key = (scope_key(p.get("scope")), p.get("language_code") or "")
        self.state.commands[key] = commands
        if not commands:
            del self.state.commands[key]
        return True

    def getMyCommands(self, p: dict) -> list:
        return self.state.commands_for(p.get("scope"), p.get("language_code") or "")

    def deleteMyCommands(self, p: dict) -> bool:
        self.state.commands.pop((scope_key(p.get("scope")), p.get("language_code") or ""), None)
        return True

    def setMessageReaction(self, p: dict) -> bool:
        chat = self.chat(p)
        key = (chat["id"], p.get("message_id"))
        if key not in self.state.messages or key in self.state.deleted:
            raise bad_request("MESSAGE_ID_INVALID")
        reaction = check_reaction(p.get("reaction") or [])
        self.state.reactions.append({"chat_id": chat["id"], "message_id": key[1],
                                     "reaction": reaction, "is_big": bool(p.get("is_big"))})
        return True

    def sendChatAction(self, p: dict) -> bool:
        self.chat(p)
        check_chat_action(p.get("action"))
        return True

    def sendDocument(self, p: dict) -> dict:
        return self.send_file(p, "document")

    def sendPhoto(self, p: dict) -> dict:
        return self.send_file(p, "photo")

    def leaveChat(self, p: dict) -> bool:
        chat = self.chat(p)
        if chat["type"] == "private":
            raise bad_request("chat member status can't be changed in private chats")
        self.state.leave(chat)
        return True

    def getFile(self, p: dict) -> dict:
        rec = self.files.get(str(p.get("file_id")))
        if rec is None:
            raise bad_request("invalid file_id")
        if self.files.limit is not None and rec["file_size"] > self.files.limit:
            raise bad_request("file is too big")
        return {**file_obj(rec), "file_id": p["file_id"], "file_path": rec["file_path"]}
