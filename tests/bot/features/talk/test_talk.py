"""Open conversations through the service, with a real database."""

from __future__ import annotations

import re

from bot.app.service import Incoming, Media
from storage.store import Store
from storage.talk import TalkRepo
from tests.chat import Chat


def start_talk(chat: Chat, person: str = "Fatima") -> None:
    chat.send(f"/gesprek {person}, voorzitter, Vrouwen van de Wijk, Buurthuis De Linde")


def test_whole_conversation_is_recorded_and_summarised(chat: Chat, store: Store) -> None:
    chat.onboard()
    start_talk(chat)
    notes = ["Ze organiseert elke week een taalcafé voor nieuwkomers",
             "Het taalcafé groeit; ze zoeken vrijwilligers",
             "Nieuwkomers willen vooral Nederlands oefenen",
             "Ze hebben een ruimte nodig op dinsdagavond",
             "actie: ruimte in de bieb navragen"]
    for text in notes[:2]:
        assert chat.send(text).ack
    chat.press("Volgende")
    chat.send(notes[2])
    chat.press("Ik vertelde ook")
    chat.press("Alle vragen")
    chat.press("5. Tegen welke")
    chat.send(notes[3])
    chat.send(notes[4])
    chat.press("Einde")
    chat.press("Ja")
    chat.send("Wij willen nieuwkomers bereiken, zij zoeken een plek")
    chat.press("Ja")
    chat.send("Ze kwamen zelf met ideeën")
    chat.send("Een vaste taalcafé-avond in de bibliotheek")
    summary = chat.text()
    assert "Gesprek met Fatima (voorzitter, Vrouwen van de Wijk)" in summary
    assert "Buurthuis De Linde" in summary and "5 notities" in summary
    assert "taalcafé" in summary.lower() and "nieuwkomers" in summary.lower()
    assert "ruimte in de bieb navragen" in summary
    repo = TalkRepo(store)
    conversation = repo.conversations(chat.last.user_id or 0, None) or repo.conversations(
        chat.last.user_id or 0, store.user(chat.last.user_id or 0).active_community)  # type: ignore[union-attr]
    row = conversation[0]
    assert row.status == "ended" and row.shared_own == 1 and row.summary in summary
    turns = repo.transcript(row.id)
    assert [t.text for t in turns if t.who == "librarian"] == notes
    assert {t.question for t in turns if t.who == "bot"} >= {"work", "goals", "problems"}


def test_ending_with_no_notes_is_allowed_and_said(chat: Chat) -> None:
    chat.onboard()
    start_talk(chat)
    chat.press("Einde")
    chat.press("Nee")
    chat.press("Overslaan")
    chat.press("Nee")
    chat.press("Overslaan")
    chat.press("Overslaan")
    assert "geen notities" in chat.text().lower()


def test_talk_while_another_is_open_offers_resume_or_wrap_up(chat: Chat) -> None:
    chat.onboard()
    start_talk(chat)
    chat.send("eerste notitie")
    chat.press("Volgende")
    chat.press("Volgende")
    chat.send("/annuleer")
    chat.send("/gesprek")
    assert "Je gesprek met Fatima staat nog open" in chat.text()
    chat.press("Verder")
    assert "Vraag 3/8" in chat.text()
    chat.send("/gesprek")
    chat.press("Afronden")
    assert "meerwaarde voor beide partijen" in chat.text()


def test_long_live_note_is_kept_whole(chat: Chat, store: Store) -> None:
    chat.onboard()
    start_talk(chat)
    text = ("Een lang verhaal over de buurt en de bibliotheek. " * 200)[:10_000]
    outcome = chat.send(text)
    assert outcome.ack
    turns = store.db.execute("SELECT text FROM transcript WHERE who = 'librarian'").fetchall()
    assert turns == [(text,)]


def test_photo_in_live_mode_is_kept_on_the_question(chat: Chat, store: Store) -> None:
    chat.onboard()
    start_talk(chat)
    outcome = chat._go(Incoming(kind="other", other="photo", message_id=77,
                                media=Media(kind="photo", file_id="PHOTO1", caption="flyer")))
    assert outcome.ack
    row = store.db.execute("SELECT question, kind, file_id, download, text FROM transcript"
                           " WHERE who = 'librarian'").fetchone()
    assert row == ("work", "photo", "PHOTO1", "pending", "flyer")


def test_voice_note_outside_a_dialog_is_a_field_note(chat: Chat, store: Store) -> None:
    chat.onboard()
    outcome = chat._go(Incoming(kind="other", other="voice",
                                media=Media(kind="voice", file_id="VOICE1")))
    assert "Bewaard als notitie" in chat.text()
    note = store.notes(outcome.user_id or 0)[-1]
    assert note.kind == "voice" and note.file_id == "VOICE1" and note.download == "pending"


def test_editing_a_note_in_telegram_updates_it(chat: Chat, store: Store) -> None:
    chat.onboard()
    chat._go(Incoming(kind="text", text="Sane zoekt vrijwiligers #vrijwilligers", message_id=50))
    outcome = chat._go(Incoming(kind="edit", text="Sanne zoekt vrijwilligers #vrijwilligers",
                                message_id=50))
    assert outcome.ack and not outcome.replies
    assert store.notes(outcome.user_id or 0)[-1].text.startswith("Sanne zoekt")
    chat._go(Incoming(kind="edit", text="iets anders", message_id=999))
    assert "alleen voor notities" in chat.text()


