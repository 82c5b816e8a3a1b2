"""Hypothesis strategies for Telegram updates, all in one place.

A strategy yields abstract `Act`s (a user sends a sticker, presses the third button of their
newest keyboard, Telegram re-delivers an earlier update...). `realize` performs an act on a
`FakeBotAPI`, which builds the update exactly as Telegram would, and returns the raw updates
to feed to the bot. New kinds of input are one more `Act` kind here and one branch below.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from bot.app.registry import COMMANDS
from tests.bot.fakerequest import Inbox
from tests.fakebotapi import FakeBotAPI

ALLOWED = (1001, 1002, 1003)  # admins from the settings: may use the bot
STRANGERS = (2901,)  # never invited
GROUP, SUPERGROUP, CHANNEL = -4001, -1004002, -1004003
# Text sent where nothing may be stored (groups, channels, strangers) carries these marks,
# so one scan over every table proves none of it was kept.
GROUP_MARK, STRANGER_MARK = "⟦groep⟧", "⟦vreemd⟧"

# Kinds whose update is ignored on purpose (no handler): documented in docs/reliability.md.
IGNORED = ("channel", "poll_update", "my_chat_member")


@dataclass(frozen=True)
class Act:
    kind: str
    user: int
    text: str = ""
    pick: int = 0


UNICODE = (
    "مرحبا بالعالم",  # Arabic, right to left
    "שלום \u200fעולם",  # Hebrew with a right-to-left mark
    "\u202eesrever\u202c",  # right-to-left override
    "👩‍👩‍👧‍👦🏳️‍🌈🇳🇱",  # emoji sequences with zero-width joiners and flags
    "zero\u200bwidth\u200c\u200d\ufeff",
    "e\u0301\u0302\u0303\u0304 Z\u0336\u0337",  # stacked combining marks
    "\u0000\u0007\x1b[31m",  # control characters
    "<b>niet vet</b> &amp; {name} {0} %s",  # markup and template look-alikes
    "\ud7ff\ue000\U0010ffff",
    "Taalcafé Noord",
    "1",
    "3",
    "ja",
    "",
    "   ",
)


def _long(unit: str, n: int) -> str:
    return (unit * (n // max(len(unit), 1) + 1))[:n]


texts = st.one_of(
    st.sampled_from(UNICODE),
    st.text(max_size=40),
    st.builds(_long, st.sampled_from(("x", "é", "👍", "ab c", "\u200b", "ש")),
              st.sampled_from((200, 4096, 4097, 10_000))),
)

COMMAND_WORDS = sorted({w for c in COMMANDS for w in (c.name, *c.aliases)} | {"onbekend"})
commands = st.builds(
    lambda word, suffix, args: f"/{word}{suffix}" + (f" {args}" if args else ""),
    st.sampled_from(COMMAND_WORDS),
    st.sampled_from(("", "@veldgids_test_bot", "@iemand_anders_bot")),
    st.one_of(st.just(""), texts),
)
forged_data = st.one_of(
    st.text(max_size=64),
    st.builds(lambda rev, code: f"{rev}.{code}", st.integers(-2, 40),
              st.sampled_from(("o:zzz", "i:policy", "i:nope", "d:1", "d:99999", "c:yes", "c:no",
                               "s", "x", "o:", "fg:yes", "ac:1"))),
)
oversized_data = st.text(min_size=65, max_size=300)

# Mostly one librarian, so sequences get deep into the dialogs; the others interleave.
allowed = st.sampled_from((ALLOWED[0], ALLOWED[0], ALLOWED[0], *ALLOWED[1:]))
anyone = st.one_of(allowed, allowed, allowed, st.sampled_from(STRANGERS))
picks = st.integers(0, 12)


NO_TEXT = st.just("")


def _act(kind: str, who: st.SearchStrategy[int] = anyone,
         text: st.SearchStrategy[str] = NO_TEXT) -> st.SearchStrategy[Act]:
    return st.builds(Act, st.just(kind), who, text, picks)


BY_KIND: dict[str, st.SearchStrategy[Act]] = {
    "press": _act("press", allowed),
    "text": _act("text", anyone, texts),
    "command": _act("command", anyone, commands),
    "onboard": _act("onboard", allowed),
    "press_stale": _act("press_stale", allowed),
    "press_forged": _act("press_forged", anyone, forged_data),
    "press_oversized": _act("press_forged", allowed, oversized_data),
    "press_inline": _act("press_inline", allowed, forged_data),
    "duplicate": _act("duplicate", allowed),
    "edit": _act("edit", allowed, texts),
    **{kind: _act(kind) for kind in ("sticker", "photo", "voice", "document", "location",
                                     "contact", "poll")},
    "group": _act("group", anyone, texts),
    "supergroup": _act("supergroup", anyone, texts),
    "group_sticker": _act("group_sticker", anyone),
    "group_press": _act("group_press", allowed),
    "channel": _act("channel", allowed, texts),
    "poll_update": _act("poll_update", allowed),
    "my_chat_member": _act("my_chat_member", allowed),
}
# Valid presses and answers come often, so random walks reach deep steps; every odd kind
# still turns up many times per run.
WEIGHTS = {"press": 14, "text": 4, "command": 3, "onboard": 2}
acts = st.sampled_from([k for k in BY_KIND for _ in range(WEIGHTS.get(k, 1))]).flatmap(
    BY_KIND.__getitem__)
# Most sequences start with a librarian who has a community, as real ones do.
_onboarded = st.sampled_from((True, True, True, False))
sequences = st.builds(lambda start, rest: ([Act("onboard", ALLOWED[0])] if start else []) + rest,
                      _onboarded, st.lists(acts, min_size=6, max_size=30))

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00"
       b"\x00\xfd\xd4\x9as\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9"
       b"\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
_ids = itertools.count(1)


class World:
    """The fake server plus what the acts need to remember (earlier updates, own messages)."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api
        self.inbox = Inbox(api)
        self.fed: list[dict[str, Any]] = []
        self.texts: dict[int, list[int]] = {}  # user -> message ids of their text messages

    def keyboards(self, user: int) -> list[dict[str, Any]]:
        return [m for m in self.api.bot_messages(user)
                if m.get("reply_markup", {}).get("inline_keyboard")]

    def realize(self, act: Act) -> list[dict[str, Any]]:
        """Perform the act on the fake server; return the updates the bot would receive."""
        if act.kind == "duplicate":
            return [self.fed[act.pick % len(self.fed)]] if self.fed else []
        if act.kind == "onboard":
            for text in ("/start", f"Community {act.user}", "taal en ontmoeting"):
                self.api.send_text(act.user, text)
        else:
            self._perform(act)
        updates = self.inbox.take()
        self.fed.extend(updates)
        return updates

    def _perform(self, act: Act) -> None:
        api, user, text = self.api, act.user, act.text
        mark = STRANGER_MARK if user in STRANGERS else ""
        if act.kind in ("text", "command"):
            sent = api.send_text(user, mark + text if mark and act.kind == "text" else text)
            self.texts.setdefault(user, []).append(sent["message_id"])
        elif act.kind in ("press", "press_stale"):
            boards = self.keyboards(user)
            if not boards:
                api.send_text(user, "/start")
                return
            board = boards[-1] if act.kind == "press" or len(boards) == 1 else boards[
                act.pick % (len(boards) - 1)]
            buttons = [b for row in board["reply_markup"]["inline_keyboard"] for b in row]
            data = buttons[act.pick % len(buttons)]["callback_data"]
            api.press(user, board["message_id"], data, check=False)
        elif act.kind == "press_forged":
            messages = api.bot_messages(user)
            if messages:
                api.press(user, messages[-1]["message_id"], text, check=False)
            else:
                api.send_update({"callback_query": self._query(user, text, with_message=True)})
        elif act.kind == "press_inline":
            api.send_update({"callback_query": self._query(user, text, with_message=False)})
        elif act.kind == "edit":
            own = self.texts.get(user)
            if own:
                api.edit_text(user, own[act.pick % len(own)], text or "bewerkt")
            else:
                api.send_text(user, text or "eerst iets")
        elif act.kind in ("group", "supergroup", "channel"):
            chat = {"group": GROUP, "supergroup": SUPERGROUP, "channel": CHANNEL}[act.kind]
            api.send_text(user, GROUP_MARK + text, chat_type=act.kind, chat_id=chat)
        elif act.kind == "group_sticker":
            api.send_sticker(user, chat_type="group", chat_id=GROUP)
        elif act.kind == "group_press":
            api.send_text(user, GROUP_MARK + "hallo", chat_type="group", chat_id=GROUP)
            self.inbox.take()  # the bot saw that one already in real life; skip it here
            api.send_update({"callback_query": self._query(user, "1.o:phases",
                                                           with_message=True, chat_id=GROUP)})
        else:
            self._media(act)

    def _media(self, act: Act) -> None:
        api, user = self.api, act.user
        if act.kind == "sticker":
            api.send_sticker(user)
        elif act.kind == "photo":
            api.send_photo(user, PNG, caption=(STRANGER_MARK if user in STRANGERS else "")
                           + "foto")
        elif act.kind == "voice":
            api.send_voice(user)
        elif act.kind == "document":
            api.send_document(user, b"%PDF-1.4 fake", file_name="verslag.pdf")
        elif act.kind == "location":
            api.send_location(user)
        elif act.kind == "contact":
            api.send_update({"message": self._message(user, {"contact": {
                "phone_number": "+31612345678", "first_name": "Sanne", "user_id": 77}})})
        elif act.kind == "poll":
            api.send_update({"message": self._message(user, {"poll": _poll()})})
        elif act.kind == "poll_update":
            api.send_update({"poll": _poll()})
        elif act.kind == "my_chat_member":
            api.send_update({"my_chat_member": {
                "chat": {"id": user, "type": "private", "first_name": "Anna"},
                "from": {"id": user, "is_bot": False, "first_name": "Anna"}, "date": 1,
                "old_chat_member": {"status": "member", "user": api.bot_user},
                "new_chat_member": {"status": "kicked", "user": api.bot_user,
                                    "until_date": 0}}})
        else:
            raise AssertionError(f"unknown act {act.kind}")

    def _message(self, user: int, content: dict[str, Any], chat_id: int | None = None,
                 ) -> dict[str, Any]:
        chat = ({"id": user, "type": "private", "first_name": "Anna"} if chat_id is None
                else {"id": chat_id, "type": "group", "title": "Testgroep"})
        return {"message_id": self.api.new_message_id(chat["id"]), "date": 1, "chat": chat,
                "from": {"id": user, "is_bot": False, "first_name": "Anna",
                         "language_code": "nl"}, **content}

    def _query(self, user: int, data: str, *, with_message: bool,
               chat_id: int | None = None) -> dict[str, Any]:
        query: dict[str, Any] = {"id": str(7_000_000 + next(_ids)), "chat_instance": "1",
                                 "from": {"id": user, "is_bot": False, "first_name": "Anna"},
                                 "data": data}
        if with_message:
            message = self._message(user, {"text": "oud bericht"}, chat_id)
            message["from"] = self.api.bot_user
            query["message"] = message
        else:
            query["inline_message_id"] = f"inline-{next(_ids)}"
        return query


def _poll() -> dict[str, Any]:
    return {"id": str(next(_ids)), "question": "Wanneer?", "options": [
        {"text": "ma", "voter_count": 0, "persistent_id": "a"},
        {"text": "di", "voter_count": 0, "persistent_id": "b"}],
        "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
        "allows_multiple_answers": False, "allows_revoting": False, "members_only": False}
