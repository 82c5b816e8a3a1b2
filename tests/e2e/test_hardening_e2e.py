"""No fault takes the bot down (issue 13): the real `veldgids run` against the fake Bot API.

Another process holding the database's write lock, a full disk, Bot API answers that are not
JSON, a damaged page, and a Word export of 5,000 notes while another librarian writes.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.store import Store
from tests import figures
from tests.e2e.chaos import ENV, onboard
from tests.e2e.harness import ROOT, TOKEN, BotProcess, press
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA, BEN = 1001, 1002
LOCKED = "the database is locked by another process"
FULL = "the disk is full"
SECRET = "GEHEIM-4b1e: Sanne belt dinsdag over de subsidie"


def notes(tmp_path: Path, user: int) -> list[str]:
    db = sqlite3.connect(tmp_path / "veldgids.db", timeout=30)
    try:
        return [t for (t,) in db.execute(
            "SELECT n.text FROM notes n JOIN users u ON u.id = n.user_id"
            " WHERE u.telegram_id = ? ORDER BY n.id", (user,))]
    finally:
        db.close()


def hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    """Another process's writer holding BEGIN EXCLUSIVE (and a write) for `seconds`."""
    started = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(db, isolation_level=None, timeout=30)
        other.execute("BEGIN EXCLUSIVE")
        other.execute("INSERT INTO stranger_counts (day, count) VALUES ('1999-01-01', 1)"
                      " ON CONFLICT (day) DO UPDATE SET count = count + 1")
        started.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert started.wait(10)
    return thread


