"""The delivery safety net, the patient rate limiter, error logs and the poller, in-process."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from bot.app.registry import Service
from bot.app.service import Defaults, Incoming, Outcome, Who
from bot.ops.logsafe import error_summary
from bot.telegram.app import build_application
from bot.telegram.delivery import Delivery, PatientRateLimiter, resend_lost
from bot.telegram.polling import Poller
from dialogs.catalog import Catalog
from dialogs.replies import Reply
from storage.delivery import DeliveryLog
from storage.store import Store
from tests.bot.fakerequest import factory
from tests.chat import Chat
from tests.fakebotapi import FakeBotAPI

ANNA = Who(telegram_id=1001, name="Anna", language_code="nl")
_ids = itertools.count(50_000)


def say(delivery: Delivery, text: str, kind: str = "text") -> Outcome:
    event = (Incoming(kind="command", command=text[1:], update_id=next(_ids))
             if kind == "command" else Incoming(kind="text", text=text, update_id=next(_ids)))
    return delivery.handle(ANNA, event)


def texts(outcome: Outcome) -> list[str]:
    return [r.text for r in outcome.replies]


def notes(service: Service) -> list[str]:
    user = service.store.user_by_telegram(1001)
    assert user is not None
    return [n.text for n in service.store.notes(user.id)]


@pytest.fixture
def anna(service: Service) -> Chat:
    chat = Chat(service, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    return chat


def test_a_delivered_reply_leaves_no_trace(service: Service, anna: Chat) -> None:
    delivery = Delivery(service)
    outcome = say(delivery, "Sanne wil een leesclub #leesclub")
    assert delivery.log.waiting() != []
    delivery.delivered(outcome, None)  # another update's reply: still waiting
    assert delivery.log.waiting() != []
    update_id = delivery.log.waiting()[0].update_id
    delivery.delivered(outcome, update_id)
    assert delivery.log.waiting() == []
    assert "Mijn vorige antwoord" not in " ".join(texts(say(delivery, "nog een notitie hier")))


def test_text_after_a_lost_question_is_kept_as_a_note_and_the_step_shown(
        service: Service, anna: Chat) -> None:
    delivery = Delivery(service)
    anna.send("/fase")
    anna.press("1. Strategie")
    lost = delivery.handle(ANNA, Incoming(kind="press", data=anna.button("Kapstok").data,
                                          update_id=next(_ids)))
    assert "Beschrijf je kapstok" in texts(lost)[0]  # ...but it never reached Anna
    outcome = say(delivery, "Wij staan voor leesplezier")
    assert texts(outcome)[0] == "📝 Genoteerd bij Taalcafé Noord."
    assert texts(outcome)[-1].startswith("Mijn vorige antwoord is misschien niet bij je "
                                         "aangekomen. Niets van wat je stuurde is verloren. "
                                         "Hier was je gebleven:\n\nBeschrijf je kapstok")
    assert notes(service) == ["Wij staan voor leesplezier"]
    user = service.store.user_by_telegram(1001)
    assert user is not None and service.store.state(user.id).step == "frame"


def test_a_command_after_a_lost_reply_gets_the_notice_first(service: Service,
                                                            anna: Chat) -> None:
    delivery = Delivery(service)
    say(delivery, "een notitie waarvan het antwoord zoekraakt")
    outcome = say(delivery, "/help", kind="command")
    assert texts(outcome)[0] == ("Mijn vorige antwoord is misschien niet bij je aangekomen. "
                                 "Niets van wat je stuurde is verloren.")
    assert "Veldgids begeleidt je" in texts(outcome)[1]


def test_during_onboarding_the_text_is_still_the_answer(service: Service) -> None:
    Chat(service, telegram_id=1001, name="Anna")  # admitted, no community yet
    delivery = Delivery(service)
    say(delivery, "/start", kind="command")  # the question "which community?" gets lost
    outcome = say(delivery, "Taalcafé Noord")
    assert "Mijn vorige antwoord" in texts(outcome)[0]
    assert any("Rond welk thema draait Taalcafé Noord" in t for t in texts(outcome))


def test_duplicates_and_strangers_leave_no_trace(service: Service, anna: Chat) -> None:
    delivery = Delivery(service)
    event = Incoming(kind="text", text="eenmaal is genoeg", update_id=next(_ids))
    first = delivery.handle(ANNA, event)
    delivery.delivered(first, event.update_id)
    again = delivery.handle(ANNA, event)
    assert again.duplicate and delivery.log.waiting() == []
    stranger = delivery.handle(Who(telegram_id=2901, name="X"),
                               Incoming(kind="text", text="hoi", update_id=next(_ids)))
    assert stranger.user_id is None and delivery.log.waiting() == []
    assert service.store.user_by_telegram(2901) is None


async def test_at_start_up_everyone_who_missed_a_reply_is_shown_their_step(
        service: Service, anna: Chat) -> None:
    delivery = Delivery(service)
    anna.send("/fase")
    say(delivery, "Sanne belt dinsdag terug")  # a note on the phases overview; reply lost
    sent: list[tuple[int, Reply]] = []

    async def send(chat_id: int, reply: Reply) -> None:
        sent.append((chat_id, reply))

    assert await resend_lost(delivery, send) == 1
    chat_id, reply = sent[0]
    assert chat_id == 1001 and reply.text.startswith("Mijn vorige antwoord")
    assert "De zes fasen" in reply.text and reply.buttons
    assert delivery.log.waiting() == []


async def test_a_failed_resend_keeps_the_user_waiting(service: Service, anna: Chat) -> None:
    delivery = Delivery(service)
    say(delivery, "Nog een notitie voor later")

    async def refuse(chat_id: int, reply: Reply) -> None:
        raise Forbidden("Forbidden: bot was blocked by the user")

    assert await resend_lost(delivery, refuse) == 0
    assert len(delivery.log.waiting()) == 1


def test_undelivered_and_failed_updates_go_with_the_user(service: Service, anna: Chat) -> None:
    delivery = Delivery(service)
    say(delivery, "iets")
    user = service.store.user_by_telegram(1001)
    assert user is not None
    service.store.inbox_add([(777, {"update_id": 777, "message": {"text": "x"}})])
    assert delivery.log.quarantine(777, 1001, "ValueError")
    assert not delivery.log.quarantine(778, 1001, "ValueError")  # not in the inbox
    assert not delivery.log.quarantine(777, 2901, "ValueError")  # nobody we know
    assert [r.update_id for r in delivery.log.failed(user.id)] == [777]
    service.store.db.execute("DELETE FROM users WHERE id = ?", (user.id,))
    assert delivery.log.waiting() == [] and delivery.log.failed() == []


class _Calls:
    def __init__(self, errors: list[Exception | None]) -> None:
        self.errors = errors
        self.count = 0

    async def __call__(self, *args: Any, **kwargs: Any) -> bool:
        self.count += 1
        error = self.errors.pop(0) if self.errors else None
        if error is not None:
            raise error
        return True


@pytest.mark.parametrize(("errors", "data", "calls", "ok"), [
    ([NetworkError("Internal Server Error"), NetworkError("Bad Gateway")], {"chat_id": 1}, 3,
     True),
    ([NetworkError("x")] * 9, {"chat_id": 1}, 5, False),  # gives up after four retries
    ([BadRequest("Message is too long")], {"chat_id": 1}, 1, False),  # final
    ([TimedOut()], {"chat_id": 1}, 1, False),  # may have arrived: not sent twice
    ([NetworkError("x")], {}, 1, False),  # not a message to a chat (getMe, getFile)
    ([Forbidden("blocked")], {"chat_id": 1}, 1, False),
])
async def test_patient_rate_limiter_retries_server_errors_only(
        errors: list[Exception | None], data: dict[str, Any], calls: int, ok: bool) -> None:
    limiter = PatientRateLimiter(delays=(0, 0, 0, 0))
    callback = _Calls(list(errors))
    try:
        await limiter.process_request(callback, (), {}, "sendMessage", data, None)
    except Exception:  # noqa: BLE001
        assert not ok
    else:
        assert ok
    assert callback.count == calls


def test_error_summary_names_type_and_place_but_not_the_message() -> None:
    try:
        raise ValueError("Sanne belt dinsdag over de subsidie")
    except ValueError as exc:
        summary = error_summary(exc)
    assert summary.startswith("ValueError in test_error_summary") and "Sanne" not in summary
    assert error_summary(None) == "unknown error"


async def test_handler_errors_are_logged_with_ids_not_text(
        store: Store, catalog: Catalog, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    api = FakeBotAPI(token="123456:LOG-token")
    service = Service(store, catalog, Defaults(admins=(1001,), data_dir=tmp_path))

    def broken(turn: Any) -> Outcome:
        raise ValueError(f"kan {turn.event.text!r} niet bewaren")

    service.slots["idle_text"] = broken
    with store.atomic():
        service.user(Who(telegram_id=1001, name="Anna"))
    app = build_application(api.token, api.base_url, api.base_file_url, service,
                            request=factory(api), rate_limited=False)
    await app.initialize()
    try:
        message = api.send_text(1001, "Geheim: Sanne belt dinsdag")
        update = {"update_id": 4242, "message": message}
        with caplog.at_level(logging.DEBUG):
            await app.process_update(Update.de_json(update, app.bot))
    finally:
        await app.shutdown()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    anna = store.user_by_telegram(1001)
    assert anna is not None
    # The user's row id, not their Telegram id, which would outlive a /forget in the log.
    assert len(errors) == 1 and errors[0].startswith(
        f"update 4242 of user #{anna.id} failed: ValueError in broken")
    assert "Geheim" not in errors[0]
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert any("Geheim" in m for m in debug)  # for whoever turns DEBUG on, on purpose
    assert "Er ging iets mis" in api.bot_messages(1001)[-1]["text"]


async def test_the_poller_skips_an_update_it_cannot_read(
        store: Store, catalog: Catalog, caplog: pytest.LogCaptureFixture) -> None:
    api = FakeBotAPI(token="123456:POLL-token")
    service = Service(store, catalog)
    app = build_application(api.token, api.base_url, api.base_file_url, service,
                            request=factory(api), rate_limited=False)
    await app.initialize()
    poller = Poller(app, store, timeout=0)
    good = {"update_id": 1, "message": api.send_text(1001, "eerst")}
    bad = {"update_id": 2, "poll": {"id": "p", "question": "?", "options": []}}
    with caplog.at_level(logging.WARNING):
        read = poller.inbox.read([good, bad])
    assert [u.update_id for u in read] == [1]
    assert "update 2 could not be read (TypeError); skipped" in caplog.text
    store.inbox_add([(2, bad)])
    assert await poller.replay_inbox() == 1 and store.inbox() == []  # dropped, not stuck
    await app.shutdown()


def test_delivery_log_keeps_one_row_per_user(store: Store) -> None:
    user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1001)
    log = DeliveryLog(store)
    log.expect(user.id, 1)
    log.expect(user.id, 2)
    assert [(w.user_id, w.update_id) for w in log.waiting()] == [(user.id, 2)]
    assert log.lost(user.id, 3) and not log.lost(user.id, 2)
