"""Actions during a conversation (live mode): the ➕ Actie button asks what, for whom (me,
someone met, a typed name) and when, and says it back above the question; an "actie:" note
typed there stays in the transcript and is acknowledged as an action too."""

from __future__ import annotations

import pytest

from storage.actions import ActionRepo
from storage.talk import TalkRepo
from tests.bot.features.actions.test_actions import open_actions
from tests.chat import Chat


def actions_with_who(chat: Chat) -> list[tuple[str, str | None, str | None]]:
    user = chat.service.user(chat.who)
    assert user.active_community is not None
    return [(a.what, a.who, a.due) for a in
            ActionRepo(chat.service.store).all(user.id, user.active_community)]


def in_conversation(chat: Chat, person: str = "Fatima, voorzitter") -> None:
    chat.send(f"/gesprek {person}")
    assert "Vraag 1" in chat.text() or "1/" in chat.text() or chat.labels()


def test_live_action_button_for_someone_met_with_a_day(anna: Chat) -> None:
    in_conversation(anna)
    anna.send("Ze zoekt een ruimte op dinsdag")
    anna.press("➕ Actie")
    assert "Wat spreken jullie af?" in anna.text()
    anna.send("Ruimte in de bieb navragen")
    assert "🙋 Ikzelf" in anna.labels()
    anna.press("Fatima")  # met in this community: one tap
    anna.press("Morgen")
    text = anna.text()
    assert "✅ Actie bewaard: ‘Ruimte in de bieb navragen’, voor Fatima, uiterlijk morgen." \
        in text
    assert len(anna.last.replies) == 1  # the acknowledgement above the question, one message
    assert "Volgende" in " ".join(anna.labels())  # back at the conversation's question
    assert actions_with_who(anna) == [("Ruimte in de bieb navragen", "Fatima", "2026-11-27")]
    anna.send("Ze kent ook de wijkagent")  # still live: a note, not an answer
    user = anna.service.user(anna.who)
    conversation = TalkRepo(anna.service.store).open_conversation(user.id)
    assert conversation is not None
    notes = [t.text for t in TalkRepo(anna.service.store).transcript(conversation.id)
             if t.who == "librarian"]
    assert notes == ["Ze zoekt een ruimte op dinsdag", "Ze kent ook de wijkagent"]


def test_live_action_for_me_or_a_typed_name_without_a_date(anna: Chat) -> None:
    in_conversation(anna)
    anna.press("➕ Actie")
    anna.send("Flyers maken")
    anna.press("🙋 Ikzelf")
    anna.press("Geen datum")
    assert "✅ Actie bewaard: ‘Flyers maken’." in anna.text()
    anna.press("➕ Actie")
    anna.send("Zaal vragen bij de school")
    anna.send("Karim")
    anna.send("vrijdag 4 december")
    assert "‘Zaal vragen bij de school’, voor Karim, uiterlijk vrijdag 4 december." \
        in anna.text()
    assert actions_with_who(anna) == [("Zaal vragen bij de school", "Karim", "2026-12-04"),
                                      ("Flyers maken", None, None)]


@pytest.mark.parametrize("typed, reason", [
    ("2026-11-20", "is al voorbij"),
    ("31 februari", "31 februari bestaat niet"),
])
def test_live_action_with_a_past_or_impossible_date_is_asked_again(
        anna: Chat, typed: str, reason: str) -> None:
    in_conversation(anna)
    anna.press("➕ Actie")
    anna.send("Zaal boeken")
    anna.press("🙋 Ikzelf")
    anna.send(typed)
    assert reason in anna.text()
    assert "‘Zaal boeken’" in anna.text()  # the question again, the text kept
    assert actions_with_who(anna) == []
    anna.send("maandag")
    assert actions_with_who(anna) == [("Zaal boeken", None, "2026-11-30")]


def test_typed_action_in_live_mode_is_acknowledged_and_kept_in_the_transcript(
        anna: Chat) -> None:
    in_conversation(anna)
    out = anna.send("Actie, Fatima mailen over een ruimte vrijdag")
    assert out.ack
    assert "Actie bewaard: ‘Fatima mailen over een ruimte’, uiterlijk morgen." in anna.text()
    assert open_actions(anna) == [("Fatima mailen over een ruimte", "2026-11-27", None)]
    assert "Vraag 1/8" in anna.text()  # above the question again, with the question's buttons
    assert not any(label in ("⏰", "✏️") for label in anna.labels())
    assert not anna.last.replies[0].edit  # at the bottom: the conversation's stay as they are
    anna.send("Ze neemt ook haar buurvrouw mee")  # still in the conversation
    assert anna.last.ack
    user = anna.service.user(anna.who)
    conversation = TalkRepo(anna.service.store).open_conversation(user.id)
    assert conversation is not None
    turns = TalkRepo(anna.service.store).transcript(conversation.id)
    assert "Actie, Fatima mailen over een ruimte vrijdag" in [t.text for t in turns]
    assert anna.service.store.notes(user.id) == []  # a turn of the conversation, not a note


def test_typed_action_in_live_mode_with_31_february_says_where_to_set_the_day(
        anna: Chat) -> None:
    in_conversation(anna)
    anna.send("actie: zaal boeken 31 februari")
    assert anna.text().startswith(
        "✅ Actie bewaard, nog zonder datum. 31 februari bestaat niet. "
        "Na het gesprek zet je de dag in /acties, met ⏰.\n\n🗣️ Vraag 1/8")
    assert open_actions(anna) == [("zaal boeken", None, None)]
    anna.send("/acties")  # after the conversation, or in it: ⏰ there
    anna.press("⏰")
    anna.press("Morgen")
    assert open_actions(anna) == [("zaal boeken", "2026-11-27", None)]
