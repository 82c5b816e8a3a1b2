"""What a bot loses when it is killed mid-load (SIGKILL: a power cut, the OOM killer).

Each bot onboards its librarians (community, theme, an open conversation), then takes the
section-1 mix until a random moment, when it gets SIGKILL. What the librarians had been told
was kept (a "Genoteerd", a reaction, an edited checklist) is the promise. The bot is
restarted on the same files; once it has gone quiet (it may first answer updates Telegram
hands out again), every librarian sends `/gesprek`: a bot that still knows their dialog
answers that their conversation is open. Then a clean stop, and its store is read: notes
and conversation notes kept, checklist ticks as last shown. Answered twice: a librarian who
had their answer before the kill gets another after the restart without sending anything.
"""

from __future__ import annotations

import pickle
import random
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.fake import TimedFakeBotAPI
from bench.fullstack import _start, kind_of, librarian_ids
from bench.load import Action, Driver, Mode, Record, mix, onboarding, text

ANSWERS = ("sendMessage", "editMessageText", "setMessageReaction", "answerCallbackQuery")
NOTE_KINDS = ("field note", "live note")
ITEM_KEYS = {"Beleidsplan": "policy", "Organisatiedoelen": "goals"}


@dataclass(frozen=True)
class Kept:
    """What a bot's store holds for one librarian."""

    notes: int  # field notes plus conversation notes
    ticks: frozenset[str]


@dataclass
class LossRun:
    bot: str
    killed_after: float  # seconds into the load
    librarians: int
    promised_notes: int  # notes the bot had confirmed (plus in-flight ones it answered later)
    lost_notes: int
    doubled_notes: int  # stored more often than sent
    tick_items: int  # checklist items whose state the bot had shown
    lost_ticks: int  # items whose stored state differs from the last one shown
    lost_dialogs: int  # librarians whose open conversation the restarted bot did not know
    answered_twice: int  # librarians answered again after the restart with nothing new sent
    unanswered: int  # updates in flight at the kill that never got an answer


def _promised(records: list[Record]) -> tuple[Counter[int], dict[int, dict[str, bool]]]:
    notes: Counter[int] = Counter()
    ticks: dict[int, dict[str, bool]] = {}
    for r in records:
        if r.category in NOTE_KINDS:
            notes[r.user] += 1
        elif r.category == "checklist tap":
            key = next(k for label, k in ITEM_KEYS.items() if label in r.value)
            items = ticks.setdefault(r.user, {})
            items[key] = not items.get(key, False)
    return notes, ticks


def _kept_veldgids(db: Path, ids: list[int]) -> dict[int, Kept]:
    con = sqlite3.connect(db)
    try:
        out = {}
        for tid in ids:
            row = con.execute("SELECT id, active_community FROM users WHERE telegram_id = ?",
                              (tid,)).fetchone()
            user, community = row
            notes = con.execute("SELECT count(*) FROM notes WHERE user_id = ?",
                                (user,)).fetchone()[0]
            notes += con.execute("SELECT count(*) FROM transcript WHERE user_id = ? AND"
                                 " who = 'librarian' AND text != ''", (user,)).fetchone()[0]
            ticks = {item.removeprefix("p1.") for (item,) in con.execute(
                "SELECT item FROM checklist WHERE community_id = ?", (community,))}
            out[tid] = Kept(notes, frozenset(ticks & set(ITEM_KEYS.values())))
        return out
    finally:
        con.close()


def _kept_peer(path: Path, ids: list[int]) -> dict[int, Kept]:
    data = pickle.loads(path.read_bytes()) if path.exists() else {}
    users = data.get("user_data", {})
    return {tid: Kept(len(users.get(tid, {}).get("notes", []))
                      + len(users.get(tid, {}).get("transcript", [])),
                      frozenset(users.get(tid, {}).get("ticks", set()))) for tid in ids}


