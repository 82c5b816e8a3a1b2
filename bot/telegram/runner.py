"""Starting and stopping the Telegram bot: retries at start-up, clean stop on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from functools import partial

from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.app.service import Service
from bot.ops import offload
from bot.ops.logsafe import RedactTokens
from bot.ops.settings import Settings
from bot.telegram.app import build_application, set_commands
from bot.telegram.delivery import Delivery, resend_lost
from bot.telegram.polling import temporary
from bot.telegram.receiving import Receiving
from bot.telegram.resilience import StorageGuard
from bot.telegram.sending import send_reply
from bot.telegram.telemetry import Telemetry

log = logging.getLogger("veldgids.run")

MAX_BACKOFF = 30.0


class Refused(Exception):
    """Telegram ended the run: why, in one line without the token."""


def run(settings: Settings, service: Service) -> None:
    """`serve` until stopped; Telegram's errors that end it become `Refused`."""
    try:
        asyncio.run(serve(settings, service, poll_timeout=settings.poll_timeout))
    except InvalidToken:
        raise Refused("Telegram refused the bot token (check TELEGRAM_BOT_TOKEN)") from None
    except TelegramError as exc:  # anything else Telegram ends us with: one line, no token
        redact = RedactTokens(settings.token() or "").redact
        raise Refused(f"Telegram: {redact(str(exc))}") from None


async def serve(settings: Settings, service: Service, poll_timeout: int = 20) -> None:
    token = settings.token()
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    telemetry = Telemetry(service.store.clock)
    offload.enable(service.catalog)  # exports and charts in their own process, not our GIL
    guard = StorageGuard(service)
    app = build_application(token, settings.telegram_api_url, settings.base_file_url, service,
                            request=telemetry.request, guard=guard)
    telemetry.install(app)
    receiving = Receiving(settings, app, service, telemetry, poll_timeout, guard)
    receiving.listen()  # first: in webhook mode a taken address ends the start right here
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)

    backoff = 1.0
    while True:
        try:
            await app.initialize()
            break
        except InvalidToken:
            await receiving.close()
            raise
        except TelegramError as exc:
            if not temporary(exc):
                raise
            log.warning("Telegram not reachable (%s); retrying in %.0f s", type(exc).__name__,
                        backoff)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)
            if stop.is_set():
                await receiving.close()
                service.store.close()
                return
            backoff = min(backoff * 2, MAX_BACKOFF)
    await set_commands(app, service)
    service.bot_username = app.bot.username
    for hook in service.startup:
        await guard.run(hook)
    # Before any update is handled: whoever missed a reply (crash, Telegram down) sees their step.
    await resend_lost(Delivery(service), partial(send_reply, app.bot))
    await app.start()
    log.info("Veldgids is running as @%s", app.bot.username)
    polling = asyncio.create_task(receiving.run(stop))
    stopping = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
    polling.cancel()
    stopping.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await polling
    log.info("stopping: finishing the updates in hand")
    guard.stopping.set()  # what waits for the database now stays stored for the next start
    try:
        await receiving.close()
        await app.stop()  # handles what was fetched, stops the JobQueue (reminder tick)
        if receiving.mode == "polling":
            await _acknowledge(app, service)
        await app.shutdown()
    finally:
        service.store.close()
        await asyncio.to_thread(offload.shutdown)
    log.info("stopped cleanly")
    if polling in done and polling.exception() is not None:
        raise polling.exception()  # type: ignore[misc]


async def _acknowledge(app: Application, service: Service) -> None:
    """Tell Telegram which updates were handled, so none is offered again after the stop."""
    last = service.store.last_update_id()
    if last is None:
        return
    try:
        await app.bot.get_updates(offset=last + 1, timeout=0, limit=1)
    except Exception as exc:  # noqa: BLE001 - stopping must go on; the next start confirms
        log.warning("could not acknowledge handled updates (%s); the next start will",
                    type(exc).__name__)
