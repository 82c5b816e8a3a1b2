""""Wat we hoorden": what a community's people said, together, through the service and a real
database: under /samenvatting, at phase 4 and phase 5, for colleagues, and with bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.registry import Service
from dialogs.catalog import Catalog
from dialogs.replies import MAX_TEXT
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import full_service
from tests.bot.features.people.test_people import open_entry
from tests.bot.features.sharing.test_sharing import accept, inbox, me, share
from tests.chat import Chat

PROBLEMS = 5  # "Tegen welke problemen lopen jullie aan?"


def talk(chat: Chat, person: str, said: dict[int, list[str]], value: str = "Ja") -> None:
    """A whole conversation as in the field: notes per question number, then the reflection
    (meerwaarde `value`, motivated yes)."""
    chat.send(f"/gesprek {person}")
    for number, notes in said.items():
        chat.press("Alle vragen")
        chat.press(f"{number}. ")
        for note in notes:
            assert chat.send(note).ack
    chat.press("Einde")
    chat.press(value)
    chat.press("Overslaan")
    chat.press("Ja")
    chat.press("Overslaan")
    chat.press("Overslaan")


def three(chat: Chat) -> None:
    chat.onboard()
    talk(chat, "Fatima", {1: ["Ze leidt een naaiatelier in het buurthuis"],
                          PROBLEMS: ["De vrouwen willen Nederlands oefenen maar er is geen plek"]})
    talk(chat, "Ahmed", {PROBLEMS: ["Hij wil beter Nederlands oefenen voor zijn werk",
                                    "De kinderopvang is te duur"]}, value="Nog niet")
    talk(chat, "Mariam", {PROBLEMS: ["Ze mist een plek om Nederlands te oefenen",
                                     "Geen kinderopvang op woensdag"]})


def test_three_conversations_come_together_under_the_summary(chat: Chat) -> None:
    three(chat)
    chat.send("/samenvatting")
    chat.press("Wat we hoorden")
    text = chat.text()
    assert text.startswith("👂 Wat we hoorden over Taalcafé Noord")
    assert "3 gesprekken met 3 mensen" in text
    assert "• Nederlands — Fatima, Ahmed, Mariam" in text
    assert "• kinderopvang — Ahmed, Mariam" in text
    assert "Meerwaarde voor beide partijen: 2 ja, 1 nog niet (Ahmed)" in text
    assert "Gemotiveerd om samen op te trekken: 3 ja" in text
    # Question 1 was asked of Fatima only; 2, 3, 4, 6, 7, 8 of nobody.
    assert "Nog aan niemand gevraagd: Waar willen ze naartoe? · Waar zijn ze nu mee bezig?" in text
    problems = text.split("Waar lopen ze tegenaan?")[1].strip().splitlines()
    assert [line.split(",")[0] for line in problems] == ["• Mariam", "• Ahmed", "• Fatima"]
    assert problems[1].endswith(
        ": Hij wil beter Nederlands oefenen voor zijn werk · De kinderopvang is te duur")
    assert "Wat ze doen en hoe ze erbij kwamen\n• Fatima, " in text
    assert len(chat.last.replies) == 1 and chat.last.replies[0].edit  # in place of the summary
    chat.press("Samenvatting")
    assert "Gesprekken" in chat.text() or "Fatima" in chat.text()
    assert "Wat we hoorden" in " ".join(chat.labels())


def test_a_community_without_conversations_says_so(chat: Chat) -> None:
    chat.onboard()
    chat.send("/samenvatting")
    chat.press("Wat we hoorden")
    assert chat.text() == (
        "👂 Wat we hoorden over Taalcafé Noord\n\nOver Taalcafé Noord heb je nog geen gesprekken"
        " vastgelegd. Begin er een met /gesprek: wat mensen je vertellen over hun werk, hun"
        " doelen en waar ze tegenaan lopen, komt dan hier samen, per vraag.")


def test_phase_four_and_five_lead_to_it_and_the_vision_starts_from_it(chat: Chat) -> None:
    three(chat)
    chat.send("/fase")
    chat.press("4. Ken je community")
    chat.press("Wat we hoorden")
    assert "Waar lopen ze tegenaan?" in chat.text()
    chat.press("Fase 4")
    assert "Fase 4 · Ken je community" in chat.text()
    chat.send("/fase")
    chat.press("5. Visie")
    chat.press("Wat we hoorden")
    assert "Waar lopen ze tegenaan?" in chat.text()
    chat.press("Visie formuleren")  # to the vision
    chat.press("Visie formuleren")  # its first question, with what was heard above it
    assert chat.text().startswith(
        "👂 Wat we hoorden in 3 gesprekken: steeds weer Nederlands (Fatima, Ahmed,"
        " Mariam), kinderopvang (Ahmed, Mariam) en plek (Fatima, Mariam). Meerwaarde voor"
        " beide partijen: 2 ja,"
        " 1 nog niet (Ahmed).\n\n1/4 · Het doel voor de bibliotheek.")


def test_without_conversations_the_vision_asks_as_before(chat: Chat) -> None:
    chat.onboard()
    chat.send("/fase")
    chat.press("5. Visie")
    chat.press("Visie formuleren")
    chat.press("Visie formuleren")
    assert chat.text().startswith("1/4 · Het doel voor de bibliotheek.")


def test_a_forgotten_persons_words_leave_it(chat: Chat, store: Store) -> None:
    three(chat)
    open_entry(chat, "Ahmed")
    chat.press("Vergeet deze persoon")
    chat.press("Ja, vergeet")
    chat.send("/samenvatting")
    chat.press("Wat we hoorden")
    text = chat.text()
    assert "Ahmed" not in text and "voor zijn werk" not in text
    assert "2 gesprekken met 2 mensen" in text
    assert "• Nederlands — Fatima, Mariam" in text and "kinderopvang —" not in text
    assert "Meerwaarde voor beide partijen: 2 ja" in text and "nog niet" not in text


def test_a_long_note_and_an_emoji_note_are_paged_whole(chat: Chat) -> None:
    chat.onboard()
    long = " ".join(f"woord{i}" for i in range(800))[:5000]
    talk(chat, "Fatima", {PROBLEMS: [long, "🙂🙂🙂"]})
    chat.send("/samenvatting")
    chat.press("Wat we hoorden")
    pages = [chat.text()]
    while "Volgende" in " ".join(chat.labels()):
        chat.press("Volgende")
        pages.append(chat.text())
    assert len(pages) > 1 and all(len(p) <= MAX_TEXT for p in pages)
    assert pages[1].startswith(f"👂 Wat we hoorden over Taalcafé Noord (2/{len(pages)})")
    words = " ".join(pages).split()
    assert [i for i in range(560) if f"woord{i}" not in words] == []  # every word shown
    assert "🙂🙂🙂" in pages[-1]
    chat.press("Vorige")
    assert chat.text() == pages[-2]


def test_only_the_persons_words_and_starred_first(chat: Chat, store: Store) -> None:
    """Live mode keeps the librarian's own remarks as `who = 'own'` and ⭐ quotes as
    `starred`: her remarks stay out, quotes are read as such."""
    chat.onboard()
    talk(chat, "Fatima", {PROBLEMS: ["Geen ruimte voor de groep", "Te weinig vrijwilligers"]})
    repo = TalkRepo(store)
    user = me(store, chat)
    [conversation] = repo.conversations(user.id, user.active_community)
    with store.atomic():
        repo.add_turn(conversation.id, user.id, "own", "problems",
                      "Ik vertelde dat ik zelf in Spanje woonde")
    chat.send("/samenvatting")
    chat.press("Wat we hoorden")
    assert "Spanje" not in chat.text()
    assert ": Geen ruimte voor de groep · Te weinig vrijwilligers" in chat.text()
    said = [(q, text, star) for _, q, text, star in repo.said(user.id, user.active_community or 0)]
    assert said == [("problems", "Geen ruimte voor de groep", False),
                    ("problems", "Te weinig vrijwilligers", False)]
    row = store.one("SELECT id FROM transcript WHERE text = 'Te weinig vrijwilligers'")
    assert row is not None
    with store.atomic():  # ⭐ as the summary's star button sets it
        assert repo.star_note(user.id, row["id"], True)
    said = [(text, star) for _, _, text, star in repo.said(user.id, user.active_community or 0)]
    assert said == [("Geen ruimte voor de groep", False), ("Te weinig vrijwilligers", True)]


@pytest.fixture
def full(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data")


@pytest.fixture
def team(full: Service, store: Store) -> tuple[Chat, Chat]:
    """Anna and Bram share Taalcafé Noord; Bram held half of its conversations."""
    anna = Chat(full, telegram_id=1001, name="Anna")
    bram = Chat(full, telegram_id=1002, name="Bram")
    anna.onboard("Taalcafé Noord", "taal")
    share(anna, "Bram")
    accept(full, bram)
    talk(anna, "Fatima", {PROBLEMS: ["Ze zoekt een plek om Nederlands te oefenen"]})
    talk(bram, "Ahmed", {PROBLEMS: ["Nederlands oefenen lukt alleen op zijn werk"]},
         value="Nog niet")
    inbox(full, anna)
    return anna, bram


def test_colleagues_see_the_same(team: tuple[Chat, Chat]) -> None:
    anna, bram = team
    seen = []
    for chat in team:
        chat.send("/samenvatting")
        chat.press("Wat we hoorden")
        seen.append(chat.text())
    assert "• Ahmed, " in seen[0] and "(Bram): Nederlands oefenen lukt" in seen[0]
    assert "• Fatima, " in seen[1] and "(Anna): Ze zoekt een plek" in seen[1]
    assert "• Nederlands — Fatima, Ahmed" in seen[0] and "• Nederlands — Fatima, Ahmed" in seen[1]


def test_a_colleague_who_leaves_her_work_to_the_team(team: tuple[Chat, Chat]) -> None:
    anna, bram = team
    bram.send("/vergeetmij")
    bram.press("laat mijn bijdragen bij het team")
    anna.send("/samenvatting")
    anna.press("Wat we hoorden")
    text = anna.text()
    assert "(een oud-collega): Nederlands oefenen lukt" in text and "Bram" not in text
    assert "1 nog niet (Ahmed)" in text


def test_a_colleague_who_takes_her_work_along(team: tuple[Chat, Chat]) -> None:
    anna, bram = team
    bram.send("/vergeetmij")
    bram.press("én mijn bijdragen")
    anna.send("/samenvatting")
    anna.press("Wat we hoorden")
    text = anna.text()
    assert "Ahmed" not in text and "1 gesprek, op " in text
    assert "Ze zoekt een plek om Nederlands te oefenen" in text
