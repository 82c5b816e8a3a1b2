"""An item is ticked only when what it asks is there, and a conversation's summary says
only what that conversation changed (issue 23, point 6)."""

from __future__ import annotations

from storage.store import Store
from tests.bot.features.fieldwork.test_fieldwork import open_phase, phase1_done
from tests.bot.features.goals.test_goals import add_goal
from tests.bot.features.talk.test_conversation import wrap_up
from tests.chat import Chat


def p4(chat: Chat) -> set[str]:
    user = chat.service.user(chat.who)
    assert user.active_community is not None
    return chat.service.store.ticks(user.active_community).get("p4", set())


def p6(chat: Chat) -> set[str]:
    user = chat.service.user(chat.who)
    assert user.active_community is not None
    return chat.service.store.ticks(user.active_community).get("p6", set())


def test_a_follow_up_that_changes_nothing_claims_no_ticks(anna: Chat) -> None:
    anna.send("/gesprek Fatima")
    anna.send("Ze leidt het taalcafé")
    anna.press("Ik vertelde ook")
    wrap_up(anna)
    assert "✅ Fase 4 bijgewerkt: 5 onderdelen afgevinkt door dit gesprek (5/5)." in anna.text()
    anna.send("/gesprek Fatima")  # a short follow-up; she answers "Nog niet" twice
    anna.send("Ze zoekt nog een ruimte voor dinsdag")
    wrap_up(anna, value="Nog niet", why=None, motivated="Nog niet")
    assert "Gesprek met Fatima" in anna.text()
    assert "Fase 4 bijgewerkt" not in anna.text() and "afgevinkt" not in anna.text()
    assert p4(anna) == {"meet", "open", "share", "value", "motivated"}


def test_not_yet_leaves_the_reflection_items_open(anna: Chat) -> None:
    anna.send("/gesprek Fatima")
    anna.send("Ze leidt het taalcafé")
    wrap_up(anna, value="Nog niet", why="We kennen elkaar nog te weinig", motivated="Nog niet")
    assert "✅ Fase 4 bijgewerkt: 2 onderdelen afgevinkt door dit gesprek (2/5)." in anna.text()
    assert p4(anna) == {"meet", "open"}
    # The next conversation answers them: only what it changed is counted.
    anna.send("/gesprek Fatima")
    anna.send("Ze wil samen een voorleesochtend opzetten")
    wrap_up(anna, value="Ja", motivated="Nee")
    assert "✅ Fase 4 bijgewerkt: 2 onderdelen afgevinkt door dit gesprek (4/5)." in anna.text()
    assert p4(anna) == {"meet", "open", "value", "motivated"}


def test_one_outcome_is_no_plan_for_recording_outcomes(anna: Chat) -> None:
    anna.send("/activiteit")
    anna.press("Opbrengst vastleggen")
    anna.press("Een reeks activiteiten")
    anna.send("Elke eerste dinsdag een taalcafé, door bewoners zelf georganiseerd")
    assert "Je vindt de opbrengst terug" in anna.text()
    assert "record" not in p6(anna)
    anna.send("/fase")
    anna.press("6. ")
    assert "⬜ Hoe je de opbrengsten vastlegt ✍️" in anna.labels()
    anna.press("Hoe je de opbrengsten vastlegt")
    anna.send("We houden een logboek bij in de gedeelde map van het taalcafé")
    assert "record" in p6(anna)


def test_an_ambassador_alone_does_not_tick_the_roles(anna: Chat) -> None:
    anna.send("/activiteit")
    anna.press("Ambassadeur of partner")
    anna.send("Fatima")
    anna.press("Ambassadeur uit de community")
    assert "🤝 Fatima staat erbij als ambassadeur." in anna.text()
    assert "roles" not in p6(anna)  # the library's role is not written yet
    anna.send("/fase")
    anna.press("6. ")
    assert "⬜ Rollen: ambassadeurs en bibliotheek ✍️" in anna.labels()
    assert "Fatima (ambassadeur)" in anna.text()  # still listed under the item
    anna.press("Rollen")
    anna.send("De bieb regelt de zaal op dinsdag, Fatima zorgt voor de inhoud")
    assert "roles" in p6(anna)


def test_without_any_frame_nothing_can_be_checked_against_it(chat: Chat, store: Store) -> None:
    community = phase1_done(chat, store)
    store.db.execute("DELETE FROM answers WHERE community_id = ?", (community,))
    open_phase(chat, 2, "Kies je community")
    chat.press("Getoetst aan de kapstok")
    assert "Je kapstok: nog niet beschreven" in chat.text()
    assert "✅ Ja, past" not in chat.labels()
    # no question whose answers are not offered: it says what to do first
    assert "Past Taalcafé Noord bij" not in chat.text()
    assert "Beschrijf eerst je kapstok in fase 1" in chat.text()
    assert "fits" not in store.ticks(community).get("p2", set())
    chat.press_data(chat.button("Kapstok bijwerken").data.replace("frame", "yes"))  # stale
    assert "fits" not in store.ticks(community).get("p2", set())


def test_deleting_the_last_smart_goal_leaves_its_item_open(anna: Chat) -> None:
    add_goal(anna, own="Past bij taal en ontmoeting")
    anna.press("Opslaan")
    user = anna.service.user(anna.who)
    assert user.active_community is not None
    assert "smart" in anna.service.store.ticks(user.active_community)["p5"]
    anna.send("/doelen")
    anna.press("Doel verwijderen")
    anna.press("wekelijks taalcafé")
    anna.press("Ja, verwijderen")
    assert "smart" not in anna.service.store.ticks(user.active_community).get("p5", set())
