"""Ambassadors and partners from the people met: one tap (paged), a typed name still works,
and a forged person button adds nothing."""

from __future__ import annotations

from storage.collaboration import CollaborationRepo
from storage.talk import TalkRepo
from tests.chat import Chat


def roles(chat: Chat) -> list[tuple[str, str, int | None]]:
    user = chat.service.user(chat.who)
    return [(r["name"], r["role"], r["person_id"]) for r in chat.service.store.rows(
        "SELECT name, role, person_id FROM roles WHERE user_id = ? AND community_id = ?"
        " ORDER BY id", (user.id, user.active_community))]


def meet(chat: Chat, *names: str) -> list[int]:
    user = chat.service.user(chat.who)
    talk = TalkRepo(chat.service.store)
    return [talk.add_person(user.id, user.active_community, name, None, None)
            for name in names]


def test_someone_met_is_one_tap_on_a_later_page_and_a_typed_name_still_works(
        anna: Chat) -> None:
    names = ["Fatima"] + [f"Persoon {n}" for n in range(1, 12)]
    ids = meet(anna, *names)  # the newest met come first: Fatima on the second page
    anna.send("/activiteit")
    anna.press("Ambassadeur of partner")
    assert "Tik op iemand die je sprak" in anna.text()
    assert "Fatima" not in anna.labels()  # past the first page
    anna.press("Volgende ›")
    anna.press("Fatima")
    anna.press("Ambassadeur uit de community")
    assert "🤝 Fatima staat erbij als ambassadeur." in anna.text()
    anna.press("Ambassadeur of partner")
    anna.send("Stichting Buurtkracht")
    anna.press("Partner")
    assert roles(anna) == [("Fatima", "ambassador", ids[0]),
                           ("Stichting Buurtkracht", "partner", None)]


def test_a_forged_person_button_adds_no_role(anna: Chat) -> None:
    bram = Chat(anna.service, telegram_id=2002, name="Bram")
    bram.onboard("Moestuin Zuid", "groen")
    [theirs] = meet(bram, "Geheim")
    meet(anna, "Fatima")
    anna.send("/activiteit")
    anna.press("Ambassadeur of partner")
    rev = anna.button("Fatima").data.split(".")[0]  # this step's revision
    anna.press_data(f"{rev}.d:#{theirs}")  # another librarian's person
    assert "Geheim" not in anna.text()
    assert roles(anna) == []
    user = anna.service.user(anna.who)
    assert CollaborationRepo(anna.service.store).roles(user.id, user.active_community or 0) \
        == []
