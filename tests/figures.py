"""Figures from the reliability tests, for docs/reliability.md.

Each reliability test calls `record(name, ...)` with what it did (kills survived, updates
fuzzed, faults injected, notes lost). They collect in build/reliability.json; run
`python -m tests.figures` afterwards to rewrite the figures section of docs/reliability.md.
"""

from __future__ import annotations

import fcntl
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "build" / "reliability.json"
DOC = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"


def load() -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(STORE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(name: str, **figures: Any) -> None:
    """Remember this run's figures of one test (the latest run of a test wins). `make test`
    runs two workers: the file is read and written under a lock, so neither loses the
    other's figures."""
    STORE.parent.mkdir(parents=True, exist_ok=True)
    with (STORE.parent / "reliability.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = load()
        data[name] = {**figures, "at": datetime.now(UTC).isoformat(timespec="seconds")}
        STORE.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")


def table(data: dict[str, dict[str, Any]]) -> str:
    def get(name: str, key: str) -> Any:
        return data.get(name, {}).get(key, "—")

    faults = sum(int(v.get("faults", 0)) for k, v in data.items() if k.startswith("faults_"))
    lines = [
        "| figure | `make test` | `make soak` |",
        "|---|---|---|",
    ]
    for label, key in (("SIGKILLs survived", "kills"), ("of them during start-up", "startup_kills"),
                       ("updates sent through the killed bot", "updates"),
                       ("updates re-offered by Telegram (same id)", "redelivered"),
                       ("notes sent", "notes"), ("notes stored exactly once", "notes_once"),
                       ("notes lost", "lost"), ("notes recorded twice", "duplicated"),
                       ("chaos seed", "seed")):
        lines.append(f"| {label} | {get('chaos', key)} | {get('chaos_soak', key)} |")
    lines += [
        f"| updates fuzzed through the real handlers | {get('fuzz', 'updates')} "
        f"| {get('fuzz_soak', 'updates')} |",
        f"| random update sequences | {get('fuzz', 'examples')} "
        f"| {get('fuzz_soak', 'examples')} |",
        f"| Telegram faults injected | {faults} | — |",
        "",
        "| test | figures | run at (UTC) |",
        "|---|---|---|",
    ]
    for name in sorted(data):
        figures = {k: v for k, v in data[name].items() if k != "at"}
        shown = ", ".join(f"{k} {v}" for k, v in sorted(figures.items()))
        lines.append(f"| `{name}` | {shown} | {data[name].get('at', '')} |")
    return "\n".join(lines)


def rewrite(doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    doc.write_text(f"{head}{BEGIN}\n{table(load())}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    if not load():
        sys.exit("no figures yet: run the tests first (make test, or make soak)")
    rewrite()
    print(f"figures written to {DOC}")
