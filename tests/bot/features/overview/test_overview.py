"""/overzicht for admins: counts, progress and pace of every community, never its contents."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image

from bot.app.registry import Service
from bot.app.service import Incoming
from bot.features.overview.feature import Overview, chart_rows
from dialogs.catalog import Catalog
from dialogs.replies import MAX_TEXT, resolved
from storage.actions import ActionRepo
from storage.goals import GoalRepo
from storage.store import Store
from tests.access_helpers import Clock, full_service
from tests.chat import Chat
from tests.fakebotapi.limits import check_keyboard

ADMIN = 9_000_001
# Contents an admin must never see through the overview.
PLANTED = ["Zeer geheime notitie over de buurvrouw", "Fatima Yilmaz",
           "Transcriptzin over ruzie", "Samenvatting met gevoelige zaken",
           "Antwoord over het beleidsplan", "Kapstoktekst Noord", "Doeltitel met Pietje erin",
           "Actie voor Marietje"]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Store:
    s = Store(db_path, clock=clock)
    yield s  # type: ignore[misc]
    s.close()


@pytest.fixture
def service(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data", admins=(ADMIN,))


@pytest.fixture
def boss(service: Service) -> Chat:
    return Chat(service, telegram_id=ADMIN, name="Bea")


def plant(service: Service, chat: Chat) -> int:
    """A community full of contents: notes, a person met, a conversation with transcript and
    summary, answers, a goal and actions. Returns the community's id."""
    store = service.store
    chat.onboard("Taalcafé Noord")
    user = store.user_by_telegram(chat.who.telegram_id or 0)
    assert user is not None and user.active_community is not None
    cid, uid = user.active_community, user.id
    now = store.now()
    with store.atomic():
        store.add_note(uid, cid, PLANTED[0], [], None)
        person = store.db.execute(
            "INSERT INTO people (user_id, community_id, name, created_at) VALUES (?, ?, ?, ?)",
            (uid, cid, PLANTED[1], now)).lastrowid
        talk = store.db.execute(
            "INSERT INTO conversations (user_id, community_id, person_id, started_at, status,"
            " summary) VALUES (?, ?, ?, ?, 'done', ?)", (uid, cid, person, now, PLANTED[3])
        ).lastrowid
        store.db.execute("INSERT INTO transcript (conversation_id, user_id, who, text,"
                         " created_at) VALUES (?, ?, 'them', ?, ?)", (talk, uid, PLANTED[2], now))
        store.set_answer(cid, "phase1.policy", PLANTED[4])
        store.set_answer(cid, "phase1.frame", PLANTED[5])
        for item in ("p1.policy", "p1.goals", "p1.frame", "p2.kind"):
            store.set_tick(cid, item, True)
        goals = GoalRepo(store)
        behind = goals.add_goal(uid, cid, specific=PLANTED[6], metric="deelnemers", baseline=0,
                                target=10, achievable="", relevant="", relevant_part=None,
                                deadline=date(2025, 4, 2))
        goals.add_goal(uid, cid, specific="Tweede doel", metric="bijeenkomsten", baseline=0,
                       target=4, achievable="", relevant="", relevant_part=None,
                       deadline=date(2025, 12, 31))
        goals.log_progress(uid, behind, 1, "met Pietje")
        ActionRepo(store).add(uid, cid, PLANTED[7], due=date(2025, 3, 1))
        ActionRepo(store).add(uid, cid, "Bellen", due=date(2025, 3, 20))
    return cid


def test_a_librarian_who_is_not_an_admin_is_told_so_and_sees_nothing(
        service: Service, chat: Chat) -> None:
    plant(service, chat)
    chat.send("/overzicht")
    assert chat.text() == "Dat kan alleen een beheerder. Vraag de beheerder van je bibliotheek."
    assert chat.labels() == []
    for data in ("ov:csv", "ov:png", "ov:pg:1", "ov:fr"):  # forged overview buttons
        out = chat.press_data(data)
        assert out.replies == [] and out.notice is not None and "beheerder" in out.notice


def test_no_communities_yet_says_so_and_offers_the_library_frame(boss: Chat) -> None:
    boss.send("/overzicht")
    assert "Er zijn nog geen community's" in boss.text()
    assert boss.labels() == ["🏛️ Kapstok van de bibliotheek"]
    boss.press_data("ov:csv")  # an old button once communities are gone: the same answer
    assert "Er zijn nog geen community's" in boss.text()
    assert not any(r.attachments for r in boss.last.replies)


def test_an_admin_sees_counts_progress_and_pace_and_no_contents(
        service: Service, chat: Chat, boss: Chat, clock: Clock) -> None:
    plant(service, chat)
    clock.advance(days=10)  # 13 March: the first goal is behind, one action overdue
    boss.send("/overzicht")
    text = boss.text()
    assert "🏘️ Taalcafé Noord" in text
    assert "Eigenaar: Anna" in text
    assert "Fasen 1–6: 3/5 · 1/5 · 0/3 · 0/5 · 0/5 · 0/4" in text
    assert "Gesprekken, laatste 30 dagen: 1" in text
    assert "Doelen: 2 doelen — 1 op schema, 1 achter (voortgang: 10% · 0%)" in text
    assert "Acties: 2 open, waarvan 1 te laat" in text
    assert "Laatst actief: 3 maart 2025" in text
    boss.press("CSV")
    (document,) = boss.last.replies[0].attachments
    table = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig")), delimiter=";"))
    assert table[1][:4] == ["Taalcafé Noord", "Anna", "Anna", "3"]
    assert table[1][-3:] == ["2", "1", "2025-03-03"]
    boss.press("Grafiek")
    assert [a.kind for a in boss.last.replies[0].attachments] == ["photo"]
    overview = service.features["overview"]
    assert isinstance(overview, Overview)
    found = overview._rows(boss.service.store.user_by_telegram(ADMIN))  # noqa: SLF001
    sources = [text, document.content.decode("utf-8-sig"), repr(found), repr(chart_rows(found))]
    for planted in PLANTED:
        for source in sources:
            assert planted not in source, planted


