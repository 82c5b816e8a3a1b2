"""Forgetting a person met (issue 13, point 12): from their entry, after one confirmation,
their record, the conversations' link to them and their name in notes, transcripts and
summaries are gone; exports, search and the database file find nothing of the name."""

from __future__ import annotations

import json
from pathlib import Path

from bot.features.export.files import render
from dialogs.catalog import Catalog
from search.terms import fts_query
from storage.export import snapshot
from storage.store import Store
from storage.talk import TalkRepo
from tests import figures
from tests.chat import Chat

NAME, FIRST, LAST = "Fatima Yilmaz", "Fatima", "Yilmaz"


def conversation_with(chat: Chat, person: str, notes: list[str]) -> None:
    chat.send("/gesprek")
    if "Iemand anders" in " ".join(chat.labels()):
        chat.press("Iemand anders")
    chat.send(f"{person}, voorzitter, Vrouwen van de Wijk, Buurthuis De Linde")
    for text in notes:
        chat.send(text)
    chat.press("Einde")
    chat.press("Ja")
    chat.send(f"{person.split()[0]} wil samen iets opzetten")
    chat.press("Ja")
    chat.send("Ze kwam zelf met ideeën")
    chat.send(f"Een vaste avond met {person.split()[0]} in de bibliotheek")


def open_entry(chat: Chat, name: str) -> None:
    chat.send("/community")
    chat.press("Mensen die je sprak")
    chat.press(name)


def everything_exported(store: Store, catalog: Catalog, user_id: int) -> str:
    data = snapshot(store, user_id, None)
    return "\n".join(render(data, catalog, fmt).decode("utf-8-sig", "replace")
                     for fmt in ("md", "csv", "json")) + json.dumps(data, ensure_ascii=False)


def found(store: Store, user_id: int, words: str) -> int:
    match = fts_query(words, "nl")
    assert match is not None
    return len(TalkRepo(store).search(user_id, match))


def test_forgetting_a_person_leaves_nothing_of_their_name(chat: Chat, store: Store,
                                                          catalog: Catalog,
                                                          db_path: Path) -> None:
    chat.onboard("Taalcafé Noord")
    conversation_with(chat, NAME, [f"{FIRST} organiseert het taalcafé",
                                   "yilmaz-achtige namen komen vaak voor"])
    conversation_with(chat, "Sanne de Vries", ["Sanne zoekt vrijwilligers"])
    chat.send(f"Notitie: {FIRST} belde over de ruimte op dinsdag")
    chat.send("Losse notitie zonder naam")
    user = store.user_by_telegram(1001)
    assert user is not None
    assert found(store, user.id, FIRST) >= 2 and FIRST in everything_exported(store, catalog,
                                                                               user.id)

    open_entry(chat, NAME)
    assert "👤 Fatima Yilmaz (voorzitter, Vrouwen van de Wijk)" in chat.text()
    assert "Gesprekken: 1." in chat.text()
    chat.press("Vergeet deze persoon")
    preview = chat.text()
    assert "• 1 gesprek blijft bewaard, maar niet meer met Fatima Yilmaz" in preview
    assert "1 notitie" in preview and "regels uit gesprekken" in preview
    assert "1 samenvatting" in preview and "[naam verwijderd]" in preview
    chat.press("Ja, vergeet")
    assert "Vergeten." in chat.text() and NAME not in chat.text()

    assert store.rows("SELECT name FROM people") == [{"name": "Sanne de Vries"}]
    talks = store.rows("SELECT person_id, summary FROM conversations ORDER BY id")
    assert talks[0]["person_id"] is None and talks[1]["person_id"] is not None
    notes = [n.text for n in store.notes(user.id)]
    assert "Notitie: [naam verwijderd] belde over de ruimte op dinsdag" in notes
    assert "Losse notitie zonder naam" in notes
    exported = everything_exported(store, catalog, user.id)
    assert FIRST not in exported and LAST not in exported and "Sanne" in exported
    assert "yilmaz-achtige" not in exported  # a whole word, whatever its case
    assert found(store, user.id, FIRST) == 0 and found(store, user.id, LAST) == 0
    assert found(store, user.id, "Sanne") >= 1
    store.checkpoint()
    raw = b"".join(p.read_bytes() for p in db_path.parent.iterdir()
                   if p.name.startswith(db_path.name))
    assert FIRST.encode() not in raw and FIRST.lower().encode() not in raw
    assert LAST.encode() not in raw and LAST.lower().encode() not in raw
    assert b"Sanne" in raw
    figures.record("hardening_forget_person", texts_rewritten=5, name_left=0)


def test_an_old_confirmation_or_another_librarians_person_changes_nothing(
        chat: Chat, store: Store) -> None:
    bram = Chat(chat.service, telegram_id=1002, name="Bram")
    bram.onboard("Moestuin")
    conversation_with(bram, NAME, [f"{FIRST} helpt in de moestuin"])
    chat.onboard("Taalcafé Noord")
    conversation_with(chat, NAME, [f"{FIRST} organiseert het taalcafé"])
    open_entry(chat, NAME)
    chat.press("Vergeet deze persoon")
    confirm = chat.button("Ja, vergeet").data
    chat.press("Nee, laat staan")
    assert "👤 Fatima Yilmaz" in chat.text()  # nothing happened
    assert len(store.rows("SELECT id FROM people")) == 2
    chat.press_data(confirm)  # the old button: outdated, shows where she is
    assert chat.last.notice and len(store.rows("SELECT id FROM people")) == 2
    chat.press("Vergeet deze persoon")
    chat.press("Ja, vergeet")
    assert len(store.rows("SELECT id FROM people")) == 1
    bram_user = store.user_by_telegram(1002)
    assert bram_user is not None
    assert any(FIRST in n.text for n in store.notes(bram_user.id)) or store.rows(
        "SELECT text FROM transcript WHERE user_id = ? AND text LIKE '%Fatima%'",
        (bram_user.id,))
    chat.press_data(confirm)  # again, after she is gone
    assert len(store.rows("SELECT id FROM people")) == 1


def test_a_name_with_pattern_characters_and_no_mentions(chat: Chat, store: Store) -> None:
    chat.onboard("Taalcafé Noord")
    conversation_with(chat, "A.B. (Ab) de Wit", ["Niets over de naam hier"])
    open_entry(chat, "A.B. (Ab)")
    chat.press("Vergeet deze persoon")
    assert "verdwijnt uit" not in chat.text() or "A.B." in chat.text()
    chat.press("Ja, vergeet")
    assert store.rows("SELECT id FROM people") == []
    texts = " ".join(r["text"] for r in store.rows("SELECT text FROM transcript"))
    assert "Niets over de naam hier" in texts and "A.B." not in texts
