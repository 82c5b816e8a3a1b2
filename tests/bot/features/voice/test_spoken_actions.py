"""A dictated action ("…. Actie: een ruimte in de bibliotheek regelen.") becomes an action
when its transcript lands, once, and the message showing the transcript says so. The real
model on the committed recording, the real worker, the real handlers' bot."""

from __future__ import annotations

from storage.actions import ActionRepo, SpokenActions
from storage.transcriptions import TranscriptionRepo
from tests.bot.features.voice.conftest import ANNA, Field
from tests.bot.features.voice.test_feature import start_talk, transcribe, voice_note


def actions(field: Field) -> list[tuple[str, str | None]]:
    user = field.store.user_by_telegram(ANNA)
    assert user is not None and user.active_community is not None
    return [(a.what.lower(), a.due) for a in
            ActionRepo(field.store).all(user.id, user.active_community)]


async def test_a_dictated_field_note_action_is_made_once_and_said_with_the_transcript(
        field: Field) -> None:
    field.chat.onboard()
    message = await voice_note(field, "nl_actie.ogg")
    await transcribe(field)
    [shown] = field.replies_to(message["message_id"])
    assert shown["text"].startswith("🎙 ")  # the transcript first
    assert "✅ Actie bewaard: ‘" in shown["text"]  # in the same message as the transcript
    assert "in de bibliotheek regelen" in shown["text"].split("Actie bewaard")[1].lower()
    [(what, due)] = actions(field)
    assert what.endswith("in de bibliotheek regelen") and due is None
    await field.voice.show(field.messenger)  # nothing new to show: still one action
    user = field.store.user_by_telegram(ANNA)
    assert user is not None
    [job] = field.store.rows("SELECT id FROM transcriptions")
    again = SpokenActions(field.store).add(user.id, job["id"], [("nog eens", None)])
    assert [a.what for a in again] == [a.what for a in
                                       ActionRepo(field.store).all(user.id,
                                                                   user.active_community or 0)]
    assert len(actions(field)) == 1  # made once, whatever is asked again


async def test_a_dictated_action_in_a_conversation_becomes_an_action_too(field: Field) -> None:
    field.chat.onboard()
    start_talk(field)
    message = await voice_note(field, "nl_actie.ogg")
    await transcribe(field)
    [shown] = field.replies_to(message["message_id"])
    assert "✅ Actie bewaard" in shown["text"]
    assert len(actions(field)) == 1


async def test_an_actie_voice_note_without_words_makes_no_action(field: Field) -> None:
    field.chat.onboard()
    message = await voice_note(field, "silent.ogg")
    await transcribe(field)
    [shown] = field.replies_to(message["message_id"])
    assert "Actie bewaard" not in shown["text"]
    assert actions(field) == []


async def test_a_transcript_that_is_only_the_marker_makes_no_action(field: Field) -> None:
    """At the worker's boundary: whisper heard just "Actie." (nothing after it)."""
    field.chat.onboard()
    message = await voice_note(field, "nl_taalcafe.ogg")
    repo = TranscriptionRepo(field.store)
    job = repo.claim("t")
    assert job is not None
    assert repo.finish(job, "t", "done", text="Actie.", duration=1.0)
    await field.voice.show(field.messenger)
    [shown] = field.replies_to(message["message_id"])
    assert "Actie." in shown["text"] and "Actie bewaard" not in shown["text"]
    assert actions(field) == []


async def test_a_dictated_action_with_a_day_is_due_that_day(field: Field) -> None:
    """At the worker's boundary with whisper's punctuation: "Actie, Fatima mailen vrijdag."."""
    field.chat.onboard()
    message = await voice_note(field, "nl_taalcafe.ogg")
    repo = TranscriptionRepo(field.store)
    job = repo.claim("t")
    assert job is not None
    assert repo.finish(job, "t", "done", text="Ze doet mee.\nActie, Fatima mailen vrijdag.",
                       duration=2.0)
    await field.voice.show(field.messenger)
    [shown] = field.replies_to(message["message_id"])
    assert "Actie bewaard: ‘Fatima mailen’, uiterlijk" in shown["text"]
    [(what, due)] = actions(field)
    assert what == "fatima mailen" and due is not None
