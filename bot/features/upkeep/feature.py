"""Keeping the database small and forgetting for real: background jobs of their own.

- After an erase (/forget, or forgetting a person met) the write-ahead log is emptied, so it
  keeps no copy of what was erased. A reader that holds a read transaction open (a streaming
  backup tool does so all the time) keeps it from being emptied; then this tries again every
  few seconds, and after a minute says so in the log and to the admins: until that reader
  lets go or the bot stops, the erased text is still in the `-wal` file.
- Ids of processed updates are kept only as long as Telegram may offer an update again (it
  keeps them 24 hours); updates whose handling failed are kept `FAILED_KEPT` (README).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app.admins import notify_admins
from bot.app.feature import Feature, job
from bot.app.messenger import Messenger
from storage.delivery import DeliveryLog

log = logging.getLogger("veldgids.upkeep")

WIPE_EVERY = 5.0  # seconds between two attempts to empty the write-ahead log
WIPE_TRIES = 12  # attempts (a minute) before the log and the admins hear of it
HOUSEKEEPING_EVERY = 3600.0
REDELIVERY = timedelta(hours=25)  # Telegram's 24 hours, and an hour to spare
FAILED_KEPT = timedelta(days=30)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class Upkeep(Feature):
    name = "upkeep"

    def __init__(self, service: Any) -> None:
        super().__init__(service)
        self.tries = 0
        self.alerted = False

    @job("wipe-log", WIPE_EVERY)
    async def wipe(self, messenger: Messenger) -> None:
        """Empty the write-ahead log once no reader keeps it any more."""
        store = self.service.store
        if not store.wipe_pending:
            return
        if store.checkpoint():
            log.info("the write-ahead log is empty: erased text is gone from it too")
            if self.alerted:
                await notify_admins(messenger, self.service, "wipe_done_admin")
            self.tries, self.alerted = 0, False
            return
        self.tries += 1
        if self.tries == WIPE_TRIES:
            wal = f"{store.path}-wal"
            log.warning("another connection keeps reading the database, so the write-ahead log"
                        " cannot be emptied: erased text stays in %s until it lets go or the"
                        " bot stops; trying again", wal)
            await notify_admins(messenger, self.service, "wipe_blocked_admin", wal=wal)
            self.alerted = True

    @job("housekeeping", HOUSEKEEPING_EVERY, first=60.0)
    async def housekeeping(self, _messenger: Messenger) -> None:
        self.prune()

    def prune(self) -> tuple[int, int]:
        """Drop processed update ids past Telegram's redelivery window and failed updates
        past their retention; returns how many of each."""
        store = self.service.store
        now = self.service.clock()
        processed = store.prune_processed(_stamp(now - REDELIVERY))
        failed = DeliveryLog(store).prune_failed(_stamp(now - FAILED_KEPT))
        if processed or failed:
            log.info("pruned %d processed update id(s) and %d failed update(s)", processed,
                     failed)
        return processed, failed
