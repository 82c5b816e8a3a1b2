"""Phase 1 first, one rule everywhere (issue 23, point 7): work in the field is never
blocked, but every phase view, the summary and /doelen lead with phase 1 until it is done
(the weekly overview: tests/bot/features/goals/test_reminders.py; the library's frame:
tests/bot/features/library/test_library.py)."""

from __future__ import annotations

from tests.bot.features.talk.test_conversation import wrap_up
from tests.chat import Chat

LEAD = "☝️ Eerst fase 1 (nu"
PHASES = {2: "Kies je community", 3: "Definieer je community", 4: "Ken je community",
          5: "Visie en doelen", 6: "Werk met je community"}


def finish_phase_one(chat: Chat) -> None:
    user = chat.service.user(chat.who)
    assert user.active_community is not None
    for item in ("policy", "goals", "values", "frame", "fit"):
        chat.service.store.set_tick(user.active_community, f"p1.{item}", True)


def test_a_conversation_in_a_new_community_and_phase_4_tell_the_same(anna: Chat) -> None:
    anna.send("/gesprek Fatima")
    anna.send("Ze leidt het taalcafé")
    wrap_up(anna)
    end = anna.text()
    assert "✅ Fase 4 bijgewerkt: 4 onderdelen afgevinkt door dit gesprek (4/5)." in end
    assert f"{LEAD} 0/5" in end  # the summary says phase 1 comes first, too
    anna.send("/fase")
    assert anna.text().startswith(f"{LEAD} 0/5")
    anna.press("4. Ken je community · 4/5")
    text = anna.text()
    assert text.startswith(f"{LEAD} 0/5")
    assert "Fase 4 · Ken je community (4/5)" in text  # not blocked: what was done shows
    assert "✅ Open gesprek gevoerd" in anna.labels()
    anna.press("Naar fase 1")
    assert "Fase 1 · Strategie in kaart (0/5)" in anna.text()


def test_every_phase_view_leads_with_phase_one_until_it_is_done(anna: Chat) -> None:
    for number, title in PHASES.items():
        anna.send("/fase")
        anna.press(f"{number}. {title}")
        assert anna.text().startswith(f"{LEAD} 0/5"), number
        assert f"\n\nFase {number} · " in anna.text()  # the phase itself, right below
        assert "1️⃣ Naar fase 1" in anna.labels()
    anna.send("/fase")
    anna.press("1. Strategie in kaart")
    anna.press("Beleidsplan")
    anna.press("Alle fasen")
    assert anna.text().startswith(f"{LEAD} 1/5")
    finish_phase_one(anna)
    anna.send("/fase")
    assert "☝️" not in anna.text() and anna.text().startswith("De zes fasen")
    for number, title in PHASES.items():
        anna.send("/fase")
        anna.press(f"{number}. {title}")
        assert anna.text().startswith(f"Fase {number} · "), number
        assert "1️⃣ Naar fase 1" not in anna.labels()


def test_the_summary_and_the_goals_lead_with_phase_one(anna: Chat) -> None:
    anna.send("/samenvatting")
    assert anna.text().startswith(f"{LEAD} 0/5")
    assert "Community: Taalcafé Noord" in anna.text()  # the summary itself, below it
    anna.press("Naar fase 1")
    assert "Fase 1 · Strategie in kaart (0/5)" in anna.text()
    anna.send("/doelen")
    assert anna.text().startswith(f"{LEAD} 0/5")
    anna.press("Naar fase 1")
    assert "Fase 1 · Strategie in kaart (0/5)" in anna.text()
    finish_phase_one(anna)
    for command in ("/samenvatting", "/doelen"):
        anna.send(command)
        assert "☝️" not in anna.text() and "1️⃣ Naar fase 1" not in anna.labels(), command


def test_a_follow_up_after_phase_one_is_done_says_nothing_of_it(anna: Chat) -> None:
    finish_phase_one(anna)
    anna.send("/gesprek Fatima")
    anna.send("Ze leidt het taalcafé")
    wrap_up(anna)
    assert "Fase 4 bijgewerkt" in anna.text() and "☝️" not in anna.text()
