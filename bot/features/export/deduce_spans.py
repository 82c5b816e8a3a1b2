"""What deduce (offline de-identification made for Dutch text) finds in a text, as
(start, end, kind) with the kinds of `bot/features/export/anonymise.py`.

deduce is loaded once per process, on first use: it reads its lookup lists (names, streets,
places) from a pickle it builds next to them on its first run in a fresh install (about
100 s; later loads take seconds, see `loaded_in`). Its place-name, date, age and
institution annotators are off: those stay in a shareable report (anonymise.py says why),
birth dates are found there by pattern.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DISABLED = frozenset({"placename", "dates", "ages", "institutions"})
KINDS = {
    "persoon": "naam", "locatie": "adres", "telefoonnummer": "telefoonnummer",
    "emailadres": "e-mailadres", "url": "url", "bsn": "nummer", "id": "nummer",
}
# deduce joins names that follow each other ("Jan Jansen. Roos"); split them so a colleague
# among them stays and a sentence keeps its full stop.
_BETWEEN_NAMES = re.compile(r"\s*(?:[.,;:!?/&]|\s(?:en|of)\s)\s*")
_TITLE_OR_PARTICLE = frozenset({
    "mevrouw", "meneer", "mevr.", "mw.", "dhr.", "heer", "de", "van", "der", "den", "het",
    "ter", "ten", "juf", "meester",
})

PICKLE = "lookup_structs.pickle"  # what deduce builds in `cache/` of its lookup folder

_lock = threading.Lock()
_deduce: Any = None
loaded_in: float | None = None  # seconds the first load took in this process


def load(cache_dir: Path | None = None) -> Any:
    """The process's Deduce, loaded on first use. deduce keeps its built lookup structures
    in its own package folder (`cache_path`); where that folder holds none and cannot be
    written, as in a container built without them, they go to `cache_dir`."""
    global _deduce, loaded_in
    with _lock:
        if _deduce is None:
            began = time.perf_counter()
            from deduce import Deduce  # heavy: only once a shareable export is asked for

            where = cache_path(cache_dir)
            _deduce = Deduce(cache_path=where) if where else Deduce()
            loaded_in = time.perf_counter() - began
    return _deduce


def loaded() -> bool:
    """Whether this process holds deduce already (about 1 GB)."""
    return _deduce is not None


def cache_path(cache_dir: Path | None) -> Path | None:
    """Where deduce should keep its lookup structures: None for its own package folder
    (built there already, e.g. by the Docker image or `make`, or writable), else
    `cache_dir`."""
    spec = importlib.util.find_spec("deduce")
    if cache_dir is None or spec is None or spec.origin is None:
        return cache_dir
    own = Path(spec.origin).parent / "data" / "lookup" / "cache"
    if (own / PICKLE).exists() or os.access(own, os.W_OK):
        return None
    return cache_dir


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, at = [], start
    for sep in _BETWEEN_NAMES.finditer(text, start, end):
        if sep.start() > at:
            out.append((at, sep.start()))
        at = sep.end()
    if at < end:
        out.append((at, end))
    return out


def _is_colleague(piece: str, kept: set[str]) -> bool:
    words = [w for w in piece.lower().split() if w not in _TITLE_OR_PARTICLE]
    return bool(words) and all(re.sub(r"['’]s$", "", w) in kept for w in words)


def detect(text: str, colleagues: Sequence[str] = ()) -> list[tuple[int, int, str]]:
    """Names, addresses, phone numbers, e-mail addresses, URLs and long numbers deduce
    finds; a name made of colleagues' names only is left out."""
    if not text.strip():
        return []
    kept = {w.lower() for c in colleagues for w in c.split()} - _TITLE_OR_PARTICLE
    doc = load().deidentify(text, disabled=set(DISABLED))
    found: list[tuple[int, int, str]] = []
    for annotation in doc.annotations:
        kind = KINDS.get(annotation.tag)
        if kind is None:
            continue
        if kind != "naam":
            found.append((annotation.start_char, annotation.end_char, kind))
            continue
        found += [(a, b, kind) for a, b in _pieces(text, annotation.start_char,
                                                  annotation.end_char)
                  if not _is_colleague(text[a:b], kept)]
    return sorted(found)


if __name__ == "__main__":  # builds the lookup structures ahead: `make`, the Docker image
    load(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(f"deduce loaded in {loaded_in:.0f} s")