def test_editing_a_live_note_rebuilds_the_summary(chat: Chat, store: Store) -> None:
    chat.onboard()
    start_talk(chat)
    chat._go(Incoming(kind="text", text="Ze runt een moestuin", message_id=60))
    chat.press("Einde")
    for _ in range(2):
        chat.press("Ja")
        chat.press("Overslaan")
    chat.press("Overslaan")
    chat._go(Incoming(kind="edit", text="Ze runt een buurtmoestuin met twintig vrijwilligers",
                      message_id=60))
    summary = store.db.execute("SELECT summary FROM conversations").fetchone()[0]
    assert "twintig vrijwilligers" in summary


def test_search_finds_notes_with_their_source(chat: Chat) -> None:
    chat.onboard()
    chat.send("Mehmet van de moskee wil een Café-avond organiseren")
    outcome = chat.send("/zoek cafe avond")
    reply = outcome.replies[0]
    assert reply.html and "<b>Café</b>" in reply.text and "Taalcafé Noord" in reply.text
    assert "<i>Notitie · Taalcafé Noord" in reply.text


def test_search_without_results_only_stopwords_or_syntax(chat: Chat) -> None:
    chat.onboard()
    chat.send("Een notitie over de markt")
    chat.send("/zoek vliegtuig")
    assert "Niets gevonden voor ‘vliegtuig’" in chat.text()
    chat.send("/zoek de het een")
    assert "heel gewone woorden" in chat.text()
    chat.send("/zoek")
    assert "Waar zoek je naar?" in chat.text()
    chat.send("markt")
    assert "<b>markt</b>" in chat.text()
    for nasty in ['"', "*", "NEAR", "-markt", 'markt" OR (']:
        chat.send(f"/zoek {nasty}")
        assert chat.last.replies  # an answer, never an error


def test_summary_of_community_and_of_one_conversation(chat: Chat) -> None:
    chat.onboard()
    chat.send("notitie #ouders")
    start_talk(chat)
    chat.send("Ze helpt ouders met huiswerkbegeleiding")
    chat.press("Einde")
    for _ in range(2):
        chat.press("Ja")
        chat.press("Overslaan")
    chat.press("Overslaan")
    chat.send("/samenvatting")
    text = chat.text()
    assert "Taalcafé Noord" in text and "Fatima" in text and "ouders" in text
    chat.press("Fatima")
    assert "Gesprek met Fatima" in chat.text()


def test_notes_join_the_search_index_a_few_seconds_later(chat: Chat, store: Store) -> None:
    import asyncio

    from bot.telegram.app import build_application

    app = build_application("123:abc", "http://127.0.0.1:9/bot", "http://127.0.0.1:9/file/bot",
                            chat.service)
    assert app.background is not None and "search-index" in app.background.names
    [job] = [j for j in chat.service.jobs if j.name == "search-index"]
    chat.onboard()
    chat.send("Buurtmoestuin zoekt vrijwilligers voor de zomer")

    def waiting() -> int:
        return int(store.db.execute("SELECT count(*) FROM search_pending").fetchone()[0])

    assert waiting() == 1
    asyncio.run(job.run(None))
    assert waiting() == 0
    assert "vrijwilligers" in chat.send("/zoek vrijwilligers").replies[0].text


def hits(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"\d+\. ", line)]


def test_search_shows_one_line_per_hit_even_for_a_note_full_of_lines_and_bullets(
        chat: Chat) -> None:
    chat.onboard()
    chat.send("/gesprek Fatima")
    chat.send("Het taalcafé zit vol op dinsdag")
    chat.press("Volgende")
    chat.send("Het taalcafé wil ook kinderen opvangen\nen zoekt • vrijwilligers • met tijd")
    chat.press("Einde")
    for label in ("Ja", "Overslaan", "Ja", "Overslaan", "Overslaan"):
        chat.press(label)
    outcome = chat.send("/zoek taalcafé")
    [reply] = outcome.replies
    header, *rest = reply.text.split("\n\n")
    shown = hits(reply.text)
    assert header.startswith(f"🔎 {len(shown)} resultaten voor ‘taalcafé’")
    # The two notes, each once: the summary that repeats them is not searched.
    assert len(shown) == len(rest) == 2
    for number, block in enumerate(rest, 1):  # a hit is its line and where it is from
        first, where = block.split("\n")
        assert first.startswith(f"{number}. ") and "•" not in first
        assert where.strip().startswith("<i>Gesprek met Fatima, vraag ")


def test_one_search_result_is_counted_in_the_singular(chat: Chat) -> None:
    chat.onboard()
    chat.send("De moestuin zoekt een nieuwe plek")
    chat.send("/zoek moestuin")
    assert chat.text().startswith("🔎 1 resultaat voor ‘moestuin’. Tik op het nummer")
    assert len(hits(chat.text())) == 1


def test_typing_the_name_of_someone_met_before_is_a_follow_up_with_her(chat: Chat,
                                                                       store: Store) -> None:
    """Before: `/gesprek Fatima` after a talk with Fatima made a second Fatima ("Eerste
    gesprek met Fatima"), and pickers showed two Fatimas."""
    chat.onboard()
    chat.send("/gesprek Fatima Yilmaz, voorzitter")
    chat.send("Ze leidt het taalcafé")
    chat.press("Einde")
    for _ in range(2):
        chat.press("Ja")
        chat.press("Overslaan")
    chat.press("Overslaan")
    for typed in ("/gesprek fatima yilmaz", "/gesprek Fatima"):
        chat.send(typed)
        assert "Vervolggesprek met Fatima Yilmaz" in chat.text(), chat.text()
        chat.press("Einde")
        for _ in range(2):
            chat.press("Ja")
            chat.press("Overslaan")
        chat.press("Overslaan")
    assert store.db.execute("SELECT count(*) FROM people").fetchone() == (1,)
    chat.send("/gesprek Fatima Bakkal")  # someone else with that first name
    assert "Eerste gesprek met Fatima Bakkal" in chat.text()
