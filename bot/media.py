"""Downloading voice notes, photos and documents into VELDGIDS_DATA_DIR.

A note with media is stored first with its Telegram file id and `download = 'pending'`;
files are fetched afterwards, and a failed download stays pending and is tried again later,
so a flaky connection never costs the note itself.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import Message
from telegram.error import TelegramError

from bot.service import Media, Service
from storage.talk import TalkRepo

log = logging.getLogger("veldgids.media")

MEDIA_ATTRS = ("photo", "voice", "audio", "video", "video_note", "document")


def media_of(message: Message) -> Media | None:
    caption = message.caption or ""
    if message.photo:
        return Media(kind="photo", file_id=message.photo[-1].file_id, caption=caption)
    for kind in MEDIA_ATTRS[1:]:
        item = getattr(message, kind, None)
        if item is not None:
            return Media(kind=kind, file_id=item.file_id,
                         file_name=getattr(item, "file_name", None), caption=caption,
                         # As sent (whole seconds): the attribute warns of a type change.
                         duration=_seconds(item.to_dict().get("duration")))
    return None


def _seconds(duration: object) -> int | None:
    """A recording's length: an int, or a timedelta once PTB_TIMEDELTA is on."""
    if isinstance(duration, timedelta):
        return int(duration.total_seconds())
    return duration if isinstance(duration, int) else None


def user_dir(service: Service, user_id: int) -> Path:
    """Every file of one librarian lives under one folder, so forgetting them is one rmtree."""
    return Path(service.defaults.data_dir) / "users" / str(user_id)


async def fetch_pending(bot: Any, service: Service, user_id: int | None = None) -> int:
    """Download what is still pending; returns how many files arrived."""
    repo = TalkRepo(service.store)
    fetched = 0
    for row in repo.pending_downloads(user_id):
        try:
            remote = await bot.get_file(row.file_id)
            suffix = Path(remote.file_path or "").suffix or ".bin"
            target = user_dir(service, row.user_id) / f"{row.source}-{row.id}{suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            await remote.download_to_drive(target)
        except (TelegramError, OSError) as exc:
            log.warning("download for %s %s of user %s failed, will retry: %s",
                        row.source, row.id, row.user_id, type(exc).__name__)
            continue
        with service.store.atomic():
            kept = repo.downloaded(row.source, row.id, str(target))
        if not kept:  # erased while downloading (/forget): the file must not stay behind
            target.unlink(missing_ok=True)
            continue
        fetched += 1
    return fetched
