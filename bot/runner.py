"""Starting and stopping the Telegram bot: retries at start-up, clean stop on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.polling import Poller
from bot.service import Service
from bot.settings import Settings
from bot.telegram_app import build_application, set_commands

log = logging.getLogger("veldgids.run")

MAX_BACKOFF = 30.0


async def serve(settings: Settings, service: Service, poll_timeout: int = 20) -> None:
    token = settings.token()
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    app = build_application(token, settings.telegram_api_url, settings.base_file_url, service)
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
            raise
        except (NetworkError, TimedOut) as exc:
            log.warning("Telegram not reachable (%s); retrying in %.0f s", exc, backoff)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)
            if stop.is_set():
                return
            backoff = min(backoff * 2, MAX_BACKOFF)
    await set_commands(app, service)
    await app.start()
    log.info("Veldgids is running as @%s", app.bot.username)
    poller = Poller(app, service.store, timeout=poll_timeout)
    polling = asyncio.create_task(poller.run(stop))
    stopping = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
    polling.cancel()
    stopping.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await polling
    log.info("stopping: finishing the updates in hand")
    await app.stop()
    await app.shutdown()
    service.store.close()
    if polling in done and polling.exception() is not None:
        raise polling.exception()  # type: ignore[misc]
