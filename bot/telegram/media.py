"""Downloading voice notes, photos and documents into VELDGIDS_DATA_DIR.

A note with media is stored first with its Telegram file id and `download = 'pending'`;
files are fetched afterwards. A failed download waits before it is tried again (one
minute, doubling) and is given up after a few hours; a file over VELDGIDS_MAX_DOWNLOAD_MB
(20 by default, Telegram's limit for bots; a local Bot API server has none) is given up at
once, as getFile reports it or as soon as the download passes the cap. Either way the note
itself is kept, the file stays in the Telegram chat, and the librarian is told once. Due
files are taken oldest first, one librarian after another (storage/downloads.py), so
nobody's backlog delays anyone else.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from telegram import Message
from telegram.error import BadRequest, TelegramError

from bot.app.service import Media, Service
from bot.features.voice.feature import queue_transcription
from storage.downloads import TOO_BIG
from storage.faults import FILE_MODE, private_dir
from storage.talk import PendingDownload, TalkRepo

if TYPE_CHECKING:
    from bot.telegram.resilience import StorageGuard

log = logging.getLogger("veldgids.media")

MB = 1024 * 1024
CHUNK = 64 * 1024
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


# Downloads under way, so the background retry and a new message never fetch one file twice.
_IN_FLIGHT: set[tuple[int, str, int]] = set()


async def fetch_pending(bot: Any, service: Service, user_id: int | None = None, *,
                        guard: StorageGuard | None = None) -> int:
    """Download what is due (only this librarian's, if given); returns how many arrived."""
    repo = TalkRepo(service.store)
    cap = service.defaults.max_download_mb * MB

    async def stored(work: Any) -> Any:  # storage steps wait out a locked or full database
        return await guard.run(work) if guard is not None else work()

    fetched = 0
    for row in await stored(lambda: repo.pending_downloads(user_id)):
        key = (id(service.store), row.source, row.id)
        if key in _IN_FLIGHT:
            continue
        _IN_FLIGHT.add(key)
        try:
            try:
                remote = await bot.get_file(row.file_id)
                if (remote.file_size or 0) > cap:  # known before a byte is fetched
                    raise TooBig(remote.file_size)
                suffix = Path(remote.file_path or "").suffix or ".bin"
                folder = private_dir(user_dir(service, row.user_id))
                target = folder / f"{row.source}-{row.id}{suffix}"
                await download(str(remote.file_path or ""), target, cap)
            except (TelegramError, OSError, httpx.HTTPError) as exc:
                too_big = isinstance(exc, TooBig) or (
                    isinstance(exc, BadRequest) and "too big" in exc.message.lower())
                final = await stored(partial(repo.downloads.failed, row.source, row.id,
                                             final=too_big))
                log.warning("download for %s %s of user %s failed (%s)%s", row.source, row.id,
                            row.user_id, type(exc).__name__,
                            "; given up" if final else "; will retry")
                if final:
                    await _tell(bot, service, row.user_id, final)
                continue
            kept = await stored(partial(_arrived, service, repo, row, str(target)))
            if not kept:  # erased while downloading (/forget): the file must not stay behind
                target.unlink(missing_ok=True)
                continue
            fetched += 1
        finally:
            _IN_FLIGHT.discard(key)
    return fetched


class TooBig(OSError):
    """The file is larger than VELDGIDS_MAX_DOWNLOAD_MB: it stays in the chat."""


class DownloadFailed(OSError):
    """The file server answered with an error status; tried again later."""


async def download(url: str, target: Path, cap: int) -> None:
    """Stream the file into `target` (only the owner may read it), stopping at `cap` bytes
    whatever getFile said: a local Bot API server hands out files of any size. A partial
    file never stays behind."""
    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0)) as client, \
                client.stream("GET", url) as response:
            if response.status_code != 200:
                raise DownloadFailed(f"HTTP {response.status_code}")
            if int(response.headers.get("content-length") or 0) > cap:
                raise TooBig(response.headers["content-length"])
            handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            with os.fdopen(handle, "wb") as out:
                size = 0
                async for chunk in response.aiter_bytes(CHUNK):
                    size += len(chunk)
                    if size > cap:
                        raise TooBig(size)
                    out.write(chunk)
        os.chmod(target, FILE_MODE)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _arrived(service: Service, repo: TalkRepo, row: PendingDownload, path: str) -> bool:
    """Record the file, and queue a voice note's transcription in the same transaction; False
    when the note is gone meanwhile."""
    with service.store.atomic():
        kept = repo.downloaded(row.source, row.id, path)
        if kept:
            queue_transcription(service, row.source, row.id, row.user_id)
        return kept


async def _tell(bot: Any, service: Service, user_id: int, state: str) -> None:
    """The librarian hears once that a file stays in Telegram only; their note is kept."""
    user = service.store.user(user_id)
    if user is None or user.telegram_id is None:
        return
    key = "download_too_big" if state == TOO_BIG else "download_gave_up"
    text = service.catalog.text(key, user.language, max=service.defaults.max_download_mb)
    try:
        await bot.send_message(user.telegram_id, text)
    except TelegramError as exc:
        log.warning("could not tell user %s about a file (%s)", user_id, type(exc).__name__)
