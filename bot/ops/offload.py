"""Heavy CPU work (Word/Markdown/CSV exports, charts) in a separate process.

A thread is not enough: python-docx and matplotlib hold the GIL for most of their work, so a
Word export of 5,000 notes rendered in a thread delays every other librarian's reply by
seconds. `call` sends a module-level function and plain picklable arguments to a small pool
started on first use (forkserver: the workers do not inherit the bot's threads or open
database), at a lower CPU priority than the bot, and blocks its caller — a worker thread,
never the event loop — until the result is back.

The dialog catalog is not sent along with every call: the workers get it once, when the pool
starts, and an argument that is the registered catalog travels as a mark.

Without a started pool (tests, the console, scripts) `call` runs the function in place.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from dialogs.catalog import Catalog

log = logging.getLogger("veldgids.offload")

T = TypeVar("T")
WORKERS = 1  # two cores: one for the bot, one for heavy work
NICENESS = 10  # under contention the bot's replies go first
WATCH_SECONDS = 2.0  # how often a worker checks that the bot still runs

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_catalog: Catalog | None = None  # in the bot: the one to replace by a mark; in a worker: its copy
_enabled = False


class _CatalogMark:
    """Stands for the catalog in a call's arguments; the worker puts its own copy back."""


def portable(catalog: Catalog) -> tuple[Any, ...]:
    """What rendering needs of the catalog (dialogs, texts, names), without the validators,
    computed values and step kinds, which point into the bot's code and do not pickle."""
    return dict(catalog.dialogs), dict(catalog.texts), catalog.names


def enable(catalog: Catalog) -> None:
    """Use a process pool from now on (the running bot); it starts with the first call."""
    global _catalog, _enabled
    with _lock:
        _catalog, _enabled = catalog, True


def shutdown() -> None:
    global _pool, _enabled
    with _lock:
        pool, _pool, _enabled = _pool, None, False
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a worker process if the pool is enabled, else here. Blocks:
    call it from a worker thread (`asyncio.to_thread`), not on the event loop."""
    pool = _get_pool()
    if pool is None:
        return fn(*args, **kwargs)
    marked = tuple(_mark(a) for a in args)
    marked_kw = {k: _mark(v) for k, v in kwargs.items()}
    try:
        return pool.submit(_run, fn, marked, marked_kw).result()
    except BrokenProcessPool:  # a worker died (killed, out of memory): a fresh pool, once
        log.warning("the heavy-work process died; starting a new one")
        _drop(pool)
        pool = _get_pool()
        assert pool is not None
        return pool.submit(_run, fn, marked, marked_kw).result()


def _mark(value: Any) -> Any:
    return _CatalogMark() if _catalog is not None and value is _catalog else value


def _get_pool() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if not _enabled:
            return None
        if _pool is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() \
                else "spawn"
            assert _catalog is not None
            _pool = ProcessPoolExecutor(
                max_workers=WORKERS, mp_context=multiprocessing.get_context(method),
                initializer=_init, initargs=(portable(_catalog), os.getpid()))
        return _pool


def _drop(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def _init(parts: tuple[Any, ...], bot: int) -> None:
    global _catalog
    dialogs, texts, names = parts
    _catalog = Catalog(dialogs=dialogs, texts=texts, names=names)
    with contextlib.suppress(OSError):  # not allowed here: same priority, still off our GIL
        os.nice(NICENESS)
    threading.Thread(target=_watch, args=(bot,), name="bot-watch", daemon=True).start()


def _watch(bot: int) -> None:
    """Leave when the bot is gone. A worker holds both ends of its task pipe, so a bot that
    was killed (SIGKILL, out of memory) would otherwise leave it, and the forkserver that
    waits for it, behind for good."""
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            os.kill(bot, 0)
        except (ProcessLookupError, PermissionError):  # gone (its id may be someone else's)
            os._exit(0)


def _run(fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    args = tuple(_catalog if isinstance(a, _CatalogMark) else a for a in args)
    kwargs = {k: _catalog if isinstance(v, _CatalogMark) else v for k, v in kwargs.items()}
    return fn(*args, **kwargs)


atexit.register(shutdown)
