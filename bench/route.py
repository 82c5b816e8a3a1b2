"""The route of one live-mode note through the code, from the service's entry to its reply.

`python -m bench.route` starts a conversation on a temporary database, then traces one note
typed during it: which of our modules the call passes through, in order, and how often it
comes back to a module it had already left (a sign that the layers call back and forth).
Run on two commits, it shows whether a change made the route shorter.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from types import FrameType
from typing import Any

from bot.app.registry import FEATURES, Service, load_catalog
from storage.store import Store
from tests.chat import Chat

OURS = ("bot", "dialogs", "storage", "search")


def route(chat: Chat, text: str) -> list[str]:
    """Our modules in the order the handling of `text` enters them (repeats collapsed)."""
    seen: list[str] = []

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        if event != "call":
            return
        module = frame.f_globals.get("__name__", "")
        if module.split(".")[0] in OURS and (not seen or seen[-1] != module):
            seen.append(module)

    sys.setprofile(profile)
    try:
        chat.send(text)
    finally:
        sys.setprofile(None)
    return seen


def layer(module: str) -> str:
    """bot.features.talk.feature -> bot.features.talk; dialogs.kinds.live -> dialogs."""
    parts = module.split(".")
    if parts[0] == "bot" and len(parts) > 2 and parts[1] == "features":
        return ".".join(parts[:3])
    return ".".join(parts[:2]) if parts[0] == "bot" else parts[0]


def _collapse(steps: list[str]) -> list[str]:
    return [s for i, s in enumerate(steps) if i == 0 or steps[i - 1] != s]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "route.db")
        service = Service(store, load_catalog(), features=FEATURES)
        chat = Chat(service)
        chat.onboard()
        chat.send("/gesprek Fatima, voorzitter, Vrouwen van de Wijk")
        chat.send("Ze zoekt een plek waar vrouwen samen Nederlands oefenen")  # warm the caches
        path = route(chat, "Ze wil graag op dinsdagochtend, als de kinderen op school zijn")
        store.close()
    for name, steps in (("modules", path), ("layers", _collapse([layer(m) for m in path]))):
        returns = sum(1 for i, m in enumerate(steps) if m in steps[:i])
        print(f"{name} passed: {len(set(steps))}; steps: {len(steps)}; "
              f"returns to one already left: {returns}")
        print("  " + " → ".join(steps))


if __name__ == "__main__":
    main()
