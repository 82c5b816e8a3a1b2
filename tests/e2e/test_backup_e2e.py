"""`veldgids backup` from another shell while `veldgids run` works (the README: "safe while
the bot runs"): Word exports before, during and after it, made by the heavy-work process."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest

from tests.e2e.chaos import ENV, onboard
from tests.e2e.harness import ROOT, BotProcess, press
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA = 1001


def backup(bot: BotProcess, target: Path) -> None:
    """`veldgids backup TARGET` with the bot's settings, in a process of its own."""
    done = subprocess.run([sys.executable, "-m", "bot.ops.cli", "backup", str(target)],
                          env=bot.env(), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def export_word(api: FakeBotAPI) -> dict[str, Any]:
    """/export → Taalcafé Noord → with the appendix → Word, and the file that arrives."""
    before = len(api.uploads)
    mark = max((m["message_id"] for m in api.bot_messages(ANNA)), default=0)
    api.send_text(ANNA, "/export")
    # newer_than: the choices of an earlier export stay in the chat with the same buttons
    api.wait_for_message(ANNA, "Wat wil je exporteren", newer_than=mark)
    press(api, ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "In welk formaat", newer_than=mark)
    press(api, ANNA, "Bijlage erbij")  # the notes themselves are in the appendix
    api.wait_for_message(ANNA, "Bijlage met gesprekken en alle notities: ja", newer_than=mark)
    press(api, ANNA, "Word")
    return api.wait_for(lambda: api.uploads[before] if len(api.uploads) > before else None,
                        timeout=60, what="the Word export")


def words(upload: dict[str, Any]) -> str:
    document = python_docx.Document(io.BytesIO(upload["content"]))
    return "\n".join(p.text for p in document.paragraphs)


def notes(db: Path) -> list[str]:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return [t for (t,) in conn.execute("SELECT text FROM notes ORDER BY id")]
    finally:
        conn.close()


def note(api: FakeBotAPI, text: str) -> None:
    before = len(api.bot_messages(ANNA))
    api.send_text(ANNA, text)
    api.wait_for(lambda: any("Genoteerd bij Taalcafé Noord" in (m.get("text") or "")
                             for m in api.bot_messages(ANNA)[before:]), what="the note kept")


def test_exports_after_a_backup_hold_what_was_noted_since(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot = bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé Noord")
    note(api, "Fatima helpt op dinsdag mee")
    assert "Fatima helpt op dinsdag mee" in words(export_word(api))
    backup(bot, tmp_path / "copy.db")
    note(api, "Ahmed komt volgende week kijken")
    second = words(export_word(api))
    assert "Fatima helpt op dinsdag mee" in second and "Ahmed komt volgende week kijken" in second
    assert "Ahmed komt volgende week kijken" in words(export_word(api))
    assert bot.terminate() == 0
    assert notes(tmp_path / "veldgids.db") == ["Fatima helpt op dinsdag mee",
                                               "Ahmed komt volgende week kijken"]
    assert notes(tmp_path / "copy.db") == ["Fatima helpt op dinsdag mee"]
    assert "Traceback" not in bot.output()


def test_a_backup_while_a_big_export_renders_is_safe_for_both(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot = bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé Noord")
    db = sqlite3.connect(tmp_path / "veldgids.db", timeout=30)
    with db:
        uid, cid = db.execute("SELECT id, active_community FROM users WHERE telegram_id = ?",
                              (ANNA,)).fetchone()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        db.executemany("INSERT INTO notes (user_id, community_id, text, tags, created_at)"
                       " VALUES (?, ?, ?, '', ?)",
                       [(uid, cid, f"notitie {n}: de buurt en de bieb", now)
                        for n in range(3000)])
    db.close()
    api.send_text(ANNA, "/export")
    api.wait_for_message(ANNA, "Wat wil je exporteren")
    press(api, ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "In welk formaat")
    press(api, ANNA, "Bijlage erbij")  # the notes themselves are in the appendix
    api.wait_for_message(ANNA, "Bijlage met gesprekken en alle notities: ja")
    press(api, ANNA, "Word")
    api.wait_for(lambda: any(c.get("action") == "upload_document"
                             for c in api.calls_to("sendChatAction")), timeout=30,
                 what="the export to start")
    backup(bot, tmp_path / "copy.db")  # while the heavy-work process reads and renders
    big = api.wait_for(lambda: api.uploads[0] if api.uploads else None, timeout=90,
                       what="the big Word export")
    assert "notitie 2999: de buurt en de bieb" in words(big)
    note(api, "Ahmed komt volgende week kijken")
    assert "Ahmed komt volgende week kijken" in words(export_word(api))
    assert bot.terminate() == 0
    assert len(notes(tmp_path / "copy.db")) == 3000
    assert notes(tmp_path / "veldgids.db")[-1] == "Ahmed komt volgende week kijken"
    assert "Traceback" not in bot.output()
