"""Starting and stopping the bot processes under test, and reading their CPU and memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Literal

from bench.fake import TOKEN, TimedFakeBotAPI
from storage.store import Store

Kind = Literal["veldgids", "veldgids-unlimited", "echo", "peer"]
COMMANDS: dict[str, list[str]] = {
    # The real entry point, as in production (rate limiter on).
    "veldgids": [sys.executable, "-m", "bot.ops.cli", "run"],
    # The same, with the rate limiter off (see bench/launch.py).
    "veldgids-unlimited": [sys.executable, "-m", "bench.launch", "--no-rate-limit"],
    "echo": [sys.executable, "-m", "bench.echo_bot"],
    # The same job built the usual way (bench/peer_bot.py); PEER_UPDATE_INTERVAL in `env`.
    "peer": [sys.executable, "-m", "bench.peer_bot"],
}
POLL_TIMEOUT = 20  # Veldgids' default VELDGIDS_POLL_TIMEOUT; the echo bot reads the same
ROOT = Path(__file__).resolve().parents[1]


def admit(db: Path, telegram_ids: list[int]) -> None:
    """Create the librarians in the database, as an admin's invites would have done."""
    store = Store(db)
    try:
        with store.atomic():
            for telegram_id in telegram_ids:
                if store.user_by_telegram(telegram_id) is None:
                    store.create_user(name="Bibliothecaris", language="nl",
                                      timezone="Europe/Amsterdam", telegram_id=telegram_id)
    finally:
        store.close()


class BotProcess:
    """One bot under test, started against `api`; `startup` is the time from process start
    to its first getUpdates."""

    def __init__(self, api: TimedFakeBotAPI, kind: Kind, workdir: Path,
                 env: dict[str, str] | None = None) -> None:
        self.api = api
        self.kind = kind
        self.workdir = workdir
        self.extra = env or {}
        self.proc: subprocess.Popen[bytes] | None = None
        self.startup = 0.0
        self.log = workdir / f"{kind}.log"

    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("VELDGIDS_", "TELEGRAM_"))}
        base.update({
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": self.api.base_url,
            "VELDGIDS_DB": str(self.workdir / "veldgids.db"),
            "VELDGIDS_DATA_DIR": str(self.workdir / "data"),
            "VELDGIDS_POLL_TIMEOUT": str(POLL_TIMEOUT),
            "PYTHONPATH": str(ROOT),
        })
        base.update(self.extra)
        return base

    def start(self, timeout: float = 60) -> BotProcess:
        polls = len(self.api.poll_times)
        with self.log.open("ab") as log:
            began = time.perf_counter()
            self.proc = subprocess.Popen(COMMANDS[self.kind], cwd=self.workdir, env=self.env(),
                                         stdout=log, stderr=subprocess.STDOUT)
        deadline = began + timeout
        while len(self.api.poll_times) <= polls:
            if self.proc.poll() is not None or time.perf_counter() > deadline:
                raise RuntimeError(f"{self.kind} did not start polling:\n{self.output()}")
            time.sleep(0.002)
        self.startup = self.api.poll_times[polls] - began
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss_mb(self) -> float:
        """Resident memory (VmRSS) of the bot process, in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        """User plus system CPU time the bot process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL, as a power cut or the OOM killer would: no clean shutdown."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
