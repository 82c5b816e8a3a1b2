"""The chaos driver: librarians working through the method while the bot is SIGKILLed.

Each librarian follows an endless script of small `Action`s (send a text, a command, press a
button by its label). Every action goes both to the real bot process (through the fake Bot
API server) and to a reference: the same service in-process, never killed. The oracle is
that reference: after every restart the killed bot's database must hold, per user, exactly
what the reference holds (dialog state and revision, notes, answers, ticks, communities),
the buttons it shows must carry the same data, and every note sent is stored exactly once.
New features add blocks to `BLOCKS` (and, if they store elsewhere, a line to `snapshot`):
conversations (live notes, reflection, summary) and SMART goals with logged progress are in.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.app.registry import FEATURES, Service
from bot.app.service import Defaults
from dialogs.catalog import Catalog
from dialogs.paging import PER_PAGE
from dialogs.replies import Reply
from storage.store import Store
from tests.chat import Chat
from tests.fakebotapi import FakeBotAPI

# The librarians of the reliability tests, admins from the settings so access lets them in.
USERS = (1001, 1002, 1003, 1004)
ENV = {"VELDGIDS_ADMINS": ",".join(str(u) for u in USERS)}


def onboard(api: FakeBotAPI, user: int, community: str) -> dict[str, Any]:
    """/start, a community name and a theme; returns the menu message."""
    api.send_text(user, "/start")
    api.wait_for_message(user, "Met welke community werk je?")
    api.send_text(user, community)
    api.wait_for_message(user, f"Rond welk thema draait {community}?")
    api.send_text(user, "lezen en ontmoeting")
    return api.wait_for_message(user, f"Je werkt nu met {community}")


@dataclass(frozen=True)
class Action:
    kind: Literal["text", "command", "press"]
    value: str  # the text, the command line, or (part of) the button's label
    note: str | None = None  # this note text must end up stored exactly once


def text(value: str) -> Action:
    return Action("text", value)


def note(value: str) -> Action:
    return Action("text", value, note=value)


def command(value: str) -> Action:
    return Action("command", value)


def press(label: str) -> Action:
    return Action("press", label)


Block = Callable[[int, int, random.Random], list[Action]]
WORDS = ("buurthuis", "leesclub", "Sanne", "koffie", "taalmaatje", "bibliotheek", "wijkagent",
         "moestuin", "ouders", "jongeren", "🙂", "שלום", "café", "e\u0301", "#idee", "#vervolg")


def _note_text(user: int, n: int, rng: random.Random) -> str:
    return f"notitie {user}.{n}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))


def notes(user: int, n: int, rng: random.Random) -> list[Action]:
    """Outside any dialog, plain text is a field note."""
    return [command("/annuleer")] + [note(_note_text(user, n * 10 + i, rng))
                                     for i in range(rng.randint(2, 5))]


def note_command(user: int, n: int, rng: random.Random) -> list[Action]:
    body = _note_text(user, n * 10, rng)
    return [Action("command", f"/notitie {body}", note=body)]


def phase1_ticks(user: int, n: int, rng: random.Random) -> list[Action]:
    """Ticking toggles, so this runs once per librarian (in their first cycle)."""
    return [command("/fase"), press("1. Strategie"), press("Beleidsplan"),
            press("Organisatiedoelen"), press("Helder waar"), press("Weet welke")]


def phase1_frame(user: int, n: int, rng: random.Random) -> list[Action]:
    frame = f"kapstok {user}.{n}: leesplezier, meedoen en ontmoeting in de wijk"
    extra = _note_text(user, n * 10 + 9, rng)
    # Text typed on a checklist is a note, too.
    return [command("/fase"), press("1. Strategie"), press("Kapstok"), text(frame), note(extra)]


def phase3(user: int, n: int, rng: random.Random) -> list[Action]:
    return [command("/fase"), press("3. Definieer"), press("Alles doorlopen"),
            text(f"Sanne {n} van het buurthuis"),
            press(rng.choice(("Regio", "Identiteit", "Affiniteit"))),
            text(f"ouders met jonge kinderen, ronde {n}"),
            press(str(rng.randint(1, 5))), press(str(rng.randint(1, 5)))]


def new_community(user: int, n: int, rng: random.Random) -> list[Action]:
    """A second community, a note on it, and back (phase 3 needs phase 1 of the first)."""
    return [command("/community"), press("Nieuwe community"), text(f"Community {user}-{n}"),
            text(rng.choice(("taal", "groen", "ondernemen"))),
            *note_command(user, n, rng), *switch_back(user, n, rng)]


def switch_back(user: int, n: int, rng: random.Random) -> list[Action]:
    return [command("/community"), press("Wisselen"), press(f"Chaos {user}")]


def conversation(user: int, n: int, rng: random.Random) -> list[Action]:
    """An open conversation with someone new, from the first question to the reflection
    (once per librarian: after it, /gesprek first asks who among the people met)."""
    return [command("/gesprek"),
            text(f"Gesprekspartner {user}, voorzitter, Vrouwen van de Wijk, Buurthuis {n}"),
            text(f"ze organiseert een taalcafé, ronde {n}"), press("Volgende"),
            text("actie: ruimte in de bieb navragen"), press("Einde"), press("Ja"),
            text("samen bereiken we nieuwkomers"), press("Nee"), text("ze zoeken nog een plek"),
            text("een vaste avond in de bibliotheek")]


def goal(user: int, n: int, rng: random.Random) -> list[Action]:
    """A SMART goal through the whole builder, then a new value logged for it."""
    specific = f"taalcafé {user}-{n} organiseren voor nieuwkomers"
    return [command("/doelen"), press("Nieuw SMART-doel"), text(specific),
            text("aantal deelnemers per week"), text(str(rng.randint(0, 4))),
            text(str(rng.randint(10, 20))), text("vrijwilligers van de taalschool"),
            text("nieuwkomers voelen zich thuis in de bieb"), text("over 6 maanden"),
            press("Opslaan"), press("Nieuwe stand"), press(f"taalcafé {user}-{n}"),
            text(str(rng.randint(5, 9))), press("Zonder notitie")]


FIRST: tuple[Block, ...] = (notes, phase1_ticks, phase1_frame, phase3, conversation, goal)
BLOCKS: tuple[Block, ...] = (notes, notes, note_command, phase1_frame, phase3, new_community,
                             switch_back, goal)


def log_progress(user: int, made: int, rng: random.Random) -> list[Action]:
    """A new value for the goal block `made` created earlier, from /doelen."""
    return [command("/doelen"), press("Nieuwe stand"), press(f"taalcafé {user}-{made}"),
            text(str(rng.randint(5, 9))), press("Zonder notitie")]


def script(user: int, rng: random.Random) -> Iterator[Action]:
    """Onboarding, one walk through phases 1 and 3, then random blocks for ever. Once a
    librarian has a page of goals (PER_PAGE), a goal block logs progress on the first one
    instead: a new goal would land on the picker's next page, out of the script's sight."""
    yield from (command("/start"), text(f"Chaos {user}"), text("lezen en ontmoeting"))
    goals: list[int] = []
    n = 0
    for block in FIRST:
        n += 1
        goals += [n] if block is goal else []
        yield from block(user, n, rng)
    while True:
        n += 1
        block = rng.choice(BLOCKS)
        if block is goal and len(goals) >= PER_PAGE:
            yield from log_progress(user, goals[0], rng)
            continue
        goals += [n] if block is goal else []
        yield from block(user, n, rng)


Keyboards = list[tuple[int, list[tuple[str, str]]]]  # (message id, [(label, data)]), oldest first


@dataclass(frozen=True)
class Pick:
    message_id: int
    label: str
    data: str

    @property
    def shown(self) -> tuple[str, str]:
        """What must match between the killed bot and the reference: the label and the data,
        except a row id in it (`d:<community id>`), which depends on who came first."""
        head, _, code = self.data.partition(".")
        return self.label, head + "." + (code.split(":")[0] if code.startswith("d:") else code)


def pick_button(keyboards: Keyboards, label: str) -> Pick | None:
    """The button labelled `label` (else containing it) on the newest keyboard with one."""
    for message_id, buttons in reversed(keyboards):
        for match in (lambda b: b == label, lambda b: label in b):
            found = next(((text, data) for text, data in buttons if match(text)), None)
            if found is not None:
                return Pick(message_id, *found)
    return None


class Reference:
    """The same librarians on an in-process service that is never killed."""

    def __init__(self, db: Path, catalog: Catalog, users: tuple[int, ...]) -> None:
        self.store = Store(db)
        self.service = Service(self.store, catalog, Defaults(admins=users), features=FEATURES)
        self.chats = {u: Chat(self.service, telegram_id=u, name="Anna", language_code="nl")
                      for u in users}

    def keyboards(self, user: int) -> Keyboards:
        return [(0, [(b.label, b.data) for row in r.buttons for b in row])
                for r in self.chats[user].replies if r.buttons]

    def apply(self, user: int, action: Action) -> Pick | None:
        """Do the action; return the pressed button (None for text and commands)."""
        chat = self.chats[user]
        if action.kind == "press":
            found = pick_button(self.keyboards(user), action.value)
            assert found is not None, f"reference: no button {action.value!r} for {user}"
            chat.press_data(found.data)
            return found
        chat.send(action.value)
        return None

    def current(self, user: int) -> Reply | None:
        found = self.store.user_by_telegram(user)
        return self.service.current(found) if found else None

    def last_text(self, user: int) -> str:
        replies = self.chats[user].last.replies
        return replies[-1].text if replies else ""

    def close(self) -> None:
        self.store.close()


def keyboards(api: FakeBotAPI, user: int) -> Keyboards:
    out = []
    for message in api.bot_messages(user):
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        buttons = [(b["text"], b["callback_data"]) for row in rows for b in row
                   if "callback_data" in b]
        if buttons:
            out.append((message["message_id"], buttons))
    return out


def connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)


def snapshot(db: Path, telegram_id: int) -> dict[str, Any]:
    """What a librarian would miss if it were wrong, compared by content, not by row ids."""
    con = connect(db)
    try:
        row = con.execute("SELECT id, language, active_community FROM users"
                          " WHERE telegram_id = ?", (telegram_id,)).fetchone()
        if row is None:
            return {}
        uid, language, active = row
        names = dict(con.execute("SELECT id, name FROM communities WHERE user_id = ?", (uid,)))
        state = con.execute("SELECT dialog, step, data, rev FROM dialog_state WHERE user_id = ?",
                            (uid,)).fetchone()
        return {
            "language": language,
            "active": names.get(active),
            "communities": sorted(con.execute(
                "SELECT name, coalesce(theme, '') FROM communities WHERE user_id = ?", (uid,))),
            "state": state,
            "notes": [(t, names.get(c)) for t, c in con.execute(
                "SELECT text, community_id FROM notes WHERE user_id = ? ORDER BY id", (uid,))],
            "answers": sorted((names[c], k, v) for c, k, v in con.execute(
                "SELECT community_id, key, value FROM answers WHERE community_id IN"
                " (SELECT id FROM communities WHERE user_id = ?)", (uid,))),
            "ticks": sorted((names[c], i) for c, i in con.execute(
                "SELECT community_id, item FROM checklist WHERE community_id IN"
                " (SELECT id FROM communities WHERE user_id = ?)", (uid,))),
            "conversations": con.execute(
                "SELECT p.name, c.place, c.status, c.reflection, c.summary IS NOT NULL"
                " FROM conversations c LEFT JOIN people p ON p.id = c.person_id"
                " WHERE c.user_id = ? ORDER BY c.id", (uid,)).fetchall(),
            "transcript": con.execute(
                "SELECT who, question, kind, text FROM transcript WHERE user_id = ?"
                " ORDER BY id", (uid,)).fetchall(),
            "goals": con.execute(
                "SELECT specific, metric, baseline, target, achievable, relevant, deadline,"
                " status FROM goals WHERE user_id = ? ORDER BY id", (uid,)).fetchall(),
            "progress": con.execute(
                "SELECT g.specific, p.value, p.note FROM goal_progress p JOIN goals g"
                " ON g.id = p.goal_id WHERE g.user_id = ? ORDER BY p.id", (uid,)).fetchall(),
        }
    finally:
        con.close()


def counts(db: Path) -> dict[str, int]:
    con = connect(db)
    try:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("processed_updates", "inbox", "undelivered", "failed_updates")}
    except sqlite3.OperationalError:  # not created yet: the first start was killed early
        return {}
    finally:
        con.close()


@dataclass
class Tally:
    kills: int = 0
    startup_kills: int = 0
    restarts: int = 0
    rounds: int = 0
    sent_while_down: int = 0
    redelivered: int = 0
    notes: list[tuple[int, str]] = field(default_factory=list)


def settle(api: FakeBotAPI, db: Path, sent: int, alive: Callable[[], bool],
           timeout: float = 30) -> None:
    """Wait until every update was confirmed and handled and every reply delivered."""
    deadline = time.monotonic() + timeout
    seen: dict[str, int] = {}
    while time.monotonic() < deadline:
        assert alive(), "the bot died by itself"
        seen = counts(db)
        if (api.pending_updates() == 0 and seen.get("processed_updates") == sent
                and seen.get("inbox") == 0 and seen.get("undelivered") == 0):
            return
        time.sleep(0.02)
    raise AssertionError(f"not settled after {timeout}s: sent {sent}, db {seen}, pending "
                         f"{api.pending_updates()}\n{api.dump()}")
