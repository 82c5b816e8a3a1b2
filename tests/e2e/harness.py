"""Start the real `veldgids run` process against the fake Bot API server."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.fakebotapi import FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
# Access is closed by default; the librarians the e2e tests talk as are admins from the
# settings unless a test passes its own VELDGIDS_ADMINS (e.g. "" to claim the bot).
TEST_ADMINS = "1001,1002,1003,2001,2002"
# Token-shaped on purpose, so the log redaction is exercised for real.
TOKEN = "7350981234:AAHk3-e2eSECRET_tokenpart_abcdefghij"
# The two ways the bot receives updates; scenarios that matter in both run in both.
MODES = ("polling", "webhook")
# The public address Telegram is told in webhook mode; the fake delivers it to VELDGIDS_LISTEN.
WEBHOOK_HOST = "veldgids.example"
WEBHOOK_URL = f"https://{WEBHOOK_HOST}/telegram/webhook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    """One `veldgids run` subprocess; its output goes to a file the test can read."""

    def __init__(self, api: FakeBotAPI, workdir: Path, env: dict[str, str] | None = None,
                 mode: str = "polling") -> None:
        self.api = api
        self.workdir = workdir
        self.extra = env or {}
        self.mode = mode
        self.port = free_port()  # kept across restarts, like a configured VELDGIDS_LISTEN
        self.proc: subprocess.Popen[bytes] | None = None
        self.logs: list[Path] = []
        if mode == "webhook":
            api.route_webhook(WEBHOOK_HOST, f"127.0.0.1:{self.port}")

    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("VELDGIDS_", "TELEGRAM_"))}
        base.update({
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": self.api.base_url,
            "VELDGIDS_DB": str(self.workdir / "veldgids.db"),
            "VELDGIDS_DATA_DIR": str(self.workdir / "data"),
            "VELDGIDS_POLL_TIMEOUT": "1",
            "VELDGIDS_ADMINS": TEST_ADMINS,
            "VELDGIDS_LISTEN": f"127.0.0.1:{self.port}",
            "PYTHONUNBUFFERED": "1",
        })
        if self.mode == "webhook":
            base["VELDGIDS_WEBHOOK_URL"] = WEBHOOK_URL
        base.update(self.extra)
        return base

    def start(self, wait: bool = True) -> BotProcess:
        # Numbered across every process in the folder: a restarted bot keeps the first one's log.
        log = self.workdir / f"bot-{len(list(self.workdir.glob('bot-*.log')))}.log"
        self.logs.append(log)
        ready = "setWebhook" if self.mode == "webhook" else "getUpdates"
        polls = len(self.api.calls_to(ready))
        handle = log.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "bot.ops.cli", "run"], cwd=self.workdir,
                                     env=self.env(), stdout=handle, stderr=subprocess.STDOUT)
        handle.close()
        if wait:
            self.api.wait_for(lambda: len(self.api.calls_to(ready)) > polls
                              or self._died(), timeout=30, what=f"the bot to call {ready}")
            assert not self._died(), self.output()
        return self

    def _died(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None

    def kill(self) -> None:
        """SIGKILL: no chance to clean up, like a power cut."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def terminate(self, timeout: float = 20) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def get(self, path: str) -> tuple[int, bytes]:
        """GET http://VELDGIDS_LISTEN/<path>: (status, body)."""
        return self.request("GET", path)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body,
                                         method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def output(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())

    def log_count(self, text: str) -> int:
        """How many lines of this process's log contain `text`."""
        return sum(text in line for line in self.output().splitlines())

    def wait_for_log(self, text: str, more: int = 1, timeout: float = 20,
                     since: int | None = None) -> int:
        """A counted wait: until `more` log lines with `text` were added since `since` (a
        log_count taken earlier; default: now); returns the new count."""
        return self.api.wait_for_more(lambda: self.log_count(text), more, timeout,
                                      f"log lines with {text!r}", since)

    def wait_for_ticks(self, job: str, more: int, timeout: float = 20) -> int:
        """Waits until the background has finished `more` runs of `job` from now (it logs
        `background job "<name>" ran` after each, at DEBUG: start the bot with
        VELDGIDS_LOG_LEVEL=DEBUG)."""
        done = re.compile(rf'background job "{re.escape(job)}" ran')
        return self.api.wait_for_more(lambda: len(done.findall(self.output())), more,
                                      timeout, f"runs of the {job} job")


def press(api: FakeBotAPI, user_id: int, label_part: str) -> str:
    """Press the newest button whose label contains `label_part`."""
    for message in reversed(api.bot_messages(user_id)):
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if label_part in button.get("text", "") and "callback_data" in button:
                    return api.press(user_id, message["message_id"], button["callback_data"])
    raise AssertionError(f"no button with {label_part!r}:\n{api.dump()}")


def labels(message: dict[str, Any] | None) -> list[str]:
    if not message:
        return []
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]


def settle(api: FakeBotAPI, timeout: float = 10) -> None:
    """Wait until every update was confirmed and the bot went quiet for a moment."""
    api.wait_until_confirmed(timeout)
    quiet_since = time.monotonic()
    seen = len(api.calls)
    while time.monotonic() - quiet_since < 0.3:
        time.sleep(0.05)
        if len(api.calls) != seen:
            seen = len(api.calls)
            quiet_since = time.monotonic()
