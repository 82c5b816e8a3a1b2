"""The console front end: same dialogs and database, buttons as numbers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.app.registry import FEATURES, Service
from bot.console.chat import Console
from dialogs.catalog import Catalog
from storage.store import Store


def run_console(db: Path, catalog: Catalog, lines: list[str]) -> str:
    out: list[str] = []
    store = Store(db)
    feed = iter(lines)

    def read(_prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    Console(Service(store, catalog, features=FEATURES), "anna", "nl",
            write=out.append).loop(read)
    store.close()
    return "\n".join(out)


def test_walk_phases_tick_items_quit_and_find_progress_next_time(
        tmp_path: Path, catalog: Catalog) -> None:
    db = tmp_path / "c.db"
    first = run_console(db, catalog, ["Taalcafé Noord", "taal", "4", "1", "1", "2", "/quit"])
    assert "geen TELEGRAM_BOT_TOKEN" in first
    assert "[1] ✅ Beleidsplan doorgenomen" in first
    second = run_console(db, catalog, ["/fase"])
    assert "Welkom terug, anna" in second
    assert "1. Strategie in kaart · 2/5" in second


def test_numbers_only_pick_buttons_of_the_last_message(tmp_path: Path,
                                                      catalog: Catalog) -> None:
    out = run_console(tmp_path / "c.db", catalog, ["3"])
    # "3" at the community-name question is a name, not a button.
    assert "Rond welk thema draait 3?" in out


def test_make_run_without_token_starts_the_console(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(VELDGIDS_DB=str(tmp_path / "v.db"), VELDGIDS_DATA_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "bot.ops.cli"], input="Wijkcafé\n/quit\n",
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "starting the console chat" in proc.stdout
    assert "Rond welk thema draait Wijkcafé?" in proc.stdout


def test_the_console_shows_text_not_markup(tmp_path: Path, catalog: Catalog) -> None:
    out = run_console(tmp_path / "c.db", catalog, [
        "Taalcafé Noord", "taal", "Ze werkt 's avonds bij de kinderopvang <3",
        "/zoek kinderopvang"])
    found = out[out.index("🔎 1 resultaat"):]
    assert "Ze werkt 's avonds bij de kinderopvang <3" in found  # before: <b>…</b>, &#x27;
    assert "<b>" not in found and "<i>" not in found and "&#x27;" not in found


def numbered(out: str, screen: str) -> dict[str, int]:
    """The buttons under the last occurrence of `screen`: label -> number."""
    block = out[out.rindex(screen):].split("\n\n", 1)[0]
    return {m.group(2): int(m.group(1))
            for m in re.finditer(r"^  \[(\d+)\] (.+)$", block, re.M)}


def test_a_button_keeps_its_number_while_its_screen_is_redrawn(tmp_path: Path,
                                                               catalog: Catalog) -> None:
    lines = ["Taalcafé Noord", "taal", "actie: Fatima bellen", "actie: Sanne mailen",
             "/acties"]
    before = numbered(run_console(tmp_path / "a.db", catalog, lines), "📋 Acties")
    out = run_console(tmp_path / "b.db", catalog, [*lines, str(before["✅ 1. Fatima bellen"])])
    assert "Gedaan: ‘Fatima bellen’" in out
    after = numbered(out, "📋 Acties")
    # before: ➕ Actie moved from [7] to [4], so a 7 typed from memory did nothing or worse
    assert after["➕ Actie"] == before["➕ Actie"] and after["📅 Activiteit"] == before[
        "📅 Activiteit"]
    assert after["✅ 1. Sanne mailen"] == before["✅ 2. Sanne mailen"]  # her row too
    out = run_console(tmp_path / "c.db", catalog, [
        *lines, str(before["✅ 1. Fatima bellen"]), str(before["➕ Actie"])])
    assert "Wat moet er gebeuren?" in out[out.rindex("Gedaan"):]
    out = run_console(tmp_path / "d.db", catalog, [*lines, "1", "1"])
    assert "Knop 1 staat niet meer op dit scherm" in out  # not kept as a note "1"
    assert "Genoteerd" not in out[out.rindex("Gedaan"):]


def test_another_screen_in_the_same_message_is_numbered_afresh(tmp_path: Path,
                                                               catalog: Catalog) -> None:
    """Opening a checklist item edits the phase's message in Telegram; in the console it is
    another screen, so its buttons count from 1 again (before: [8] above [7])."""
    lines = ["Taalcafé Noord", "taal", "/fase", "2"]
    phase = numbered(run_console(tmp_path / "a.db", catalog, lines), "Fase 2 · Kies")
    item = str(phase["⬜ Getoetst aan de kapstok uit fase 1"])
    out = run_console(tmp_path / "b.db", catalog, [*lines, item])
    shown = numbered(out, "Beschrijf eerst je kapstok")
    assert "✍️ Kapstok bijwerken (fase 1)" in shown
    assert sorted(shown.values()) == list(range(1, len(shown) + 1)), shown


def test_a_typed_number_answers_a_question_that_takes_one(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    """Where the question takes typed text, its buttons read [#1] and a bare number is the
    answer: "2" at "Hoeveel van hen kwamen voor het eerst?" is two newcomers, not button 2
    ("Niemand"); "#3" still taps "Weet ik niet"."""
    out = run_console(tmp_path / "c.db", catalog, [
        "Taalcafé Noord", "taal", "/activiteit", "1", "taalcafé", "vandaag", "Eerste avond",
        "9", "2", "#1", "#1", "/hulp"])
    first = out[out.rindex("Hoeveel van hen kwamen voor het eerst?"):]
    assert "[#2] Niemand" in first.split("\n\n")[0]
    assert "Wie leidde het?" in first
    assert "✅ Vastgelegd: taalcafé op" in out and "met 9 deelnemers, van wie 2 voor het eerst" \
        in out and "geleid door de bibliotheek" in out
    assert "  [1] ➕ Activiteit vastleggen" in out  # a menu's buttons as before
    assert "staan de knoppen als [#1]: een los getal is dan je antwoord" in out  # /hulp says it