def _answering(api: TimedFakeBotAPI, start: int) -> Counter[int]:
    calls: Counter[int] = Counter()
    for call in api.calls[start:]:
        chat = call.params.get("chat_id")
        if call.method in ANSWERS and isinstance(chat, int):
            calls[chat] += 1
        elif call.method == "answerCallbackQuery":
            found = api.callback_query_chat(str(call.params.get("callback_query_id")))
            if isinstance(found, int):
                calls[found] += 1
    return calls


def _quiet(api: TimedFakeBotAPI, still: float = 2.0, limit: float = 30.0) -> None:
    """Until the bot made no call but polling for `still` seconds (at most `limit`)."""
    began = time.perf_counter()
    seen, since = len(api.calls), time.perf_counter()
    while time.perf_counter() - began < limit:
        time.sleep(0.05)
        now = len([c for c in api.calls if c.method != "getUpdates"])
        if now != seen:
            seen, since = now, time.perf_counter()
        elif time.perf_counter() - since >= still:
            return


def loss_run(label: str, mode: Mode, env: dict[str, str] | None, librarians: int,
             seed: int, window: tuple[float, float]) -> LossRun:
    ids = librarian_ids(librarians)
    kill_after = random.Random(seed).uniform(*window)
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp, \
            TimedFakeBotAPI() as api:
        workdir = Path(tmp)
        bot = _start(api, kind_of(mode), workdir, ids, env)
        Driver(api, mode).run({uid: onboarding(n) for n, uid in enumerate(ids)})
        driver = Driver(api, mode)
        began = time.perf_counter()
        result = driver.run({uid: mix(n, 1000) for n, uid in enumerate(ids)},
                            until=began + kill_after)
        bot.kill()
        driver.settle(result)
        in_flight = driver.in_flight
        mark = len(api.calls)
        bot = _start(api, kind_of(mode), workdir, ids, env)
        try:
            _quiet(api)
            probe: list[Action] = [text("/gesprek", "sendMessage", "staat nog open", "probe")]
            answered = _probe(api, mode, ids, probe)
            _quiet(api)
            # Counted once the probe is answered: a bot handles each librarian's updates in
            # order, so a late answer to the update in flight comes before the probe's (a
            # restart slowed by other work on the machine must not look like a loss).
            after = _answering(api, mark) - Counter(answered)
            recovered = [Record(a.category, 0, 0, 0, uid, a.value)
                         for uid, a in in_flight.items() if after[uid]]
            twice = sum(1 for uid in ids if uid not in in_flight and after[uid])
        finally:
            bot.stop()
        kept = (_kept_peer(workdir / "peer.pickle", ids) if mode == "peer"
                else _kept_veldgids(workdir / "veldgids.db", ids))
    notes, ticks = _promised(result.records + recovered)
    lost_notes = sum(max(0, notes[uid] - kept[uid].notes) for uid in ids)
    doubled = sum(max(0, kept[uid].notes - notes[uid]) for uid in ids)
    tick_items = sum(len(items) for items in ticks.values())
    lost_ticks = sum(1 for uid, items in ticks.items() for key, on in items.items()
                     if (key in kept[uid].ticks) != on)
    return LossRun(label, kill_after, librarians, sum(notes.values()), lost_notes, doubled,
                   tick_items, lost_ticks, librarians - len(answered), twice,
                   sum(1 for uid in in_flight if not after[uid]))


def _probe(api: TimedFakeBotAPI, mode: Mode, ids: list[int],
           probe: list[Action]) -> set[int]:
    """The librarians who get 'staat nog open' for /gesprek within a bounded wait."""
    mark = len(api.calls)
    for uid in ids:
        api.send_text(uid, probe[0].value, first_name="Bibliothecaris")
    deadline = time.perf_counter() + 15
    answered: set[int] = set()
    while time.perf_counter() < deadline and len(answered) < len(ids):
        for call in api.calls[mark:]:
            chat = call.params.get("chat_id")
            if call.method == "sendMessage" and "staat nog open" in str(
                    call.params.get("text") or ""):
                answered.add(chat)
        time.sleep(0.05)
    return answered & set(ids)
