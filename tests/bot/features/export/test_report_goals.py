"""The Word community report holds each goal's chart (the reminders' chart, drawn from the
report's plain data) and its pace in page 1's table, and the conversations in brief."""

from __future__ import annotations

import io
from datetime import date

import docx as python_docx

from bot.features.export.files import render
from bot.features.export.report import Report
from bot.features.export.report_goals import draw
from storage.export import snapshot
from storage.goals import GoalRepo
from tests.chat import Chat

PNG = b"\x89PNG\r\n\x1a\n"


def a_goal(chat: Chat, specific: str, target: float) -> int:
    user = chat.service.user(chat.who)
    return GoalRepo(chat.service.store).add_goal(
        user.id, user.active_community or 0, specific=specific, metric="avonden", baseline=0,
        target=target, achievable="", relevant="", relevant_part=None,
        deadline=date(2027, 6, 1))


def talk(chat: Chat, person: str, note: str) -> None:
    chat.send(f"/gesprek {person}")
    chat.send(note)
    chat.press("Einde")
    chat.press("Ja")
    chat.press("Overslaan")
    chat.press("Ja")
    chat.press("Overslaan")
    chat.press("Overslaan")


def test_each_goal_has_its_chart_and_pace_and_conversations_are_in_brief(anna: Chat) -> None:
    user = anna.service.user(anna.who)
    reached = a_goal(anna, "Vier taalcafé-avonden", 4)
    GoalRepo(anna.service.store).log_progress(user.id, reached, 4, None)
    a_goal(anna, "Tien voorleesmiddagen", 10)
    behind = a_goal(anna, "Tien buurtlunches", 10)
    anna.service.store.db.execute("UPDATE goals SET created_at = ? WHERE id = ?",
                                  ("2026-01-01T09:00:00+00:00", behind))
    talk(anna, "Fatima, voorzitter", "Ze zoekt een ruimte voor het taalcafé op dinsdag")
    talk(anna, "Karim", "Hij wil vrijwilligers werven in de moskee")
    data = snapshot(anna.service.store, user.id, user.active_community)

    blocks = Report(data, anna.service.catalog).build()
    charts = [b for b in blocks if b.kind == "chart"]
    assert [b.text for b in charts] == ["Vier taalcafé-avonden", "Tien voorleesmiddagen",
                                        "Tien buurtlunches"]
    assert all(draw(b.chart or {}).startswith(PNG) for b in charts)  # plain data is enough

    document = python_docx.Document(io.BytesIO(render(data, anna.service.catalog, "docx")))
    pictures = [s for s in document.inline_shapes]
    assert len(pictures) == 3  # one chart per goal, in the Word file
    paces = {row.cells[0].text: row.cells[5].text for row in document.tables[0].rows[1:]}
    assert paces["Vier taalcafé-avonden"] == "gehaald"
    assert paces["Tien voorleesmiddagen"] == "op koers"  # created today, nothing expected yet
    # 329 of 516 days gone: the plan says 6.4 of 10 by now, so 7 whole ones
    assert paces["Tien buurtlunches"] == "achter: 0 van 10, volgens planning nu 7"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Gesprekken in het kort" in text
    brief = text.split("Gesprekken in het kort")[1]
    # one line per conversation; what they said stands under the questions, not again
    assert "Fatima (voorzitter) · 1 notitie" in brief
    assert "Karim · 1 notitie" in brief
    assert "Ze zoekt een ruimte" not in brief.split("Wat we deden")[0]
    assert brief.index("Fatima") < brief.index("Karim")
    assert "26 november 2026" in brief

    md = render(data, anna.service.catalog, "md").decode()
    assert "De grafiek zelf staat in het Word-verslag" in md
