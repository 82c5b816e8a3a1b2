"""Sharing a community through the bot: invite, accept, see each other's work, remove,
hand over; and every bad input the issue names."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app.messenger import Delivery
from bot.app.registry import Service
from bot.features.sharing.feature import deliver_waiting
from dialogs.catalog import Catalog
from dialogs.replies import Reply
from storage.membership import Members
from storage.store import Store, User
from storage.team import Outbox
from tests.access_helpers import full_service
from tests.chat import Chat

ANNA_TG, BRAM_TG, CEES_TG = 1001, 1002, 1003


@pytest.fixture
def service(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data")


@pytest.fixture
def team(service: Service) -> tuple[Chat, Chat, Chat]:
    anna = Chat(service, telegram_id=ANNA_TG, name="Anna")
    bram = Chat(service, telegram_id=BRAM_TG, name="Bram")
    cees = Chat(service, telegram_id=CEES_TG, name="Cees")
    anna.onboard("Wijk Zwaan", "taal")
    bram.onboard("Eigen Kievit", "lezen")
    return anna, bram, cees


def me(store: Store, chat: Chat) -> User:
    found = store.user_by_telegram(chat.who.telegram_id or 0)
    assert found is not None
    return found


def inbox(service: Service, chat: Chat) -> list[Reply]:
    """Everything the team-message job has sent this librarian so far (each message once:
    the job empties the outbox)."""
    mail: dict[int, list[Reply]] = service.__dict__.setdefault("test_mail", {})

    async def send(chat_id: int, replies: list[Reply]) -> Delivery:
        mail.setdefault(chat_id, []).extend(replies)
        return Delivery.SENT

    asyncio.run(deliver_waiting(service, send))
    assert Outbox(service.store).waiting() == []
    return mail.get(chat.who.telegram_id or 0, [])


def share(anna: Chat, name: str) -> None:
    anna.send("/community")
    anna.press("Delen")
    anna.press("Collega uitnodigen")
    anna.press(name)


def accept(service: Service, chat: Chat) -> None:
    invitation = inbox(service, chat)[-1]
    chat.press_data(invitation.buttons[0][0].data)


def test_anna_shares_and_bram_sees_her_work_and_adds_his(
        service: Service, store: Store, team: tuple[Chat, Chat, Chat]) -> None:
    anna, bram, _ = team
    anna.send("Fatima van de moskee wil een taalcafé")
    anna.send("/community")
    anna.press("Delen")
    assert "Anna (eigenaar)" in anna.text()
    anna.press("Collega uitnodigen")
    assert "Bram" in anna.labels() and "Anna" not in anna.labels()
    anna.press("Bram")
    assert "Uitnodiging verstuurd naar Bram" in anna.text()
    assert "Bram (uitgenodigd)" in anna.text()
    invitation = inbox(service, bram)
    assert "Anna wil de community Wijk Zwaan met je delen" in invitation[0].text
    bram.press_data(invitation[0].buttons[0][0].data)
    assert "Je doet nu mee met Wijk Zwaan" in bram.text()
    assert "Bram doet nu mee met Wijk Zwaan" in inbox(service, anna)[0].text
    bram.send("/community")
    assert "• Wijk Zwaan — taal 🤝" in bram.text() and "• Eigen Kievit — lezen\n" in bram.text()
    bram.send("Ahmed van het buurthuis doet mee")
    assert "Wijk Zwaan" in bram.text()
    bram.send("/zoek moskee")
    assert "Fatima" in bram.text() and "Anna, " in bram.text()
    anna.send("/zoek buurthuis")
    assert "Ahmed" in anna.text() and "Bram, " in anna.text()
    anna.send("/zoek taalcafé")
    assert "Anna, " not in anna.text()  # her own notes carry no name
    # Bram's own community stays his: Anna does not find it.
    bram.send("/community")
    bram.press("Wisselen")
    bram.press("Eigen Kievit")
    bram.send("Kievitsbloem in de tuin")
    anna.send("/zoek kievitsbloem")
    assert "Kievitsbloem" not in anna.text()


def test_bad_inputs_when_sharing(service: Service, store: Store,
                                 team: tuple[Chat, Chat, Chat]) -> None:
    anna, bram, cees = team
    cid = me(store, anna).active_community
    bram_id = me(store, bram).id
    # Oneself, forged into a press: refused in words.
    anna.press_data(f"sh:inv:{cid}:{me(store, anna).id}")
    assert "Met jezelf delen hoeft niet" in anna.text()
    # Someone whose access was revoked.
    with store.atomic():
        store.db.execute("UPDATE users SET status = 'revoked' WHERE id = ?", (me(store, cees).id,))
    anna.press_data(f"sh:inv:{cid}:{me(store, cees).id}")
    assert "geen toegang" in anna.text()
    # Twice.
    share(anna, "Bram")
    anna.press_data(f"sh:inv:{cid}:{bram_id}")
    assert "Bram is al uitgenodigd" in anna.text()
    assert len(inbox(service, bram)) == 1
    assert len(inbox(service, bram)) == 1  # not sent again


def test_withdrawn_or_handed_over_invitation_cannot_be_accepted(
        service: Service, store: Store, team: tuple[Chat, Chat, Chat]) -> None:
    anna, bram, cees = team
    share(anna, "Bram")
    anna.press("intrekken")
    assert "uitgenodigd" not in anna.text()
    accept(service, bram)
    assert "Deze uitnodiging geldt niet meer" in bram.text()
    share(anna, "Bram")
    share(anna, "Cees")
    accept(service, cees)
    anna.send("/community")
    anna.press("Delen")
    anna.press("Overdragen aan Cees")
    assert "Cees wordt eigenaar" in anna.text()
    anna.press("Ja, draag over")
    assert "Cees is nu eigenaar" in anna.text()
    assert "aan jou overgedragen" in inbox(service, cees)[-1].text
    accept(service, bram)
    assert "Deze uitnodiging geldt niet meer" in bram.text()
    bram.send("/community")
    assert "Wijk Zwaan" not in bram.text()


def test_removed_member_and_forged_buttons_see_nothing(
        service: Service, store: Store, team: tuple[Chat, Chat, Chat]) -> None:
    anna, bram, cees = team
    cid = me(store, anna).active_community
    share(anna, "Bram")
    accept(service, bram)
    bram.send("/community")
    bram.press("Delen")
    old = bram.button("Niet meer meedoen").data
    anna.send("/community")
    anna.press("Delen")
    anna.press("Bram verwijderen")
    assert "Bram" not in anna.text()
    assert "uit de community Wijk Zwaan gehaald" in inbox(service, bram)[-1].text
    assert me(store, bram).active_community is None
    out = bram.press_data(old)
    assert "Je doet niet (meer) mee" in bram.text() and out.notice
    for forged in (f"sh:show:{cid}", f"sh:pick:{cid}:0", f"sh:inv:{cid}:{me(store, cees).id}",
                   f"sh:rm:{cid}:{me(store, anna).id}", f"sh:hoy:{cid}:{me(store, bram).id}",
                   f"sh:show:{cid + 99}", "sh:yes:1", "sh:show:x"):
        cees.press_data(forged)
        assert "Wijk Zwaan" not in cees.text(), forged
    assert Members(store).role(me(store, anna).id, cid or 0) == "owner"
    # A member may not manage: Bram, back in, cannot invite or remove.
    share(anna, "Bram")
    accept(service, bram)
    bram.press_data(f"sh:rm:{cid}:{me(store, anna).id}")
    assert "Dat kan alleen de eigenaar" in (bram.last.notice or "")
    assert Members(store).role(me(store, anna).id, cid or 0) == "owner"


def test_the_owner_cannot_leave_before_handing_over(
        service: Service, store: Store, team: tuple[Chat, Chat, Chat]) -> None:
    anna, bram, _ = team
    cid = me(store, anna).active_community
    share(anna, "Bram")
    accept(service, bram)
    anna.press_data(f"sh:leave:{cid}")
    assert "Draag de community eerst over" in (anna.last.notice or "")
    assert Members(store).role(me(store, anna).id, cid or 0) == "owner"
    bram.send("/community")
    bram.press("Delen")
    bram.press("Niet meer meedoen")
    assert "Je doet niet meer mee met Wijk Zwaan" in bram.text()
    assert "Bram doet niet meer mee" in inbox(service, anna)[-1].text


def test_an_action_given_to_a_member_is_theirs_to_do(
        service: Service, store: Store, team: tuple[Chat, Chat, Chat]) -> None:
    from datetime import date

    from storage.actions import ActionRepo

    anna, bram, _ = team
    share(anna, "Bram")
    accept(service, bram)
    anna.send("actie: zaal boeken morgen")
    anna.send("/acties")
    anna.press("👤")
    assert "Wie pakt dit op: zaal boeken" in anna.text()
    anna.press("Bram")
    assert "Bram pakt het op" in anna.text()
    told = inbox(service, bram)[-1].text
    assert "heeft in Wijk Zwaan een actie bij jou neergelegd: zaal boeken" in told
    anna.send("/acties")
    assert "👤 Bram" in anna.text()
    repo, later = ActionRepo(store), date(2030, 1, 1)
    assert [a.what for a in repo.due_by(me(store, bram).id, later)] == ["zaal boeken"]
    assert repo.due_by(me(store, anna).id, later) == []
    # Removed, Bram's old button finds nothing, and the action is Anna's again.
    old = anna.button("👤").data
    anna.send("/community")
    anna.press("Delen")
    anna.press("Bram verwijderen")
    bram.press_data(old)
    assert "bestaat niet meer, of je doet niet meer mee" in bram.text()
    bram.press_data(old + f":{me(store, bram).id}")
    assert [a.what for a in repo.due_by(me(store, anna).id, later)] == ["zaal boeken"]


def test_a_colleagues_conversation_carries_their_name_in_the_summary(
        service: Service, store: Store, team: tuple[Chat, Chat, Chat]) -> None:
    from storage.talk import TalkRepo

    anna, bram, _ = team
    share(anna, "Bram")
    accept(service, bram)
    cid = me(store, anna).active_community or 0
    with store.atomic():
        talk = TalkRepo(store)
        for who, person in ((me(store, bram).id, "Ahmed"), (me(store, anna).id, "Fatima")):
            talk.start(who, cid, talk.add_person(who, cid, person, None, None), "buurthuis")
    anna.send("/samenvatting")
    lines = [line for line in anna.text().splitlines() if "— Ahmed" in line or "— Fatima" in line]
    assert len(lines) == 2
    assert lines[0].startswith("• Bram, ") and "— Ahmed" in lines[0]
    assert lines[1].startswith("• ") and "Anna" not in lines[1]  # her own: no name


def test_forgetting_a_person_in_a_shared_community_covers_every_members_notes(
        service: Service, store: Store, team: tuple[Chat, Chat, Chat]) -> None:
    from tests.bot.features.people.test_people import conversation_with, open_entry

    anna, bram, cees = team
    share(anna, "Bram")
    accept(service, bram)
    conversation_with(anna, "Fatima Yilmaz", ["Fatima organiseert het taalcafé"])
    anna.send("/annuleer")
    bram.send("Fatima belde over de zaal")  # Bram's note in the shared community
    cees.onboard("Tuinclub", "tuin")
    cees.send("Fatima van de tuinclub")  # another Fatima, of someone not in the community
    bram.send("/community")
    bram.press("Wisselen")
    bram.press("Wijk Zwaan")
    # Bram, a member, honours Fatima's request: Anna's texts go too, not only his.
    open_entry(bram, "Fatima Yilmaz")
    bram.press("Vergeet deze persoon")
    bram.press("Ja, vergeet")
    texts = [r["text"] for r in store.rows("SELECT text FROM notes ORDER BY id")]
    turns = [r["text"] for r in store.rows("SELECT text FROM transcript ORDER BY id")]
    assert "[naam verwijderd] organiseert het taalcafé" in turns
    assert "[naam verwijderd] belde over de zaal" in texts
    assert "Fatima van de tuinclub" in texts  # not a member's: untouched
    assert store.rows("SELECT name FROM people") == []
