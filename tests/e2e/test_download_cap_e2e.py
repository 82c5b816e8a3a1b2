"""Files over VELDGIDS_MAX_DOWNLOAD_MB are never fetched in full (issue 27, point 8): through
the real `veldgids run` against a fake Bot API playing a local Bot API server, which (unlike
Telegram's cloud) hands out files of any size."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import figures
from tests.e2e.harness import BotProcess, settle
from tests.e2e.test_talk_e2e import ANNA, onboard
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e

MB = 1024 * 1024
CAP_MB = 5
BODY = 52 * MB  # what the file server would send in full
TOLD = f"groter dan {CAP_MB} MB"


def notices(api: FakeBotAPI) -> int:
    return sum(TOLD in (m.get("text") or "") for m in api.bot_messages(ANNA))


def kept_files(tmp_path: Path) -> list[Path]:
    users = tmp_path / "data" / "users"
    return [p for p in users.rglob("*") if p.is_file()] if users.exists() else []


def test_a_file_over_the_cap_is_not_fetched_and_the_librarian_is_told_once(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    api.serve_like_local_server()
    bot_factory({"VELDGIDS_MAX_DOWNLOAD_MB": str(CAP_MB)}).start()
    onboard(api)

    # getFile says 10 GB: not a byte is fetched.
    huge = api.send_document(ANNA, b"%PDF-1.4", file_name="opname.pdf", size=10 * 1024 * MB,
                             body=BODY)
    api.wait_for_message(ANNA, TOLD, timeout=30)
    assert api.served(huge["document"]["file_id"]) == 0

    # getFile says 1 kB, the server announces 52 MB: refused before the body is read.
    told = api.send_document(ANNA, b"%PDF-1.4", file_name="notulen.pdf", size=1000,
                             body=BODY)
    api.wait_for(lambda: notices(api) == 2, timeout=30, what="the second notice")
    announced = api.served(told["document"]["file_id"])

    # getFile says 1 kB and the server sends 52 MB without saying so: streaming stops at the
    # cap. What left the server is the cap plus what the sockets' buffers held at hang-up.
    started = time.monotonic()
    liar = api.send_document(ANNA, b"%PDF-1.4", file_name="verslag.pdf", size=1000,
                             body=BODY, length_header=False)
    api.wait_for(lambda: notices(api) == 3, timeout=30, what="the third notice")
    stopped_after = time.monotonic() - started
    served = api.served(liar["document"]["file_id"])
    assert CAP_MB * MB <= served < BODY // 2, served
    assert announced < BODY // 2, announced

    # A file under the cap still arrives.
    small = api.send_document(ANNA, b"%PDF-1.4 klein verslag", file_name="klein.pdf")
    api.wait_for(lambda: api.served(small["document"]["file_id"]) > 0, timeout=30,
                 what="the small file fetched")
    settle(api)
    db = sqlite3.connect(tmp_path / "veldgids.db")
    states = db.execute("SELECT download, file_id FROM notes WHERE kind = 'document'"
                        " ORDER BY id").fetchall()
    assert [s for s, _ in states] == ["too_big"] * 3 + ["ok"]
    assert all(file_id for _, file_id in states)  # kept as a reference to the chat's file
    assert [p.read_bytes() for p in kept_files(tmp_path)] == [b"%PDF-1.4 klein verslag"]
    assert notices(api) == 3  # once per file, never again
    figures.record("download_cap", cap_mb=CAP_MB, reported_gb=10, fetched_of_huge=0,
                   body_mb=BODY // MB, served_mb_announced=round(announced / MB, 1),
                   served_mb_unannounced=round(served / MB, 1),
                   stopped_after_s=round(stopped_after, 2))
