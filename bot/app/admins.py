"""Telling the admins: who they are (the settings' and the database's) and a notice to each."""

from __future__ import annotations

import logging
import sqlite3

from bot.app.host import Host
from bot.app.messenger import Messenger, Undelivered
from storage.access import AccessRepo

log = logging.getLogger("veldgids.storage")


def admin_chats(service: Host) -> dict[int, str]:
    """Every admin's Telegram id, with their language: from the settings and the database."""
    chats = {tid: service.defaults.language for tid in service.defaults.admins}
    try:
        users = AccessRepo(service.store).users()
    except sqlite3.Error:  # unreadable now: the settings' admins still hear of it
        return chats
    for user in users:
        if user.telegram_id is None or user.status != "active":
            continue
        if user.is_admin or user.telegram_id in chats:
            chats[user.telegram_id] = user.language
    return chats


async def notify_admins(messenger: Messenger | None, service: Host, key: str,
                        **params: object) -> int:
    """Send text `key` to every admin; returns how many got it."""
    if messenger is None:
        return 0
    sent = 0
    for chat, lang in admin_chats(service).items():
        try:
            await messenger.send_message(chat, service.catalog.text(key, lang, **params))
        except Undelivered as exc:
            log.warning("could not tell an admin (%s)", type(exc.__cause__ or exc).__name__)
            continue
        sent += 1
    return sent
