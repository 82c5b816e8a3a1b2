"""An outcome belongs to a sub-goal (one tap after its text, "Bij geen doel" too), and an
activity's note can be ⭐ a quote from its confirmation and from /activiteit; stale and
forged buttons say so and change nothing."""

from __future__ import annotations

from datetime import date

from bot.app.registry import Service
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.export import snapshot
from storage.goals import GoalRepo
from tests.bot.features.activities.test_activities import goal
from tests.chat import Chat


def outcomes(chat: Chat) -> list[tuple[str, int | None]]:
    user = chat.service.user(chat.who)
    return [(o.text, o.goal_id) for o in CollaborationRepo(chat.service.store).outcomes(
        user.id, user.active_community or 0)]


def record(chat: Chat, text: str = "Moeders lenen nu zelf prentenboeken") -> None:
    chat.send("/activiteit")
    chat.press("Opbrengst vastleggen")
    chat.press("Een verandering")
    chat.send(text)


def test_an_outcome_goes_with_a_goal_in_one_tap(anna: Chat) -> None:
    goal_id = goal(anna)
    record(anna)
    assert "Bij welk doel hoort dit?" in anna.text()
    assert anna.labels()[:2] == ["tien taalcafé-avonden dit seizoen", "Bij geen doel"]
    assert outcomes(anna) == []  # not stored before the answer
    anna.press("tien taalcafé-avonden")
    assert "🌱 Bewaard bij ‘tien taalcafé-avonden dit seizoen’." in anna.text()
    assert outcomes(anna) == [("Moeders lenen nu zelf prentenboeken", goal_id)]


def test_no_goal_is_one_tap_and_without_goals_there_is_no_question(anna: Chat) -> None:
    record(anna, "Een meertalige wijkkaart")
    assert "Bij welk doel" not in anna.text() and "Je vindt de opbrengst terug" in anna.text()
    goal(anna)
    record(anna)
    anna.press("Bij geen doel")
    assert "Je vindt de opbrengst terug" in anna.text()
    assert outcomes(anna) == [("Een meertalige wijkkaart", None),
                              ("Moeders lenen nu zelf prentenboeken", None)]


def test_many_goals_are_paged_within_telegrams_limits(anna: Chat) -> None:
    user = anna.service.user(anna.who)
    for n in range(12):
        GoalRepo(anna.service.store).add_goal(
            user.id, user.active_community or 0, specific=f"doel {n} " + "lang " * 30,
            metric="x", baseline=0, target=10, achievable="", relevant="", relevant_part=None,
            deadline=date(2027, 6, 1))
    record(anna)
    buttons = [b for r in anna.last.replies for row in r.buttons for b in row]
    assert all(len(b.data.encode()) <= 64 for b in buttons)
    assert len([b for b in buttons if b.label.startswith("doel ")]) == 8
    anna.press("Volgende")
    anna.press("doel 11")
    assert outcomes(anna)[0][1] is not None


def test_a_deleted_goal_leaves_its_outcome_untied(anna: Chat) -> None:
    goal_id = goal(anna)
    record(anna)
    anna.press("tien taalcafé-avonden")
    user = anna.service.user(anna.who)
    assert GoalRepo(anna.service.store).delete_goal(user.id, goal_id)
    assert outcomes(anna) == [("Moeders lenen nu zelf prentenboeken", None)]
    data = snapshot(anna.service.store, user.id, user.active_community)
    assert data["communities"][0]["outcomes"][0]["goal_id"] is None


def test_a_forged_or_gone_goal_button_stores_nothing(anna: Chat) -> None:
    goal_id = goal(anna)
    record(anna)
    tapped = anna.button("tien taalcafé-avonden").data
    rev = tapped.split(".")[0]
    assert anna.press_data(f"{rev}.d:{goal_id + 7}").notice  # a goal that is not offered
    assert outcomes(anna) == []
    user = anna.service.user(anna.who)
    GoalRepo(anna.service.store).delete_goal(user.id, goal_id)
    anna.press_data(tapped)  # deleted between the question and the tap
    assert outcomes(anna) in ([], [("Moeders lenen nu zelf prentenboeken", None)])


def log_with_note(chat: Chat, note: str) -> None:
    chat.send("/activiteit")
    chat.press("Activiteit vastleggen")
    chat.send("taalcafé")
    chat.press("Vandaag")
    chat.send("Oefenen met koffie")
    chat.send("12")
    chat.press("Weet ik niet")
    chat.press("Een ambassadeur")
    chat.send(note)


def test_an_activitys_note_is_starred_from_its_confirmation(anna: Chat) -> None:
    log_with_note(anna, "Hier durf ik fouten te maken, zei Amal weer")
    assert "✅ Vastgelegd: taalcafé" in anna.text()
    out = anna.press("☆ Citaat")
    assert out.notice == ("⭐ Bewaard als citaat. De drie nieuwste citaten komen op de"
                          " eerste pagina van je verslag.")
    assert "⭐ “Hier durf ik fouten te maken, zei Amal weer”" in anna.text()
    user = anna.service.user(anna.who)
    [activity] = ActivityRepo(anna.service.store).of(user.id, user.active_community or 0)
    assert activity.starred
    data = snapshot(anna.service.store, user.id, user.active_community)
    assert data["communities"][0]["activities"][0]["starred"] is True
    assert anna.press("⭐ Citaat").notice == "☆ Geen citaat meer."
    assert not ActivityRepo(anna.service.store).of(user.id, user.active_community or 0)[0].starred


def test_no_star_without_a_note_and_a_stale_or_forged_star_says_so(anna: Chat,
                                                                  aservice: Service) -> None:
    log_with_note(anna, "Goede sfeer vanavond")
    anna.send("/activiteit")
    star = anna.button("☆ Citaat").data
    anna.press("🗑")
    assert anna.press_data(star).notice == "Deze activiteit is er niet meer."
    for forged in ("av:st:abc", "av:st:", "av:st:99999999999999999999", "av:st:²"):
        assert anna.press_data(forged).notice == "Deze activiteit is er niet meer."
    log_with_note(anna, "Goede avond")
    theirs = anna.button("☆ Citaat").data
    bram = Chat(aservice, telegram_id=2002, name="Bram")
    bram.onboard("Buurthuis", "buurt")
    assert bram.press_data(theirs).notice == "Deze activiteit is er niet meer."
    user = anna.service.user(anna.who)
    assert not ActivityRepo(aservice.store).of(user.id, user.active_community or 0)[0].starred
    anna.send("/activiteit")
    anna.press("Activiteit vastleggen")
    anna.press("taalcafé")
    anna.press("Vandaag")
    anna.send("Nog een avond")
    anna.send("9")
    anna.press("Weet ik niet")
    anna.press("Een ambassadeur")
    anna.press("Zonder notitie")
    assert len([label for label in anna.labels() if "Citaat" in label]) == 1  # not this one
