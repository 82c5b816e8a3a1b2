"""The weekly overview says briefly what colleagues added to shared communities."""

from __future__ import annotations

from datetime import timedelta

from bot.app.registry import Service
from bot.features.goals.reminders import ReminderTick
from storage.actions import ActionRepo
from storage.collaboration import CollaborationRepo
from storage.membership import Members
from storage.talk import TalkRepo
from tests.bot.features.goals import test_reminders as base
from tests.bot.features.goals.test_goals import Clock
from tests.bot.features.goals.test_reminders import MONDAY_NINE, FakeSender, run
from tests.bot.features.sharing.test_sharing import accept, me, share
from tests.chat import Chat

# The weekly overview's fixtures (a clock, the service, Anna onboarded, a fake sender).
clock, gservice, anna, sender, tick = (base.clock, base.gservice, base.anna, base.sender,
                                       base.tick)


def test_colleagues_work_of_the_week_in_a_line(gservice: Service, anna: Chat,
                                                 tick: ReminderTick, sender: FakeSender,
                                                 clock: Clock) -> None:
    store = gservice.store
    bram = Chat(gservice, telegram_id=1002, name="Bram")
    bram.onboard("Eigen Tuin", "tuin")
    share(anna, "Bram")
    accept(gservice, bram)
    cid = me(store, anna).active_community or 0
    bram_id, anna_id = me(store, bram).id, me(store, anna).id
    assert run(tick) == 0
    clock.now = MONDAY_NINE - timedelta(days=2)
    with store.atomic():
        talk = TalkRepo(store)
        person = talk.add_person(bram_id, cid, "Ahmed", None, None)
        talk.start(bram_id, cid, person, "buurthuis")
        CollaborationRepo(store).add_outcome(bram_id, cid, "knowledge", "Wat de buurt leest")
        action = ActionRepo(store).add(bram_id, cid, "zaal boeken")
        Members(store).assign(bram_id, action, anna_id)
        # Anna's own work is not news to her.
        CollaborationRepo(store).add_outcome(anna_id, cid, "product", "Leesclub")
    clock.now = MONDAY_NINE
    run(tick)
    texts = {chat_id: replies[0].text for chat_id, replies in sender.sent}
    assert "🤝 Deze week bij je collega's:\n• Taalcafé Noord: 1 nieuw gesprek, 1 opbrengst," \
           " 1 actie voor jou" in texts[1001]
    assert "1 opbrengst" in texts[1002] and "gesprek" not in texts[1002]
