"""A SMART goal says which needs from the conversations it answers: the themes that recur in
"Wat we hoorden", tapped on and off, or a need in her own words. Through the service and a
real database, with the bad input the issue names."""

from __future__ import annotations

import pytest

from bot.app.offers import HeardNeeds
from bot.app.registry import Service
from dialogs import paging
from storage.goals import GoalRepo
from storage.people import PeopleRepo
from storage.store import Store
from tests.bot.features.people.test_people import open_entry
from tests.bot.features.talk.test_heard import three
from tests.chat import Chat

QUESTION = "Op welke behoefte uit de gesprekken geeft dit doel antwoord?"


def to_needs(chat: Chat, *, command: bool = True) -> None:
    """The builder up to the step after R · Relevant (no vision yet: her own words); from
    /doelen, or (`command=False`) from the goals shown after the last one was saved."""
    if command:
        chat.send("/doelen")
    chat.press("Nieuw SMART-doel")
    chat.send("een wekelijks taalcafé organiseren voor nieuwkomers")
    chat.send("aantal deelnemers per week")
    chat.send("4")
    chat.send("12")
    chat.send("vrijwilligers van de taalschool")
    chat.send("nieuwkomers zich thuis voelen")


def goal_needs(service: Service, chat: Chat) -> list[tuple[str, ...]]:
    user = service.user(chat.who)
    return [g.needs for g in GoalRepo(service.store).goals(user.id)]


def test_a_goal_answers_the_needs_she_taps_and_types(chat: Chat, service: Service) -> None:
    three(chat)
    to_needs(chat)
    assert chat.text().startswith(QUESTION)
    assert chat.labels() == ["Nederlands", "kinderopvang", "plek", "Overslaan"]
    chat.press("Nederlands")
    chat.press("kinderopvang")
    assert chat.labels() == ["✓ Nederlands", "✓ kinderopvang", "plek", "✅ Klaar"]
    assert chat.last.replies[0].edit  # ticked in place
    chat.press("plek")
    chat.press("✓ plek")  # tapped again: off again
    assert "✓ plek" not in chat.labels() and "plek" in chat.labels()
    chat.send("vervoer naar de bibliotheek")  # her own words
    assert "Gekozen: Nederlands, kinderopvang, vervoer naar de bibliotheek" in chat.text()
    assert "✓ vervoer naar de bibliotheek" in chat.labels()
    chat.press("Klaar")
    assert "T · Tijdgebonden" in chat.text()
    chat.send("1 juni")
    assert ("Antwoord op: Nederlands, kinderopvang, vervoer naar de bibliotheek\n\nKlopt dit?"
            in chat.text())
    chat.press("Opslaan")
    assert "  Antwoord op: Nederlands, kinderopvang, vervoer naar de bibliotheek" in chat.text()
    assert goal_needs(service, chat) == [("Nederlands", "kinderopvang",
                                          "vervoer naar de bibliotheek")]


def test_without_recurring_themes_the_step_is_not_asked(chat: Chat, service: Service) -> None:
    chat.onboard()
    to_needs(chat)
    assert chat.text().startswith("T · Tijdgebonden")
    chat.send("1 juni")
    assert "Antwoord op" not in chat.text()
    chat.press("Iets aanpassen")
    assert not any("behoefte" in label for label in chat.labels())
    chat.press("Terug")
    chat.press("Opslaan")
    assert "Antwoord op" not in chat.text()
    assert goal_needs(service, chat) == [()]


def test_skip_and_a_second_goal_starts_fresh(chat: Chat, service: Service) -> None:
    three(chat)
    to_needs(chat)
    chat.press("Nederlands")
    chat.press("Klaar")
    chat.send("1 juni")
    chat.press("Opslaan")
    to_needs(chat, command=False)  # the next goal: nothing of the first one's needs ticked
    assert chat.labels() == ["Nederlands", "kinderopvang", "plek", "Overslaan"]
    chat.press("Overslaan")
    chat.send("1 juni")
    assert "Antwoord op" not in chat.text().split("Klopt dit?")[0]
    chat.press("Opslaan")
    assert goal_needs(service, chat) == [("Nederlands",), ()]


def test_changing_the_needs_from_the_read_back(chat: Chat, service: Service) -> None:
    three(chat)
    to_needs(chat)
    chat.press("Nederlands")
    chat.press("Klaar")
    chat.send("1 juni")
    chat.press("Iets aanpassen")
    chat.press("Behoefte uit de gesprekken")
    assert chat.text().startswith(QUESTION) and "Gekozen: Nederlands" in chat.text()
    chat.press("✓ Nederlands")
    chat.press("kinderopvang")
    chat.press("Klaar")
    assert "Antwoord op: kinderopvang\n\nKlopt dit?" in chat.text()
    chat.press("Opslaan")
    assert goal_needs(service, chat) == [("kinderopvang",)]


THIRTY = [f"thema {n:02d} — een plek om Nederlands te oefenen, ook ’s avonds 🇳🇱 ë"
          for n in range(1, 31)]


