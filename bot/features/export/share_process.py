"""The version to share, made in a short-lived process of its own.

deduce holds about 1 GB once loaded. The heavy-work process (bot/ops/offload.py) lives as
long as the bot, so loading deduce there would keep that gigabyte for good after one
shareable export. `shared(data)` therefore starts a fresh process (spawn: it inherits
nothing of the worker) that loads deduce, makes the snapshot shareable and ends, giving the
memory back. A process that holds deduce already (tests, the bench) does it in place.

The first load in an install without deduce's lookup structures builds them (about 70 s on
two cores); `make` and the Docker image build them ahead (deduce_spans.py `__main__`), and
the bot answers others meanwhile: the export runs off the event loop (the "later" reply).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bot.features.export import deduce_spans
from bot.features.export.shareable import shareable
from storage.export import ExportError

WATCH_SECONDS = 2.0


def cache_dir() -> Path:
    """A writable folder for deduce's lookup structures: the data dir's deduce/."""
    return Path(os.environ.get("VELDGIDS_DATA_DIR") or "data") / "deduce"


def shared(data: dict[str, Any]) -> dict[str, Any]:
    """shareable(data), with deduce loaded in a process that ends after it."""
    if deduce_spans.loaded():
        return shareable(data)
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_in_child, args=(send, data, cache_dir(), os.getpid()),
                            name="veldgids-share", daemon=False)
    child.start()
    send.close()
    try:
        ok, result = receive.recv()
    except EOFError:  # it died (killed, out of memory) before answering
        raise ShareError(f"the shareable export's process ended ({child.exitcode})") from None
    finally:
        receive.close()
        child.join()
    if not ok:
        raise ShareError(result)
    shared_data: dict[str, Any] = result
    return shared_data


class ShareError(ExportError):
    """The version to share could not be made (its process died, or deduce failed)."""

    reply = "export_share_failed"  # what /export tells the librarian


def _in_child(send: Connection, data: dict[str, Any], folder: Path, parent: int) -> None:
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()
    try:
        deduce_spans.load(folder)
        send.send((True, shareable(data)))
    except Exception as error:  # told to the process that asked, as text (always pickles)
        send.send((False, f"{type(error).__name__}: {error}"))
    finally:
        send.close()
        # Freeing deduce's millions of objects one by one takes longer than loading them
        # (20 s against 15 s measured): the process ends without it.
        os._exit(0)


def _watch(parent: int) -> None:
    """Leave when the process that asked is gone (the bot and its worker were stopped)."""
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent:
            os._exit(0)
