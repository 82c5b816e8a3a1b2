"""Follow-up actions through the service with a real database and a fixed clock: an
"actie:" note becomes an action, /acties with done, later and change, bad dates, buttons of
gone actions, forged buttons and a long list within Telegram's limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.app.registry import FEATURES, Service
from dialogs.catalog import Catalog
from storage.actions import ActionRepo
from storage.store import Store
from tests.bot.features.goals.test_goals import Clock
from tests.chat import Chat

THURSDAY = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam


@pytest.fixture
def aservice(db_path: Path, catalog: Catalog) -> Iterator[Service]:
    service = Service(Store(db_path, clock=Clock(THURSDAY)), catalog, features=FEATURES)
    yield service
    service.store.close()


@pytest.fixture
def anna(aservice: Service) -> Chat:
    chat = Chat(aservice, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    return chat


def open_actions(chat: Chat) -> list[tuple[str, str | None, str | None]]:
    user = chat.service.store.user_by_telegram(chat.who.telegram_id)
    assert user is not None and user.active_community is not None
    return [(a.what, a.due, a.done_at) for a in
            ActionRepo(chat.service.store).all(user.id, user.active_community)]


def test_a_typed_action_note_with_friday_becomes_an_action_due_friday(anna: Chat) -> None:
    anna.send("Actie, Fatima mailen over een ruimte vrijdag")
    assert "Actie bewaard: ‘Fatima mailen over een ruimte’, uiterlijk morgen." in anna.text()
    assert len(anna.last.replies) == 1  # one message, with the action's buttons
    assert open_actions(anna) == [("Fatima mailen over een ruimte", "2026-11-27", None)]
    assert any("✅" in label for label in anna.labels())
    notes = anna.service.store.notes(anna.service.user(anna.who).id)
    assert [n.text for n in notes] == ["Actie, Fatima mailen over een ruimte vrijdag"]


def test_a_plain_note_is_not_an_action(anna: Chat) -> None:
    anna.send("Fatima kent iemand met een ruimte")
    assert "Actie" not in anna.text()
    assert open_actions(anna) == []


def test_actions_list_due_first_and_done_later_change(anna: Chat) -> None:
    anna.send("todo: flyers drukken")
    anna.send("actie: zaal boeken 1 februari")
    anna.send("actie: Fatima bellen vandaag")
    anna.send("/acties")
    text = anna.text()
    assert "3 open acties" in text
    assert text.index("Fatima bellen") < text.index("zaal boeken") < text.index("flyers")
    assert "1. Fatima bellen · uiterlijk vandaag" in text
    anna.press("✅ 1. Fatima bellen")
    assert "Gedaan: ‘Fatima bellen’" in anna.text() and "2 open acties" in anna.text()
    assert anna.last.replies[0].edit  # the list is updated in place
    anna.press_data(anna.button("✅ 1. zaal boeken").data.replace(":d:", ":l:"))
    anna.press("Volgende week")
    assert "komt terug op donderdag 3 december" in anna.text()
    anna.press_data(anna.button("✅ 2. flyers").data.replace(":d:", ":c:"))
    anna.send("flyers drukken en ophangen")
    assert "Aangepast: ‘flyers drukken en ophangen’" in anna.text()
    assert open_actions(anna) == [
        ("zaal boeken", "2026-12-03", None), ("flyers drukken en ophangen", None, None),
        ("Fatima bellen", "2026-11-26", open_actions(anna)[2][2])]
    assert open_actions(anna)[2][2] is not None  # done, and kept with its date


def test_a_new_action_from_the_button_with_a_typed_date(anna: Chat) -> None:
    anna.send("/acties")
    assert "geen open acties" in anna.text()
    anna.press("➕ Actie")
    anna.send("Ambassadeurs uitnodigen")
    assert "Wie pakt deze actie op?" in anna.text()
    anna.send("Karim")  # a name typed: someone not met in a conversation yet
    anna.send("over twee weken")
    assert ("Actie bewaard: ‘Ambassadeurs uitnodigen’, voor Karim, uiterlijk donderdag"
            " 10 december") in anna.text()
    assert "Ambassadeurs uitnodigen · voor Karim" in anna.text()
    assert "1 open actie" in anna.text()
    assert len(anna.last.replies) == 1
    anna.press("➕ Actie")
    anna.send("Flyers ophalen")
    anna.press("🙋 Ikzelf")
    anna.press("Morgen")  # a tapped day is read like a typed one
    assert "Actie bewaard: ‘Flyers ophalen’, uiterlijk morgen." in anna.text()
    assert ("Flyers ophalen", "2026-11-27", None) in open_actions(anna)


@pytest.mark.parametrize("typed, reason", [
    ("2026-11-20", "is al voorbij"),
    ("31 februari", "31 februari bestaat niet"),
])
def test_a_past_or_impossible_due_date_is_refused_with_the_reason(
        anna: Chat, typed: str, reason: str) -> None:
    anna.send("/acties")
    anna.press("➕ Actie")
    anna.send("Zaal boeken")
    anna.press("🙋 Ikzelf")
    anna.send(typed)
    assert reason in anna.text()
    assert open_actions(anna) == []  # asked again, nothing saved yet
    anna.send("vandaag")
    assert open_actions(anna) == [("Zaal boeken", "2026-11-26", None)]


def test_an_impossible_date_in_a_note_keeps_the_action_without_date(anna: Chat) -> None:
    anna.send("actie: zaal boeken 31 februari")
    assert anna.text() == ("✅ Actie bewaard, nog zonder datum.\n"
                           "31 februari bestaat niet. Welke datum bedoel je?")
    assert open_actions(anna) == [("zaal boeken", None, None)]
    anna.press("Volgende week")  # the date asked again, one tap
    assert "komt terug op donderdag 3 december" in anna.text()
    assert open_actions(anna) == [("zaal boeken", "2026-12-03", None)]


@pytest.mark.parametrize("gone", ["done", "deleted"])
def test_later_on_an_action_done_or_deleted_meanwhile(anna: Chat, gone: str) -> None:
    anna.send("actie: flyers drukken vrijdag")
    later = anna.button("⏰").data
    user = anna.service.user(anna.who)
    action_id = int(later.rsplit(":", 1)[1])
    repo = ActionRepo(anna.service.store)
    repo.done(user.id, action_id) if gone == "done" else repo.delete(user.id, action_id)
    outcome = anna.press_data(later)
    assert outcome.notice == "Deze actie is intussen gedaan of verwijderd."
    outcome = anna.press_data(f"act:lw:{action_id}")
    assert outcome.notice == "Deze actie is intussen gedaan of verwijderd."
    kept = repo.get(user.id, action_id)
    assert kept is None or kept.due == "2026-11-27"


def test_a_forged_button_for_another_users_action_changes_nothing(aservice: Service) -> None:
    anna = Chat(aservice, telegram_id=1001, name="Anna")
    anna.onboard("Taalcafé Noord", "taal")
    anna.send("actie: Fatima mailen vrijdag")
    action_id = int(anna.button("⏰").data.rsplit(":", 1)[1])
    bram = Chat(aservice, telegram_id=2002, name="Bram")
    bram.onboard("Buurthuis", "buurt")
    for data in (f"act:d:{action_id}", f"act:lw:{action_id}", f"act:c:{action_id}",
                 f"act:ld:{action_id}", f"act:l:{action_id}"):
        outcome = bram.press_data(data)
        assert outcome.notice == "Deze actie is intussen gedaan of verwijderd."
        assert not outcome.replies
    assert open_actions(anna) == [("Fatima mailen", "2026-11-27", None)]


def test_150_open_actions_are_paged_within_telegrams_limits(anna: Chat) -> None:
    user = anna.service.user(anna.who)
    assert user.active_community is not None
    repo = ActionRepo(anna.service.store)
    for n in range(150):
        repo.add(user.id, user.active_community, f"Actie nummer {n} met een wat langere tekst "
                 "over wie wat doet ✨", due=date(2026, 12, 1 + n % 28))
    anna.send("/acties")  # Chat checks every keyboard against Telegram's limits
    assert "150 open acties" in anna.text() and "1. " in anna.text()
    seen = 0
    for _ in range(40):
        seen += sum(1 for label in anna.labels() if label.startswith("✅"))
        if not any("▶" in label or "Volgende" in label for label in anna.labels()):
            break
        anna.press_data(next(b.data for r in anna.last.replies for row in r.buttons
                             for b in row if b.data.startswith("act:p:")
                             and int(b.data.rsplit(":", 1)[1]) > 0
                             and ("▶" in b.label or "Volgende" in b.label)))
    assert seen == 150
    assert "150. " in anna.text()


def test_forget_erases_actions_and_mydata_lists_them(anna: Chat, tmp_path: Path) -> None:
    from storage.privacy import counts, erase

    anna.send("actie: Fatima mailen vrijdag")
    user = anna.service.user(anna.who)
    assert counts(anna.service.store, user.id)["actions"] == 1
    erase(anna.service.store, user.id, tmp_path)
    assert anna.service.store.one("SELECT count(*) AS n FROM actions") == {"n": 0}