def test_thirty_recurring_themes_are_paged(chat: Chat, service: Service,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    talk = service.offered(HeardNeeds)
    assert talk is not None
    monkeypatch.setattr(talk, "recurring_needs", lambda _user, _community: THIRTY)
    chat.onboard()
    to_needs(chat)
    pages = 0
    while True:  # Chat checks each keyboard against Telegram's limits
        pages += 1
        for reply in chat.last.replies:
            assert paging.fits(reply.buttons)
            assert all(len(b.data.encode()) <= 64 for row in reply.buttons for b in row)
        if "thema 30" in " ".join(chat.labels()):
            break
        assert pages < 10
        chat.press("Volgende")
    assert pages == 4  # 8 to a page
    chat.press("thema 30")
    assert any(label.startswith("✓ thema 30") for label in chat.labels())
    chat.press("Vorige")
    chat.press("thema 17")
    chat.press("Klaar")
    chat.send("1 juni")
    chat.press("Opslaan")
    assert goal_needs(service, chat) == [(THIRTY[29], THIRTY[16])]


def test_a_typed_need_of_5000_characters_is_refused_and_kept(chat: Chat, service: Service,
                                                             store: Store) -> None:
    three(chat)
    to_needs(chat)
    chat.press("Nederlands")
    long = ("Ze willen een plek om Nederlands te oefenen en iemand die ze helpt " * 80)[:5000]
    chat.send(long)
    text = chat.text()
    assert text.startswith("Je tekst is bewaard als notitie. Een behoefte noem je in een paar"
                           " woorden (hooguit 200 tekens; dit waren er 5.000).")
    assert QUESTION in text and "✓ Nederlands" in chat.labels()  # nothing lost
    user = service.user(chat.who)
    assert store.one("SELECT id FROM notes WHERE text = ? AND community_id = ?",
                     (long, user.active_community)) is not None
    chat.send("iemand die helpt met formulieren")
    chat.press("Klaar")
    chat.send("1 juni")
    chat.press("Opslaan")
    assert goal_needs(service, chat) == [("Nederlands", "iemand die helpt met formulieren")]


def test_a_forged_button_changes_nothing(chat: Chat, service: Service) -> None:
    three(chat)
    to_needs(chat)
    chat.press("Nederlands")
    rev = chat.button("plek").data.split(".")[0]
    chat.press_data(f"{rev}.t:nffffffffff")
    assert chat.last.notice == ("Dat staat er niet meer bij. Hieronder zie je wat je nu kunt"
                                " kiezen.")
    assert chat.labels() == ["✓ Nederlands", "kinderopvang", "plek", "✅ Klaar"]
    chat.press_data(f"{rev}.t:" + "x" * 60)  # too long for Telegram: never sent, never read
    assert chat.last.notice


def forget(chat: Chat, name: str) -> None:
    open_entry(chat, name)
    chat.press("Vergeet deze persoon")
    chat.press("Ja, vergeet")


def forget_now(service: Service, chat: Chat, name: str) -> None:
    """Forget a person without leaving the step (as from her other phone, or a colleague)."""
    user = service.user(chat.who)
    repo = PeopleRepo(service.store)
    [person] = [p for p in repo.people(user.id, user.active_community) if p.name == name]
    with service.store.atomic():
        repo.forget(user.id, person.id, "[naam verwijderd]")


def test_a_theme_gone_while_she_chooses(chat: Chat, service: Service) -> None:
    """Ahmed is forgotten while the step is open: "kinderopvang" no longer recurs, so its
    button says so; what she ticked before stays ticked."""
    three(chat)
    to_needs(chat)
    chat.press("Nederlands")
    forget_now(service, chat, "Ahmed")
    chat.press("kinderopvang")
    assert chat.last.notice == ("Dat staat er niet meer bij. Hieronder zie je wat je nu kunt"
                                " kiezen.")
    assert chat.labels() == ["✓ Nederlands", "plek", "✅ Klaar"]


def test_a_goal_keeps_its_needs_when_a_person_is_forgotten(chat: Chat,
                                                           service: Service) -> None:
    three(chat)
    to_needs(chat)
    chat.press("kinderopvang")
    chat.send("vervoer voor Mariam")
    chat.press("Klaar")
    chat.send("1 juni")
    chat.press("Opslaan")
    forget(chat, "Ahmed")
    forget(chat, "Mariam")
    chat.send("/doelen")
    # The need's words are hers (a theme, or her summary), not theirs: they stay; a name in
    # them goes, as everywhere else.
    assert "  Antwoord op: kinderopvang, vervoer voor [naam verwijderd]" in chat.text()
    assert goal_needs(service, chat) == [("kinderopvang", "vervoer voor [naam verwijderd]")]


def test_english(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    talk = service.offered(HeardNeeds)
    assert talk is not None
    monkeypatch.setattr(talk, "recurring_needs", lambda _user, _community: ["Dutch", "childcare"])
    chat = Chat(service, telegram_id=1002, name="Emma", language_code="en")
    chat.onboard("Language café", "language")
    chat.send("/goals")
    chat.press("New SMART goal")
    for answer in ("run a weekly language café", "participants per week", "4", "12",
                   "volunteers", "newcomers feel at home"):
        chat.send(answer)
    assert chat.text().startswith("Which need from the conversations does this goal answer?")
    chat.press("childcare")
    chat.press("Done")
    chat.send("1 June")
    assert "In answer to: childcare" in chat.text()
