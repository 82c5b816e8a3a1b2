"""Who said what stays apart, and a conversation's summary says what was learned: her own
notes (🙋, "ik:") are hers, a note moves to another question or gets a ⭐ from the summary,
and the summary lists every action as it is now (through the service, real database)."""

from __future__ import annotations

from bot.app.service import Incoming
from storage.actions import ActionRepo
from storage.store import Store
from storage.talk import TalkRepo, TranscriptTurn
from tests.bot.features.talk.test_conversation import wrap_up
from tests.chat import Chat


def start(chat: Chat, person: str = "Ahmed") -> None:
    chat.onboard()
    chat.send(f"/gesprek {person}")


def conversation_turns(chat: Chat, store: Store) -> list[TranscriptTurn]:
    repo = TalkRepo(store)
    user = chat.service.user(chat.who)
    [conversation] = repo.conversations(user.id, user.active_community)
    return [t for t in repo.transcript(conversation.id) if t.who in ("librarian", "own")]


def outcome_notice(outcome: object) -> str | None:
    return getattr(outcome, "notice", None)


def summary_block(text: str, start: str) -> str:
    """The paragraph of the summary that begins with `start`."""
    return next(block for block in text.split("\n\n") if block.startswith(start))


def test_the_hand_makes_the_next_note_hers_and_never_the_persons(chat: Chat,
                                                                  store: Store) -> None:
    start(chat)
    chat.press("Alle vragen")
    chat.press("5. Tegen welke")
    chat.send("Hij zoekt een plek om Nederlands te oefenen")
    shown = chat.press("Ik vertelde ook").replies[0].text
    assert "Je volgende notitie bewaar ik als iets wat jij zelf vertelde" in shown
    assert "niet als wat Ahmed zei" in shown and "Tik nog eens op 🙋" in shown
    chat.send("Ik woonde zelf in Spanje en miste daar een plek om te praten")
    chat.send("Hij wil graag vrijwilligerswerk doen")
    wrap_up(chat)
    summary = chat.text()
    problems = next(line for line in summary.splitlines() if line.startswith("• Tegen welke"))
    assert "plek om Nederlands te oefenen" in problems and "Spanje" not in problems
    assert ("🙋 Zelf verteld:\n• Ik woonde zelf in Spanje en miste daar een plek"
            " om te praten. (vraag 5)") in summary
    assert "spanje" not in summary_block(summary, "Kern").lower()
    assert "Iets van jezelf gedeeld" in summary or "vertelde ook zelf" in summary
    turns = conversation_turns(chat, store)
    assert [(t.who, t.question) for t in turns] == [
        ("librarian", "problems"), ("own", "problems"), ("librarian", "problems")]


def test_ik_colon_is_hers_and_alone_it_is_the_hand(chat: Chat, store: Store) -> None:
    start(chat)
    chat.send("Ik: ik ben zelf ook ooit nieuw begonnen")
    reply = chat.send("ik:   ")
    assert "Je volgende notitie bewaar ik" in reply.replies[0].text
    chat.send("Ik sprak in het begin geen woord Spaans")
    chat.send("ik:")
    chat.press("Toch niet")  # a slip: the next note is Ahmed's after all
    chat.send("Hij werkt in de bouw")
    turns = conversation_turns(chat, store)
    assert [(t.who, t.text) for t in turns] == [
        ("own", "ik ben zelf ook ooit nieuw begonnen"),
        ("own", "Ik sprak in het begin geen woord Spaans"),
        ("librarian", "Hij werkt in de bouw")]