def writing_script(db: Path, seconds: float) -> threading.Thread:
    """A script writing through `Store`, as the README allows, many small transactions."""
    def run() -> None:
        store = Store(db)
        try:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                with store.atomic():
                    store.db.execute("INSERT INTO stranger_counts (day, count) VALUES"
                                     " ('1999-01-02', 1) ON CONFLICT (day) DO UPDATE SET"
                                     " count = count + 1")
        finally:
            store.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_another_writer_never_stops_the_bot(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot = bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé")
    db = tmp_path / "veldgids.db"
    sent = []
    for episode in range(2):
        holder = hold_write_lock(db, 3.5)
        for n in range(3):
            sent.append(f"notitie {episode}.{n} terwijl een ander schrijft")
            api.send_text(ANNA, sent[-1])
        holder.join()
        bot.wait_for_log(LOCKED, more=1, since=episode, timeout=30)
        api.wait_for(lambda: len(notes(tmp_path, ANNA)) == len(sent), timeout=30,
                      what="every note stored once the lock is gone")
    script = writing_script(db, 3.0)
    for n in range(5):
        sent.append(f"notitie {n} naast een script")
        api.send_text(ANNA, sent[-1])
    script.join()
    api.wait_for(lambda: len(notes(tmp_path, ANNA)) == len(sent), timeout=30,
                 what="the notes written next to the script")
    api.wait_for(lambda: sum("Genoteerd bij Taalcafé" in (m.get("text") or "")
                             for m in api.bot_messages(ANNA)) == len(sent), timeout=30,
                 what="a reply to every note")
    assert notes(tmp_path, ANNA) == sent  # each once, in order
    assert bot.proc is not None and bot.proc.poll() is None
    output = bot.output()
    assert bot.log_count(LOCKED) == 2  # one warning per episode
    assert "Traceback" not in output and " ERROR " not in output
    assert bot.terminate() == 0
    figures.record("hardening_locked", episodes=2, notes=len(sent), lost=0)


def test_a_full_disk_is_waited_out_and_said_once(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.write_text("room", encoding="utf-8")
    shim = ROOT / "tests" / "e2e" / "diskfull"
    bot = bot_factory({**ENV, "VELDGIDS_ADMINS": "1001,1002,1003",
                       "VELDGIDS_TEST_DISK_FILE": str(disk), "PYTHONPATH": str(shim)}).start()
    onboard(api, ANNA, "Taalcafé")
    onboard(api, BEN, "Moestuin")
    api.add_private_chat(1003, first_name="Carla")  # an admin who writes nothing now
    disk.write_text("full", encoding="utf-8")
    sent: dict[int, list[str]] = {ANNA: [], BEN: []}
    notice = "Ik kan je bericht nu niet bewaren"
    for n in range(3):
        sent[ANNA].append(f"notitie {n} terwijl de schijf vol is")
        api.send_text(ANNA, sent[ANNA][-1])
    api.wait_for_message(ANNA, notice)
    sent[BEN].append("Ben schrijft terwijl de schijf vol is")
    api.send_text(BEN, sent[BEN][-1])
    api.wait_for_message(BEN, notice)
    polls = len(api.calls_to("getUpdates"))
    api.wait_for(lambda: len(api.calls_to("getUpdates")) >= polls + 3, timeout=40,
                 what="three more polls offering the same updates")
    for user in (ANNA, BEN, 1003):
        texts = [m.get("text") or "" for m in api.bot_messages(user)]
        assert sum(notice in t for t in texts) == (0 if user == 1003 else 1), user
        assert sum("schijf van de server is vol" in t for t in texts) == 1, user
    assert bot.proc is not None and bot.proc.poll() is None

    disk.write_text("room", encoding="utf-8")
    api.wait_for(lambda: notes(tmp_path, ANNA) == sent[ANNA] and notes(tmp_path, BEN)
                 == sent[BEN], timeout=60, what="everything stored once space returned")
    api.wait_for(lambda: all(sum("Er is weer ruimte" in (m.get("text") or "")
                                 for m in api.bot_messages(u)) == 1 for u in (ANNA, BEN, 1003)),
                 timeout=20, what="the admins told")
    assert bot.log_count(FULL) == 1 and bot.log_count("can be written again") == 1
    output = bot.output()
    assert "Traceback" not in output and " ERROR " not in output
    assert bot.terminate() == 0
    figures.record("hardening_disk_full", notes=len(sent[ANNA]) + len(sent[BEN]), lost=0,
                   notices=2)


def test_answers_that_are_not_json_are_waited_out_and_never_logged(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot = bot_factory({**ENV, "VELDGIDS_LOG_LEVEL": "DEBUG"}).start()
    onboard(api, ANNA, "Taalcafé")
    truncated = ('{"ok":true,"result":[{"update_id":77,"message":{"message_id":9,'
                 f'"text":"{SECRET}').encode()
    api.inject_body("getUpdates", truncated)
    api.inject_body("getUpdates", b"<html><body>502 Bad Gateway " + SECRET.encode() + b"</body>")
    api.send_text(ANNA, SECRET)
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé", timeout=30)
    api.inject_body("sendMessage", b'{"ok":true,"result":{"text":"' + SECRET.encode())
    api.send_text(ANNA, "tweede notitie, het antwoord komt verminkt terug")
    api.wait_for(lambda: len(notes(tmp_path, ANNA)) == 2, what="the second note")
    api.send_text(ANNA, "derde notitie")
    api.wait_for_message(ANNA, "Mijn vorige antwoord is misschien niet", timeout=30)
    assert notes(tmp_path, ANNA)[0] == SECRET and len(notes(tmp_path, ANNA)) == 3
    assert bot.proc is not None and bot.proc.poll() is None
    output = bot.output()
    assert "getUpdates failed (TelegramError)" in output  # waited out, twice
    assert "not JSON" in output
    assert "GEHEIM" not in output and "Sanne" not in output  # at DEBUG, too
    assert "Traceback" not in output and " ERROR " not in output and TOKEN not in output
    assert bot.terminate() == 0
    figures.record("hardening_not_json", bodies=3, bodies_logged=0, notes=3, lost=0)


def test_a_damaged_database_is_refused_at_start_in_one_line(api: FakeBotAPI,
                                                           tmp_path: Path) -> None:
    db = tmp_path / "veldgids.db"
    store = Store(db)
    user = store.create_user(name="A", language="nl", timezone="UTC", telegram_id=ANNA)
    with store.atomic():
        for n in range(400):
            store.add_note(user.id, None, f"notitie {n} " + "x" * 200, [])
    pages = [r["pageno"] for r in store.rows(
        "SELECT pageno FROM dbstat WHERE name = 'notes' AND pagetype = 'leaf'")]
    store.checkpoint()
    store.close()
    with open(db, "r+b") as handle:
        handle.seek((pages[len(pages) // 2] - 1) * 4096 + 8)
        handle.write(b"\xff\x00" * 600)
    env = BotProcess(api, tmp_path, ENV).env()
    proc = subprocess.run([sys.executable, "-m", "bot.ops.cli", "run"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("veldgids: error: the database") and "damaged" in line
    assert "restore the latest backup" in line and "Traceback" not in proc.stderr
    assert api.calls_to("getUpdates") == []  # it never started answering "try again"
    figures.record("hardening_damaged_page", refused=1)


def test_another_librarian_is_answered_while_a_big_export_renders(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot = bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé")
    onboard(api, BEN, "Moestuin")
    db = sqlite3.connect(tmp_path / "veldgids.db", timeout=30)
    with db:
        uid, cid = db.execute("SELECT u.id, u.active_community FROM users u"
                              " WHERE u.telegram_id = ?", (ANNA,)).fetchone()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        db.executemany("INSERT INTO notes (user_id, community_id, text, tags, created_at)"
                       " VALUES (?, ?, ?, '', ?)",
                       [(uid, cid, f"notitie {n}: " + "de buurt en de bieb " * 12, now)
                        for n in range(5000)])
    db.close()
    api.send_text(ANNA, "/export")
    api.wait_for_message(ANNA, "Wat wil je exporteren")
    press(api, ANNA, "Alles")
    api.wait_for_message(ANNA, "In welk formaat")
    press(api, ANNA, "Word")
    api.wait_for(lambda: any(c.get("action") == "upload_document"
                             for c in api.calls_to("sendChatAction")), timeout=30,
                 what="the export to start rendering")
    api.send_text(BEN, "Ben noteert iets terwijl Anna exporteert")
    api.wait_for_message(BEN, "Genoteerd bij Moestuin", timeout=30)
    api.wait_for_call("sendDocument", timeout=60)
    calls = api.calls
    started = next(i for i, c in enumerate(calls) if c.method == "sendChatAction")
    ben = next(i for i, c in enumerate(calls) if c.method == "sendMessage"
               and c.params.get("chat_id") == BEN and i > started)
    anna = next(i for i, c in enumerate(calls) if c.params.get("chat_id") == ANNA
                and c.method in ("sendMessage", "sendDocument") and i > started)
    # Ben was answered while the export was still being made: before its first message.
    assert ben < anna, [(c.method, c.params.get("chat_id")) for c in calls[started:]]
    assert api.uploads[-1]["file_name"].endswith(".docx")
    figures.record("hardening_export_off_loop", notes=5000, answered_before_export=1)
    assert bot.terminate() == 0
