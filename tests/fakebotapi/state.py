"""What the fake server knows: users, chats, messages, pending updates and callback queries,
commands, and a record of every call. One lock (a Condition) guards all of it; waiters are
woken whenever something changes."""

from __future__ import annotations

import copy
import itertools
import json
import threading
import time
from typing import Any, NamedTuple

from tests.fakebotapi.limits import HIDDEN_UPDATES

BOT_USERNAME = "veldgids_test_bot"
FORGED_ID = 2**63  # update ids from here on are no Telegram's (a test sends them on purpose)


class Call(NamedTuple):
    """One recorded request: canonical method name and decoded parameters."""

    method: str
    params: dict[str, Any]


def scope_key(scope: dict | None) -> str:
    """A BotCommandScope as a dictionary key (None = the default scope)."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


class ChatState:
    """All state of the fake Bot API. Hold `lock` while reading or changing it."""

    def __init__(self, token: str, callback_ttl: float | None = None) -> None:
        bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 123456
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": "Veldgids (test)",
                         "username": BOT_USERNAME, "can_join_groups": True,
                         "can_read_all_group_messages": False, "supports_inline_queries": False,
                         "can_connect_to_business": False, "has_main_web_app": False}
        self.callback_ttl = callback_ttl  # seconds a callback query stays answerable
        self.lock = threading.Condition(threading.RLock())
        self.ids = itertools.count(1)  # callback query ids and file numbers
        # Updates: not yet confirmed, the next update_id, what the bot asked for.
        self.next_update = 10001
        self.updates: list[dict] = []
        self.allowed: set[str] | None = None
        self.poll_seq = 0  # getUpdates calls so far (a newer one ends an older one: 409)
        self.epoch = 0  # server restarts so far (a stop ends every waiting getUpdates)
        self.users: dict[int, dict] = {}
        self.chats: dict[int, dict] = {}
        self.msg_seq: dict[int, int] = {}  # the last message_id per chat
        self.messages: dict[tuple[int, int], dict] = {}  # (chat_id, message_id) -> Message
        self.bot_order: dict[int, list[int]] = {}  # the bot's message ids per chat, in order
        self.queries: dict[str, dict] = {}  # callback query id -> {"answered", "time"}
        self.left: set[int] = set()  # groups and channels the bot left (leaveChat)
        self.commands: dict[tuple[str, str], list] = {}  # (scope_key, language) -> commands
        # Observation, public through FakeBotAPI.
        self.calls: list[Call] = []
        self.errors: list[tuple[str, dict, int, str]] = []
        self.internal_errors: list[str] = []
        self.reactions: list[dict] = []
        self.uploads: list[dict] = []
        self.callback_answers: list[dict] = []
        self.deleted: list[tuple[int, int]] = []
        self.queued: list[dict] = []  # every update ever queued, e.g. to re-deliver one

    def changed(self) -> None:
        """Wakes everyone waiting on the lock (tests' wait_for, long polls)."""
        with self.lock:
            self.lock.notify_all()

    def queue(self, update: dict) -> dict:
        """Offers an update to getUpdates (assigning the next update_id if it has none)."""
        with self.lock:
            update.setdefault("update_id", self.next_update)
            if update["update_id"] < FORGED_ID:  # a forged id does not move Telegram's count
                self.next_update = max(self.next_update, update["update_id"]) + 1
            self.updates.append(update)
            self.queued.append(copy.deepcopy(update))
            self.lock.notify_all()
            return copy.deepcopy(update)

    def wanted(self, update: dict) -> bool:
        """Whether getUpdates hands out this update, given the bot's allowed_updates."""
        kind = next(k for k in update if k != "update_id")
        return kind in self.allowed if self.allowed else kind not in HIDDEN_UPDATES

    def learn(self, obj: dict) -> None:
        """Remembers users, chats and messages mentioned in a raw update object."""
        if isinstance(obj.get("from"), dict) and not obj["from"].get("is_bot"):
            self.users.setdefault(obj["from"]["id"], dict(obj["from"]))
        if isinstance(obj.get("chat"), dict):
            cid = obj["chat"]["id"]
            self.chats.setdefault(cid, dict(obj["chat"]))
            if "message_id" in obj:
                self.messages[(cid, obj["message_id"])] = copy.deepcopy(obj)
                self.msg_seq[cid] = max(self.msg_seq.get(cid, 0), obj["message_id"])
        if isinstance(obj.get("message"), dict):
            self.learn(obj["message"])

    def next_message_id(self, chat_id: int) -> int:
        self.msg_seq[chat_id] = self.msg_seq.get(chat_id, 0) + 1
        return self.msg_seq[chat_id]

    def user_message(self, user_id: int, chat_type: str, chat_id: int | None,
                     content: dict) -> dict:
        """A message from a known user: stored and queued as an update; returns a copy."""
        with self.lock:
            user = self.users[user_id]
            if chat_id is None and chat_type != "private":
                raise ValueError(f"a {chat_type} message needs a chat_id")
            cid = chat_id if chat_id is not None else user_id
            chat = self.chats.setdefault(cid, {"id": cid, "type": chat_type})
            if chat_type == "private":
                chat.update({k: user[k] for k in ("first_name", "last_name", "username")
                             if k in user})
            else:
                chat.setdefault("title", "Testgroep")
            msg = {"message_id": self.next_message_id(cid), "date": int(time.time()),
                   "chat": chat,
                   **({"sender_chat": chat} if chat_type == "channel" else {"from": user})}
            msg = copy.deepcopy({**msg, **content})
            self.messages[(cid, msg["message_id"])] = msg
            if cid in self.left:  # the bot is no longer there: Telegram sends it nothing
                return copy.deepcopy(msg)
            self.queue({"channel_post" if chat_type == "channel" else "message":
                        copy.deepcopy(msg)})
            return copy.deepcopy(msg)

    def member_update(self, chat: dict, by: dict, old: str, new: str) -> dict:
        """The my_chat_member update Telegram sends when the bot joins or leaves a chat."""
        me = {k: v for k, v in self.bot_user.items() if k in ("id", "is_bot", "first_name",
                                                               "username")}
        return self.queue({"my_chat_member": {
            "chat": dict(chat), "from": dict(by), "date": int(time.time()),
            "old_chat_member": {"status": old, "user": me},
            "new_chat_member": {"status": new, "user": me}}})

    def join(self, chat: dict, by: dict) -> dict:
        """Someone adds the bot to a group or channel."""
        with self.lock:
            chat = self.chats.setdefault(chat["id"], dict(chat))
            self.left.discard(chat["id"])
            return self.member_update(chat, by, "left", "member")

    def leave(self, chat: dict) -> None:
        """The bot leaves: nothing from the chat reaches it any more, except the
        my_chat_member update saying it left."""
        self.left.add(chat["id"])
        self.member_update(chat, {k: self.bot_user[k] for k in ("id", "is_bot", "first_name")},
                           "member", "left")

    def bot_message_ids(self, chat_id: int) -> list[int]:
        """The bot's not-deleted message ids in a chat, oldest first."""
        with self.lock:
            return [m for m in self.bot_order.get(chat_id, [])
                    if (chat_id, m) not in self.deleted]

    def commands_for(self, scope: dict | None = None, language_code: str = "") -> list:
        """The commands set for this scope and language (a copy)."""
        with self.lock:
            return list(self.commands.get((scope_key(scope), language_code), []))