def test_a_note_moves_to_a_question_from_the_summary_and_an_own_note_stays_hers(
        chat: Chat, store: Store) -> None:
    start(chat)
    chat.send("Hij mist een plek om Nederlands te oefenen")
    chat.send("ik: ik miste dat in Spanje ook")
    wrap_up(chat)
    assert "• Wat voor werk doe je, en hoe ben je erbij betrokken geraakt? Hij mist" in chat.text()
    chat.press("Notitie verplaatsen")
    chat.press("plek om Nederlands")
    assert outcome_notice(chat.press("Zonder vraag")) == "↪ Staat nu zonder vraag."
    summary = chat.text()
    assert "• Zonder vraag: Hij mist een plek om Nederlands te oefenen." in summary
    assert "• Wat voor werk" not in summary
    chat.press("Notitie verplaatsen")
    chat.press("plek om Nederlands")
    assert "Bij welke vraag hoort" in chat.text()
    outcome = chat.press("5. Tegen welke")
    assert outcome.notice == "↪ Verplaatst naar vraag 5."
    moved = chat.text()
    assert "• Tegen welke problemen lopen jullie aan? Hij mist een plek" in moved
    assert "Zonder vraag" not in moved
    chat.press("Notitie verplaatsen")
    chat.press("miste dat in Spanje")
    chat.press("5. Tegen welke")
    moved = chat.text()
    problems = next(line for line in moved.splitlines() if line.startswith("• Tegen welke"))
    assert "Spanje" not in problems
    assert "🙋 Zelf verteld:\n• Ik miste dat in Spanje ook. (vraag 5)" in moved
    turns = conversation_turns(chat, store)[-2:]
    assert [(t.who, t.question) for t in turns] == [("librarian", "problems"),
                                                     ("own", "problems")]
    # stored too: /samenvatting shows it so
    user = chat.service.user(chat.who)
    last = TalkRepo(store).conversations(user.id, user.active_community)[-1]
    assert last.summary is not None and "Ik miste dat in Spanje ook. (vraag 5)" in last.summary


def test_a_starred_note_is_the_quote_shown_first(chat: Chat, store: Store) -> None:
    start(chat)
    chat.send("Hij werkt in de bouw")
    chat.send("Werk geeft mij een plek in dit land")
    chat.send("ik: ik werkte ook in het buitenland")
    wrap_up(chat)
    chat.press("Citaat")
    labels = chat.labels()
    assert any("een plek in dit land" in label for label in labels)
    assert not any("buitenland" in label for label in labels)  # a quote is Ahmed's words
    chat.press("een plek in dit land")
    assert any(label.startswith("⭐") and "plek in dit land" in label for label in chat.labels())
    chat.press("Klaar")
    work = next(line for line in chat.text().splitlines() if line.startswith("• Wat voor werk"))
    assert work.startswith("• Wat voor werk doe je, en hoe ben je erbij betrokken geraakt? "
                           "⭐ “Werk geeft mij een plek in dit land.” Hij werkt in de bouw.")
    assert [t.starred for t in conversation_turns(chat, store)] == [False, True, False]


def test_every_action_of_the_conversation_with_its_date_and_state(chat: Chat,
                                                                   store: Store) -> None:
    start(chat)
    chat.send("Hij zoekt een taalmaatje")
    chat.send("actie: Ahmed voorstellen aan Sanne over twee weken")
    chat.press("Actie")
    chat.send("Folder van het taalcafé mailen")
    chat.press("Ikzelf")
    chat.send("vrijdag")
    wrap_up(chat)
    follow_ups = summary_block(chat.text(), "Vervolgacties")
    assert "over twee weken" not in follow_ups
    lines = follow_ups.splitlines()[1:]
    assert len(lines) == 2
    assert lines[0].startswith("• Ahmed voorstellen aan Sanne — uiterlijk ")
    assert lines[1].startswith("• Folder van het taalcafé mailen — uiterlijk vrijdag ")
    user = chat.service.user(chat.who)
    assert user.active_community is not None
    actions = ActionRepo(store)
    [first] = [a for a in actions.all(user.id, user.active_community) if "Sanne" in a.what]
    chat.press_data(f"act:d:{first.id}:n")  # ✅ under the daily message
    [stored] = TalkRepo(store).conversations(user.id, user.active_community)
    assert "• ✅ Ahmed voorstellen aan Sanne — gedaan op " in (stored.summary or "")
    chat.send("/samenvatting")
    chat.press("Ahmed")
    follow_ups = summary_block(chat.text(), "Vervolgacties")
    assert "• ✅ Ahmed voorstellen aan Sanne — gedaan op " in follow_ups


