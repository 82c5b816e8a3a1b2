"""`/healthz`: the process answers, the database takes a write, and the Bot API answered
within the last few minutes. 200 when all three hold, 503 otherwise; the JSON body says
which failed, in words an operator can act on (never a user's data)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.telegram.telemetry import Telemetry
from storage.ops import probe_write

# Long polls return at least every VELDGIDS_POLL_TIMEOUT (≤ 50 s) and webhook mode asks for
# its webhook's state every minute (bot/telegram/webhook.py), so five quiet minutes mean trouble.
CONTACT_LIMIT_MINUTES = 5


@dataclass(frozen=True)
class Health:
    database: Path
    telemetry: Telemetry
    mode: str  # "polling" or "webhook"

    async def check(self) -> tuple[int, bytes]:
        """(HTTP status, JSON body)."""
        now = self.telemetry.clock()
        try:
            # A thread and a connection of its own: a stuck writer must not stall the bot.
            await asyncio.to_thread(probe_write, self.database, now.isoformat())
            database = "ok"
        except sqlite3.Error as exc:
            database = f"not writable: {exc}"
        age = self.telemetry.contact_age()
        telegram = ("ok" if age < CONTACT_LIMIT_MINUTES * 60
                    else f"no answer from the Bot API for {age / 60:.0f} minutes")
        healthy = database == "ok" and telegram == "ok"
        body = {"status": "ok" if healthy else "failing", "mode": self.mode,
                "database": database, "telegram": telegram,
                "seconds_since_bot_api_answered": round(age)}
        return (200 if healthy else 503), json.dumps(body).encode()
