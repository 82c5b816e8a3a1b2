"""Activities through the service with a real database and a fixed clock: logged in a few
taps, a linked goal counting along (its progress, chart data and pace), bad participant
counts and days, deleting a counted activity, forged buttons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.app.registry import Service
from storage.activities import ActivityRepo
from storage.goals import GoalRepo
from tests.chat import Chat


def goal(chat: Chat, baseline: float = 0, target: float = 10) -> int:
    user = chat.service.user(chat.who)
    assert user.active_community is not None
    return GoalRepo(chat.service.store).add_goal(
        user.id, user.active_community, specific="tien taalcafé-avonden dit seizoen",
        metric="avonden", baseline=baseline, target=target, achievable="", relevant="",
        relevant_part=None, deadline=date(2027, 6, 1))


def log_one(chat: Chat, kind: str | None, people: str = "14",
            first: str = "Weet ik niet") -> None:
    """Logged in taps; the first-timers not known unless `first` is another button."""
    chat.send("/activiteit")
    chat.press("Activiteit vastleggen")
    if kind is None:
        chat.press("taalcafé")
    else:
        chat.send(kind)
    chat.press("Vandaag")
    chat.send("Avond over de gemeente, met koffie")
    chat.send(people)
    chat.press(first)
    chat.press("Een ambassadeur")
    chat.press("Zonder notitie")


def test_an_activity_in_a_few_taps_and_the_kind_one_tap_the_next_time(anna: Chat) -> None:
    log_one(anna, "taalcafé")
    text = anna.text()
    assert "✅ Vastgelegd: taalcafé op 26 nov, met 14 deelnemers." in text
    assert "1 activiteit, 14 deelnemers" in text
    assert "26 nov · taalcafé: Avond over de gemeente, met koffie · 14 deelnemers · geleid " \
        "door een ambassadeur" in text
    assert len(anna.last.replies) == 1
    log_one(anna, None, "9")  # the kind is a button now
    assert "2 activiteiten, samen 23 deelnemers" in anna.text()


def test_a_linked_goal_counts_along_and_its_chart_and_pace_use_it(anna: Chat) -> None:
    goal_id = goal(anna)
    anna.send("/activiteit")
    anna.press("Doel laten meetellen")
    anna.press("tien taalcafé-avonden")
    anna.press("Het aantal activiteiten")
    anna.press("Alle soorten")
    assert "telt nu mee: het aantal activiteiten. Nu: 0." in anna.text()
    assert "nog geen activiteiten" in anna.text()  # linked when there are none yet
    log_one(anna, "taalcafé")
    assert "📈 ‘tien taalcafé-avonden dit seizoen’ staat nu op 1." in anna.text()
    repo = GoalRepo(anna.service.store)
    assert [v for _, v in repo.progress(goal_id)] == [0, 1]  # what the chart draws
    assert repo.goal(anna.service.user(anna.who).id, goal_id).current == 1  # type: ignore[union-attr]
    anna.send("/doelen")
    assert "1 van 10" in anna.text()


def test_deleting_a_counted_activity_updates_the_goal_and_says_so(anna: Chat) -> None:
    goal(anna)
    user = anna.service.user(anna.who)
    log_one(anna, "taalcafé")
    ActivityRepo(anna.service.store).link(user.id, GoalRepo(anna.service.store).goals(
        user.id)[0].id, "sum", None)
    anna.send("/activiteit")
    anna.press("🗑")
    text = anna.text()
    assert "Weggehaald: taalcafé op 26 nov." in text
    assert "staat nu op 0." in text and "Nog geen activiteiten" in text


@pytest.mark.parametrize("typed, said", [
    ("-3", "een heel getal vanaf 0"),
    ("veel", "‘veel’ is geen aantal"),
])
def test_a_negative_or_non_numeric_count_is_refused_and_asked_again(
        anna: Chat, typed: str, said: str) -> None:
    anna.send("/activiteit")
    anna.press("Activiteit vastleggen")
    anna.send("workshop")
    anna.press("Vandaag")
    anna.send("Workshop podcasten")
    anna.send(typed)
    assert said in anna.text() and "Hoeveel mensen deden mee?" in anna.text()
    anna.send("6")
    assert "Hoeveel van hen kwamen voor het eerst?" in anna.text()


def test_an_absurd_count_is_asked_about_first(anna: Chat) -> None:
    anna.send("/activiteit")
    anna.press("Activiteit vastleggen")
    anna.send("workshop")
    anna.press("Vandaag")
    anna.send("Workshop podcasten")
    anna.send("100000")
    assert "100.000 deelnemers, dat is heel veel. Klopt dat?" in anna.text()
    anna.press("Nee")
    anna.send("10")
    anna.press("Weet ik niet")
    anna.press("De bibliotheek")
    anna.press("Zonder notitie")
    assert "met 10 deelnemers" in anna.text()


def test_a_day_in_the_future_is_refused(anna: Chat) -> None:
    anna.send("/activiteit")
    anna.press("Activiteit vastleggen")
    anna.send("workshop")
    anna.send("2026-12-10")
    assert "10 december 2026 moet nog komen" in anna.text()
    anna.send("gisteren")
    assert "Wat gebeurde er?" in anna.text()


def test_linking_without_goals_says_so(anna: Chat) -> None:
    anna.send("/activiteit")
    outcome = anna.press("Doel laten meetellen")
    assert outcome.notice == "Er is nog geen doel om mee te laten tellen; maak er een met /doelen."


def test_a_forged_delete_of_another_users_activity_changes_nothing(aservice: Service) -> None:
    anna = Chat(aservice, telegram_id=1001, name="Anna")
    anna.onboard("Taalcafé Noord", "taal")
    log_one(anna, "taalcafé")
    activity = anna.button("🗑").data
    bram = Chat(aservice, telegram_id=2002, name="Bram")
    bram.onboard("Buurthuis", "buurt")
    assert bram.press_data(activity).notice == "Deze activiteit is er niet meer."
    user = anna.service.user(anna.who)
    assert len(ActivityRepo(aservice.store).of(user.id, user.active_community or 0)) == 1


def test_an_ambassador_and_an_outcome_are_listed_under_phase_6s_items(
        anna: Chat) -> None:
    anna.send("/activiteit")
    anna.press("Ambassadeur of partner")
    anna.send("Fatima")
    anna.press("Ambassadeur uit de community")
    assert "🤝 Fatima staat erbij als ambassadeur." in anna.text()
    assert "Rollen: Fatima (ambassadeur)" in anna.text()
    anna.press("Opbrengst vastleggen")
    anna.press("Een reeks activiteiten")
    anna.send("Elke eerste dinsdag een taalcafé, door bewoners zelf georganiseerd")
    assert "Je vindt de opbrengst terug" in anna.text()
    user = anna.service.user(anna.who)
    assert user.active_community is not None
    # Listed, not ticked: tests/bot/features/fieldwork/test_honest_ticks.py
    anna.send("/fase")
    anna.press("6. ")
    text = anna.text()
    assert "Fatima (ambassadeur)" in text
    assert "reeks activiteiten: Elke eerste dinsdag een taalcafé" in text


def test_forget_erases_activities_roles_and_outcomes_and_the_export_holds_them(
        anna: Chat, tmp_path: Path) -> None:
    from jsonschema import validate

    from storage.export import schema, snapshot
    from storage.privacy import counts, erase

    goal_id = goal(anna)
    user = anna.service.user(anna.who)
    log_one(anna, "taalcafé")
    ActivityRepo(anna.service.store).link(user.id, goal_id, "count", None)
    anna.send("/activiteit")
    anna.press("Ambassadeur of partner")
    anna.send("Fatima")
    anna.press("Partner")
    anna.press("Opbrengst vastleggen")
    anna.press("Nieuwe kennis")
    anna.send("Wat nieuwkomers van de bieb verwachten")
    anna.press("Bij geen doel")  # the community has a goal: one tap more
    data = snapshot(anna.service.store, user.id)
    validate(data, schema())
    community = data["communities"][0]
    assert {"activities", "roles", "outcomes"}.isdisjoint(community["other"])  # own sections
    assert [a["kind"] for a in community["activities"]] == ["taalcafé"]
    assert [(r["name"], r["role"]) for r in community["roles"]] == [("Fatima", "partner")]
    assert [o["text"] for o in community["outcomes"]] == ["Wat nieuwkomers van de bieb verwachten"]
    found = counts(anna.service.store, user.id)
    assert (found["activities"], found["roles"], found["outcomes"], found["goal_links"]) == \
        (1, 1, 1, 1)
    erase(anna.service.store, user.id, tmp_path)
    for table in ("activities", "roles", "outcomes", "goal_links"):
        assert anna.service.store.one(f"SELECT count(*) AS n FROM {table}") == {"n": 0}


def test_the_community_report_opens_in_word_and_holds_each_section(anna: Chat) -> None:
    import io

    import docx as python_docx

    from bot.features.export.files import render
    from storage.actions import ActionRepo
    from storage.export import snapshot

    goal_id = goal(anna)
    user = anna.service.user(anna.who)
    assert user.active_community is not None
    ActivityRepo(anna.service.store).link(user.id, goal_id, "count", None)
    log_one(anna, "taalcafé")
    anna.send("/activiteit")
    anna.press("Ambassadeur of partner")
    anna.send("Fatima")
    anna.press("Ambassadeur uit de community")
    anna.press("Opbrengst vastleggen")
    anna.press("Een product")
    anna.send("Een meertalige wijkkaart")
    anna.press("tien taalcafé-avonden")  # it belongs to the goal
    anna.send("actie: zaal boeken vrijdag")
    done = ActionRepo(anna.service.store).add(user.id, user.active_community, "flyers")
    ActionRepo(anna.service.store).done(user.id, done)
    data = snapshot(anna.service.store, user.id, user.active_community)
    document = python_docx.Document(io.BytesIO(render(data, anna.service.catalog, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in ("In één oogopslag", "Wat we deden", "Wat het opleverde", "Rollen",
                    "Lessen en volgende stappen", "De route: fasen van de werkwijze"):
        assert heading in text, heading
    assert "1 keer samen aan de slag: 14 bezoeken (alle deelnemers opgeteld)." in text
    assert "Avond over de gemeente, met koffie · 14 deelnemers" in text
    brought = text.split("Wat het opleverde", 1)[1]
    assert "Wat we deden: 1 activiteit, 14 bezoeken" in brought
    assert "Alle activiteiten tellen mee voor dit doel." in brought
    assert "Wat het opleverde:\nProduct: Een meertalige wijkkaart" in brought  # its goal's
    assert "Fatima" in text and "Een meertalige wijkkaart" in text
    assert "zaal boeken" in text and "uiterlijk 27 november 2026" in text
    assert "gedaan op 26 november 2026" in text
    assert "goal_links" not in text and "participants:" not in text  # no internal labels