def test_old_summary_buttons_after_the_conversation_is_gone(chat: Chat, store: Store) -> None:
    start(chat)
    chat.send("Hij zoekt een taalmaatje")
    wrap_up(chat)
    move, star = chat.button("Notitie verplaatsen"), chat.button("Citaat")
    chat.press("Notitie verplaatsen")
    note = chat.button("taalmaatje")
    user = chat.service.user(chat.who)
    [conversation] = TalkRepo(store).conversations(user.id, user.active_community)
    store.db.execute("DELETE FROM conversations WHERE id = ?", (conversation.id,))
    for data in (move.data, star.data, note.data, f"tk:v:{conversation.id}"):
        outcome = chat.press_data(data)
        assert outcome.notice in ("Dit gesprek is er niet meer.",
                                  "Die notitie is er niet meer.")
        assert not outcome.replies


def test_a_star_on_an_edited_or_deleted_note(chat: Chat, store: Store) -> None:
    start(chat)
    chat.send("Hij werkt in de bouw")
    chat._go(Incoming(kind="text", text="Werk geeft mij houvast", message_id=61))
    wrap_up(chat)
    chat.press("Citaat")
    first, second = (t.id for t in conversation_turns(chat, store))
    chat.press("houvast")
    # edited in Telegram since: the star holds and the quote says what the note says now
    chat._go(Incoming(kind="edit", text="Werk geeft mij rust", message_id=61))
    stored = store.db.execute("SELECT summary FROM conversations").fetchone()[0]
    assert "⭐ “Werk geeft mij rust.”" in stored
    chat.press("Klaar")
    assert "⭐ “Werk geeft mij rust.”" in chat.text()
    # gone since (a colleague's handover, an erase): said so, nothing else changes
    store.db.execute("DELETE FROM transcript WHERE id = ?", (first,))
    outcome = chat.press_data(f"tk:s:{first}")
    assert outcome.notice == "Die notitie is er niet meer." and not outcome.replies
    assert [t.starred for t in conversation_turns(chat, store)] == [True]
    assert second


def test_forged_move_and_star_buttons_for_another_librarians_note(chat: Chat,
                                                                   store: Store) -> None:
    start(chat)
    chat.send("Hij zoekt een taalmaatje")
    wrap_up(chat)
    [turn] = conversation_turns(chat, store)
    [conversation] = TalkRepo(store).conversations(turn.user_id, None) or [
        c for c in TalkRepo(store).conversations(
            turn.user_id, chat.service.user(chat.who).active_community)]
    mallory = Chat(chat.service, telegram_id=2002, name="Mallory")
    mallory.onboard("Andere groep")
    for data in (f"tk:s:{turn.id}", f"tk:m:{turn.id}", f"tk:q:{turn.id}:1",
                 f"tk:mv:{conversation.id}:0", f"tk:st:{conversation.id}:0",
                 f"tk:v:{conversation.id}", "tk:q:x:1", "tk:s:99999999999999999999",
                 "tk:m:²", "tk:q:1:99", "tk:", "tk:zz:1"):
        outcome = mallory.press_data(data)
        assert outcome.notice is not None and not outcome.replies, data
    [after] = conversation_turns(chat, store)
    assert (after.question, after.starred) == (turn.question, turn.starred)


def test_a_long_conversation_pages_its_notes(chat: Chat) -> None:
    start(chat)
    for number in range(1, 46):
        chat.send(f"Notitie nummer {number} over de buurt")
    wrap_up(chat)
    chat.press("Notitie verplaatsen")
    shown = chat.last.replies[0]
    notes = [b for row in shown.buttons for b in row if "Notitie nummer" in b.label]
    assert len(notes) == 20 and "nummer 1 " in notes[0].label + " "
    chat.press("Meer notities")
    chat.press("Meer notities")
    shown = chat.last.replies[0]
    notes = [b for row in shown.buttons for b in row if "Notitie nummer" in b.label]
    assert len(notes) == 5 and "nummer 45" in notes[-1].label
    assert not any("Meer notities" in b.label for row in shown.buttons for b in row)
    chat.press("nummer 45")
    chat.press("8. Als we")
    assert "• Als we zouden samenwerken, hoe zou dat er voor jou uitzien? Notitie nummer 45" \
        in chat.text()
