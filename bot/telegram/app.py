"""The python-telegram-bot Application of Veldgids: the front end's handlers
(bot/telegram/handlers.py) installed, the command menu, and the background work started and
stopped with it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.app.background import Background
from bot.app.feature import Job
from bot.app.messenger import Messenger
from bot.app.service import Service
from bot.telegram.delivery import PatientRateLimiter
from bot.telegram.groups import Groups
from bot.telegram.handlers import TelegramFrontEnd
from bot.telegram.media import fetch_pending
from bot.telegram.messenger import TelegramMessenger
from bot.telegram.ordering import PerUserOrder
from bot.telegram.resilience import StorageGuard

log = logging.getLogger("veldgids.telegram")


async def set_commands(app: Application, service: Service) -> None:
    """The command menu in Dutch and English; a refusal is logged and the bot goes on."""
    catalog = service.catalog
    for lang in ("nl", "en"):
        commands = [BotCommand(c.shown(lang), catalog.text(c.description, lang))
                    for c in service.menu.commands]
        code = None if lang == service.defaults.language else lang
        try:
            await app.bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(),
                                          language_code=code)
            if code is None:
                await app.bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(),
                                              language_code=lang)
        except TelegramError as exc:
            log.warning("could not set the %s command menu: %s", lang, exc)


class VeldgidsApplication(Application):  # type: ignore[type-arg]
    """The Application, with Veldgids' background work (bot/app/background.py) started and
    stopped with it: on the event loop's monotonic clock instead of the JobQueue's wall
    clock."""

    background: Background | None = None
    messenger: TelegramMessenger | None = None  # what the background jobs send through
    groups: Groups | None = None  # drops group and channel updates before any work

    async def start(self) -> None:
        await super().start()
        if self.background is not None:
            self.messenger = self.messenger or TelegramMessenger(self.bot)
            self.background.start(self.messenger)
        if self.groups is not None:
            self.groups.start(self.bot)

    async def stop(self) -> None:
        if self.groups is not None:
            await self.groups.stop()
        if self.background is not None:
            await self.background.stop()
        await super().stop()


def build_application(token: str, api_url: str, file_url: str, service: Service, *,
                      request: Callable[[], BaseRequest] | None = None,
                      rate_limited: bool = True,
                      guard: StorageGuard | None = None) -> VeldgidsApplication:
    """The python-telegram-bot Application, without an Updater: `polling.Poller` feeds it.

    Tests may pass `request` (a factory of an in-process transport) and switch rate limiting
    off, so the real handlers run without a network."""
    builder: Any = (
        Application.builder()
        .application_class(VeldgidsApplication)
        .token(token)
        .base_url(api_url)
        .base_file_url(file_url)
        .updater(None)
        .concurrent_updates(PerUserOrder())
    )
    if rate_limited:
        builder = builder.rate_limiter(PatientRateLimiter())
    if request is not None:
        builder = builder.request(request()).get_updates_request(request())
    app: VeldgidsApplication = builder.build()
    guard = guard or StorageGuard(service)
    guard.bot = app.bot
    app.groups = Groups(service.catalog, service.defaults.language)
    TelegramFrontEnd(service, guard, app.groups).install(app)
    async def retry_downloads(_messenger: Messenger) -> None:
        await fetch_pending(app.bot, service, guard=guard)

    retry = Job("retry-downloads", DOWNLOAD_RETRY_SECONDS, 5.0, 1, retry_downloads)
    app.background = Background([retry, *service.jobs], guard)
    return app


DOWNLOAD_RETRY_SECONDS = 60  # due downloads are tried this often; each waits its own backoff
