"""Getting replies to the librarian, or knowing that they did not arrive.

- `Delivery.handle` is `Service.handle` with this front end's part (`Delivery.receive`): in
  the same transaction it notes that a reply to this update is on its way;
  `Delivery.delivered` clears the note once every reply was sent.
- A note still there when the user's next update comes (Telegram kept failing after all
  retries, or the process died between storing and sending) means the user has not seen
  where they are. Their next text is then kept as a note instead of being taken as the
  answer to a question they never saw, and the reply shows the current step again.
- At start-up `resend_lost` shows each such user where they are, without waiting for them.
- `PatientRateLimiter` is `ChatRateLimiter` (bot/telegram/ratelimit.py: a 429's retry_after waited
out
  for its chat only, the overall budget shared between chats) plus a few retries with
  backoff for 5xx answers and refused connections.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot.app.service import Finish, Incoming, Outcome, Service, Who
from bot.telegram.pace import BULK, Share
from bot.telegram.ratelimit import ChatRateLimiter
from dialogs.replies import Reply
from storage.delivery import DeliveryLog
from storage.store import User

log = logging.getLogger("veldgids.delivery")

# Waits between attempts after a 5xx or a refused connection (about 7.5 s in all).
RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)

Send = Callable[[int, Reply], Awaitable[None]]


class Delivery:
    """The service call of the Telegram front end, with the undelivered-reply bookkeeping."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.log = DeliveryLog(service.store)

    def handle(self, who: Who, incoming: Incoming) -> Outcome:
        """`Service.handle`, with this front end's part (`receive`) in its transaction."""
        return self.service.handle(who, incoming, self)

    def receive(self, who: Who, incoming: Incoming) -> tuple[Incoming, Finish]:
        """In the update's transaction: after a lost reply, text is kept as a note; the reply
        is noted as on its way before the commit."""
        service = self.service
        store = service.store
        known = (store.user_by_telegram(who.telegram_id)
                 if who.telegram_id is not None else None)
        lost = known is not None and self.log.lost(known.id, incoming.update_id)
        event = incoming
        if (lost and incoming.kind == "text" and known and known.active_community
                and service.current(known)):
            # They never saw the step, so the text is not its answer: keep it, like /note.
            # (Without a community yet, /note would restart onboarding: answer instead.)
            event = replace(incoming, kind="command", command="note", args=incoming.text)

        def finish(outcome: Outcome) -> None:
            if outcome.duplicate or outcome.user_id is None:
                return
            if lost:  # the row id: a Telegram id would outlive a /forget in the log
                log.info("update %s of user #%s: the previous reply did not arrive",
                         incoming.update_id, outcome.user_id)
            user = store.user(outcome.user_id) if lost else None
            if user is not None and event is not incoming:
                outcome.replies.append(self.again(user))
            elif user is not None:
                outcome.replies.insert(0, Reply(text=service.t(user, "reply_lost")))
            self.log.expect(outcome.user_id, incoming.update_id)

        return event, finish

    def delivered(self, outcome: Outcome, update_id: int | None) -> None:
        if outcome.user_id is not None and not outcome.duplicate:
            self.log.delivered(outcome.user_id, update_id)

    def again(self, user: User) -> Reply:
        """The lost-reply notice, with the step the user is at (if any) and its buttons."""
        current = self.service.current(user)
        if current is None:
            return Reply(text=self.service.t(user, "reply_lost"))
        notice = self.service.t(user, "reply_lost_here")
        return current.model_copy(update={"text": f"{notice}\n\n{current.text}", "edit": False})


async def resend_lost(delivery: Delivery, send: Send) -> int:
    """At start-up: show everyone whose last reply may not have arrived where they are."""
    store = delivery.service.store
    sent = 0
    for waiting in delivery.log.waiting():
        user = store.user(waiting.user_id)
        if user is None or user.telegram_id is None or user.status != "active":
            continue
        try:
            await send(user.telegram_id, delivery.again(user))
        except TelegramError as exc:
            log.warning("user #%s: lost reply still not delivered (%s)", user.id,
                        type(exc).__name__)
            continue
        delivery.log.delivered(waiting.user_id, waiting.update_id)
        sent += 1
    if sent:
        log.info("showed %d user(s) where they were after a lost reply", sent)
    return sent


class PatientRateLimiter(ChatRateLimiter):
    """Retries messages to a chat after 5xx answers and refused connections, with backoff.

    Bad requests and timeouts are not retried: the first is final, and after a timeout the
    message may have arrived, so a second attempt could show it twice (the undelivered note
    covers that case instead)."""

    def __init__(self, delays: tuple[float, ...] = RETRY_DELAYS, max_retries: int = 5) -> None:
        super().__init__(max_retries=max_retries)
        self.delays = delays
        self.share = Share()  # replies before the weekly batch (bot/telegram/pace.py)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        delays = list(self.delays) if data.get("chat_id") is not None else []
        if data.get("chat_id") is not None:
            await self.share.before(BULK.get())
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data,
                                                     rate_limit_args)
            except (BadRequest, TimedOut):
                raise
            except NetworkError as exc:
                if not delays:
                    raise
                delay = delays.pop(0)
                log.warning("%s failed (%s); retrying in %.1f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