def test_two_hundred_communities_are_paged_charted_in_pieces_and_all_in_the_csv(
        service: Service, boss: Chat) -> None:
    store = service.store
    with store.atomic():
        owner = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                                  telegram_id=1001)
        for n in range(200):
            store.create_community(owner.id, f"Community {n:03d} met een tamelijk lange naam", None)
    boss.send("/overzicht")
    seen: set[str] = set()
    pages = 0
    while True:
        pages += 1
        reply = boss.last.replies[-1]
        assert len(reply.text) <= MAX_TEXT
        seen |= {line[3:] for line in reply.text.splitlines() if line.startswith("🏘️")}
        if "Volgende ›" not in boss.labels():
            break
        boss.press("Volgende ›")
    assert pages == 25 and len(seen) == 200
    boss.press("Grafiek")
    photos = boss.last.replies[0].attachments
    assert len(photos) == 8  # pieces of 25 communities: one PNG of 200 rows is unreadable
    for photo in photos:
        width, height = Image.open(io.BytesIO(photo.content)).size
        assert width + height <= 10_000 and height / width <= 20  # Telegram's photo limits
        assert len(photo.content) <= 10 * 1024 * 1024
    boss.press("CSV")
    (document,) = boss.last.replies[0].attachments
    table = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig")), delimiter=";"))
    assert len(table) == 201
    assert {row[0] for row in table[1:]} == {f"Community {n:03d} met een tamelijk lange naam"
                                            for n in range(200)}
    assert "200 community's" in (document.caption or "")


def test_forged_and_outdated_overview_buttons_change_nothing(
        service: Service, chat: Chat, boss: Chat) -> None:
    plant(service, chat)
    for data in ("ov:pg:x", "ov:pg:-1", "ov:zip", "ov:csv:1", "ov:fr:7", "ov:"):
        out = boss.press_data(data)
        assert out.replies == [] and out.notice == boss.service.t(
            boss.service.store.user_by_telegram(ADMIN), "stale_button")  # type: ignore[arg-type]
    boss.press_data("ov:pg:99")  # a page past the end shows the last one
    assert "🏘️ Taalcafé Noord" in boss.text()
    check_keyboard({"reply_markup": {"inline_keyboard": [
        [{"text": b.label, "callback_data": b.data} for b in row]
        for row in boss.last.replies[0].buttons]}})


def test_an_admin_who_is_not_a_member_gets_nothing_from_buttons_that_open_contents(
        service: Service, chat: Chat, boss: Chat) -> None:
    cid = plant(service, chat)
    boss.onboard("Eigen wijk")
    note = service.store.notes(service.store.user_by_telegram(1001).id)[0]  # type: ignore[union-attr]
    actions = [r["id"] for r in service.store.rows("SELECT id FROM actions")]
    goals = [r["id"] for r in service.store.rows("SELECT id FROM goals")]
    presses = [f"ex:s:{cid}", f"ex:f:{cid}:json", f"ex:f:{cid}:md", f"ex:f:{cid}:csv",
               f"file:{note.id}:p1.frame", f"file:{note.id}:-",
               *(f"act:{kind}:{a}" for a in actions for kind in ("l", "c", "d")),
               *(f"goal:log:{g}" for g in goals)]
    for data in presses:
        out = boss.press_data(data)
        said = "\n".join([r.text for r in out.replies] + [out.notice or ""])
        contents = b"".join(a.content for r in out.replies for a in r.attachments)
        for planted in PLANTED:
            assert planted not in said and planted.encode() not in contents, (data, planted)
    boss.send("/zoek buurvrouw")
    assert PLANTED[0] not in boss.text()
    assert service.store.rows("SELECT done_at FROM actions WHERE done_at IS NOT NULL") == []


def test_last_activity_and_conversations_follow_the_clock(
        service: Service, chat: Chat, boss: Chat, clock: Clock) -> None:
    plant(service, chat)
    clock.advance(days=31)
    boss.send("/overzicht")
    assert "Gesprekken, laatste 30 dagen: 0" in boss.text()
    assert "Laatst actief: 3 maart 2025" in boss.text()
    chat.send("Nieuwe notitie in de wijk vandaag")
    boss.send("/overzicht")
    assert f"Laatst actief: {(date(2025, 3, 3) + timedelta(days=31)).day} april 2025" in boss.text()


def test_the_chart_and_the_csv_are_made_off_the_event_loop(
        service: Service, chat: Chat, boss: Chat) -> None:
    """The press only reads the figures; drawing and writing happen in `later`, which the
    Telegram front end runs in a worker thread (so no other librarian waits for them)."""
    plant(service, chat)
    for data in ("ov:png", "ov:csv"):
        out = service.handle(boss.who, Incoming(kind="press", data=data, update_id=None))
        (reply,) = out.replies
        assert reply.later is not None and reply.attachments == []
        assert resolved(reply).attachments  # made when the front end asks for it
