"""Simulated users: what tests (and benchmarks) do as Telegram users. Each action queues the
update Telegram would send the bot and returns what it queued or made."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from tests.fakebotapi.files import FileStore, file_obj
from tests.fakebotapi.formatting import command_entities
from tests.fakebotapi.state import ChatState


def captioned(content: dict, caption: str | None) -> dict:
    return content | ({"caption": caption} if caption is not None else {})


class SimulatedUsers:
    """Part of FakeBotAPI: users send messages, edit them and press buttons."""

    state: ChatState
    files: FileStore

    def add_user(self, user_id: int, *, first_name: str | None = None,
                 language_code: str | None = None, username: str | None = None,
                 last_name: str | None = None) -> dict:
        """Registers or updates a user (defaults: Anna, nl); returns the User object."""
        with self.state.lock:
            user = self.state.users.setdefault(user_id, {"id": user_id, "is_bot": False,
                                                    "first_name": "Anna", "language_code": "nl"})
            for key, val in (("first_name", first_name), ("last_name", last_name),
                             ("username", username), ("language_code", language_code)):
                if val == "":
                    user.pop(key, None)
                elif val is not None:
                    user[key] = val
            return dict(user)

    def add_to_group(self, user_id: int, chat_id: int, *, chat_type: str = "group",
                     title: str = "Testgroep") -> dict:
        """The user adds the bot to a group, supergroup or channel: Telegram sends the bot
        a my_chat_member update (queued here; returned)."""
        user = self.add_user(user_id)
        return self.state.join({"id": chat_id, "type": chat_type, "title": title}, user)

    def send_text(self, user_id: int, text: str, *, first_name: str | None = None,
                  language_code: str | None = None, chat_type: str = "private",
                  chat_id: int | None = None, reply_to: int | None = None) -> dict:
        """The user sends a text (commands get a bot_command entity); returns the Message."""
        self.add_user(user_id, first_name=first_name, language_code=language_code)
        content: dict[str, Any] = {"text": text}
        if ents := command_entities(text):
            content["entities"] = ents
        if reply_to is not None:
            with self.state.lock:
                content["reply_to_message"] = copy.deepcopy(
                    self.state.messages[(chat_id or user_id, reply_to)])
        return self.state.user_message(user_id, chat_type, chat_id, content)

    def send_photo(self, user_id: int, content: bytes, caption: str | None = None, *,
                   chat_type: str = "private", chat_id: int | None = None) -> dict:
        """The user sends a photo (two PhotoSizes, like Telegram); returns the Message."""
        self.add_user(user_id)
        msg = {"photo": self.files.photo_sizes(content, "user.jpg")}
        return self.state.user_message(user_id, chat_type, chat_id, captioned(msg, caption))

    def send_voice(self, user_id: int, content: bytes = b"OggS\x00fake-voice", *,
                   duration: int = 3, chat_type: str = "private",
                   chat_id: int | None = None) -> dict:
        """The user sends a voice note (audio/ogg); returns the Message."""
        self.add_user(user_id)
        f = self.register_file(content, kind="voice", mime_type="audio/ogg")
        voice = {**file_obj(f), "duration": duration, "mime_type": "audio/ogg"}
        return self.state.user_message(user_id, chat_type, chat_id, {"voice": voice})

    def send_audio(self, user_id: int, content: bytes, *, file_name: str = "opname.ogg",
                   mime_type: str = "audio/ogg", duration: int = 3,
                   caption: str | None = None) -> dict:
        """The user sends an audio file (a recording from another app); returns the Message."""
        self.add_user(user_id)
        f = self.register_file(content, kind="audio", file_name=file_name, mime_type=mime_type)
        audio = {**file_obj(f), "duration": duration, "file_name": file_name,
                 "mime_type": mime_type}
        return self.state.user_message(user_id, "private", None,
                                       captioned({"audio": audio}, caption))

    def send_video_note(self, user_id: int, content: bytes, *, duration: int = 3,
                        length: int = 240) -> dict:
        """The user sends a round video note (MP4); returns the Message."""
        self.add_user(user_id)
        f = self.register_file(content, kind="video_note", mime_type="video/mp4")
        note = {**file_obj(f), "duration": duration, "length": length}
        return self.state.user_message(user_id, "private", None, {"video_note": note})

    def send_document(self, user_id: int, content: bytes, *, file_name: str = "document.pdf",
                      mime_type: str | None = None, caption: str | None = None,
                      chat_type: str = "private", chat_id: int | None = None,
                      size: int | None = None, body: int | None = None,
                      length_header: bool = True) -> dict:
        """The user sends a file; returns the Message. `size` makes Telegram report (and
        getFile judge) a size other than the content's, e.g. over the 20 MB bots may fetch,
        without holding that much in memory; `body` makes the download a generated body of
        that many bytes, streamed (the record's "served" counts what was sent), without a
        Content-Length if not `length_header`."""
        self.add_user(user_id)
        f = self.register_file(content, kind="document", file_name=file_name, mime_type=mime_type)
        with self.state.lock:
            if size is not None:
                self.files.by_id[f["file_id"]]["file_size"] = f["file_size"] = size
            self.files.by_id[f["file_id"]].update(body=body, declared=length_header)
        doc = {**file_obj(f), "file_name": file_name, "mime_type": f["mime_type"]}
        return self.state.user_message(user_id, chat_type, chat_id,
                                  captioned({"document": doc}, caption))

    def send_sticker(self, user_id: int, *, emoji: str = "👍",
                     content: bytes = b"RIFF\x00\x00\x00\x00WEBPfake", chat_type: str = "private",
                     chat_id: int | None = None) -> dict:
        """The user sends a (static) sticker; returns the Message."""
        self.add_user(user_id)
        f = self.register_file(content, kind="sticker", mime_type="image/webp")
        sticker = {**file_obj(f), "type": "regular", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "emoji": emoji}
        return self.state.user_message(user_id, chat_type, chat_id, {"sticker": sticker})

    def send_location(self, user_id: int, latitude: float = 52.3676, longitude: float = 4.9041,
                      *, chat_type: str = "private", chat_id: int | None = None) -> dict:
        """The user shares a location; returns the Message."""
        self.add_user(user_id)
        return self.state.user_message(user_id, chat_type, chat_id,
                                  {"location": {"latitude": latitude, "longitude": longitude}})

    def edit_text(self, user_id: int, message_id: int, new_text: str, *,
                  chat_id: int | None = None) -> dict:
        """The user edits an earlier text message: queues an edited_message update."""
        with self.state.lock:
            msg = self.state.messages.get((chat_id or user_id, message_id))
            if msg is None or msg.get("from", {}).get("id") != user_id:
                raise ValueError(f"user {user_id} has no message {message_id}")
            msg.update(text=new_text, edit_date=int(time.time()))
            msg.pop("entities", None)
            if ents := command_entities(new_text):
                msg["entities"] = ents
            self.state.queue({"edited_message": copy.deepcopy(msg)})
            return copy.deepcopy(msg)

    def press(self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None,
              check: bool = True) -> str:
        """The user presses an inline button on a bot message; returns the callback query id.

        With check=True the message's current keyboard must contain a button with `data`.
        """
        with self.state.lock:
            self.add_user(user_id)
            cid = chat_id or user_id
            msg = self.state.messages.get((cid, message_id))
            if (msg is None or msg.get("from", {}).get("id") != self.state.bot_user["id"]
                    or (cid, message_id) in self.state.deleted):
                raise ValueError(f"no bot message {message_id} in chat {cid}")
            datas = [b.get("callback_data") for row in
                     msg.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
            if check and data not in datas:
                raise AssertionError(f"message {message_id} has no button {data!r}: {datas}")
            qid = str(4_000_000_000_000 + next(self.state.ids))
            query = {"id": qid, "from": dict(self.state.users[user_id]),
                     "message": copy.deepcopy(msg), "chat_instance": str(-abs(cid) * 7),
                     "data": data}
            self.state.queries[qid] = {"answered": False, "time": time.monotonic(),
                                       "chat_id": cid}
            self.state.queue({"callback_query": query})
            return qid

    def press_button(self, user_id: int, label: str, *, chat_id: int | None = None) -> str:
        """Presses the button labelled `label` on the newest bot message that has one."""
        with self.state.lock:
            found = self._newest_button(chat_id or user_id,
                                        lambda button: button.get("text") == label)
            if found is None:
                raise AssertionError(f"no button {label!r} in chat {chat_id or user_id}")
            return self.press(user_id, *found, chat_id=chat_id)

    def press_label(self, user_id: int, label_part: str) -> str | None:
        """Presses the newest button (in the user's private chat) whose label contains
        `label_part`; returns the callback query id, None if no message shows one."""
        with self.state.lock:
            found = self._newest_button(user_id, lambda b: label_part in b.get("text", ""))
            return None if found is None else self.press(user_id, *found)

    def press_newest(self, user_id: int, data: str) -> str | None:
        """Presses `data` on the bot's newest message in the user's private chat, whatever
        buttons it shows (check=False); returns the callback query id, None if there is none."""
        with self.state.lock:
            ids = self.state.bot_message_ids(user_id)
            return self.press(user_id, ids[-1], data, check=False) if ids else None

    def _newest_button(self, chat_id: int,
                       match: Callable[[dict], bool]) -> tuple[int, str] | None:
        """(message_id, callback_data) of the newest matching callback button in a chat."""
        for message_id in reversed(self.state.bot_message_ids(chat_id)):
            message = self.state.messages[(chat_id, message_id)]
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if "callback_data" in button and match(button):
                        return message_id, button["callback_data"]
        return None

    def new_message_id(self, chat_id: int) -> int:
        """A message id not yet used in this chat, for a raw update a test builds itself
        (Telegram's ids are unique per chat; a reused one would overwrite a bot message)."""
        with self.state.lock:
            return self.state.next_message_id(chat_id)

    def send_update(self, update: dict) -> dict:
        """Queues a raw update (update_id is assigned if missing); returns it."""
        with self.state.lock:
            for obj in update.values():
                if isinstance(obj, dict):
                    self.state.learn(obj)
            query = update.get("callback_query")
            if isinstance(query, dict) and "id" in query:  # answerable, like a real press
                self.state.queries.setdefault(str(query["id"]), {"answered": False,
                                                            "time": time.monotonic()})
            return self.state.queue(copy.deepcopy(update))

    def redeliver(self, update: dict) -> dict:
        """Offers an update again, same update_id and content, as Telegram does when it never
        got the confirmation; nothing it mentions is learned anew."""
        with self.state.lock:
            return self.state.queue(copy.deepcopy(update))

    def register_file(self, content: bytes, *, kind: str = "document",
                      file_name: str | None = None, mime_type: str | None = None) -> dict:
        """Stores a file so getFile and the /file/ URL serve it; returns its record."""
        return self.files.register(content, kind=kind, file_name=file_name, mime_type=mime_type)

    def serve_like_local_server(self) -> None:
        """getFile serves files of any size, as a local Bot API server does (TELEGRAM_API_URL
        may point at one); Telegram's cloud refuses files over 20 MB."""
        with self.state.lock:
            self.files.limit = None

    def served(self, file_id: str) -> int:
        """Bytes of this file the /file/ URL has sent so far."""
        with self.state.lock:
            return int(self.files.by_id[file_id]["served"])

    def fail_file(self, file_id: str, status: int = 404) -> None:
        """Makes downloading this file fail with the given HTTP status."""
        self.files.fail(file_id, status)

    def add_private_chat(self, user_id: int, *, first_name: str = "Anna",
                         language_code: str = "nl") -> dict:
        """A private chat the bot may write to first (as if the user had written before),
        without queuing any update; a known user keeps their name. Returns the Chat."""
        with self.state.lock:
            user = self.state.users.setdefault(user_id, {
                "id": user_id, "is_bot": False, "first_name": first_name,
                "language_code": language_code})
            return dict(self.state.chats.setdefault(user_id, {
                "id": user_id, "type": "private", "first_name": user["first_name"]}))
