"""Invite and claim codes in SQLite: only hashes, expiry, single use, a bare stranger count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.access import AccessRepo, code_hash
from storage.store import Store
from tests.access_helpers import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def repo(db_path: Path, clock: Clock) -> Iterator[AccessRepo]:
    store = Store(db_path, clock=clock)
    yield AccessRepo(store)
    store.close()


def test_codes_are_random_long_and_stored_only_as_a_hash(repo: AccessRepo) -> None:
    codes = {repo.create_code("invite", None) for _ in range(50)}
    assert len(codes) == 50 and all(len(c) >= 16 for c in codes)
    stored = repo.db.execute("SELECT code_hash FROM invites").fetchall()
    assert {row[0] for row in stored} == {code_hash(c) for c in codes}
    dump = "\n".join(repo.db.iterdump())
    assert not any(c in dump for c in codes)


def test_a_code_is_valid_until_used_or_expired(repo: AccessRepo, clock: Clock) -> None:
    user = repo.store.create_user(name="Bram", language="nl", timezone="Europe/Amsterdam",
                                  telegram_id=2002)
    code = repo.create_code("invite", None)
    found = repo.check(code, ())
    assert found.problem is None and found.kind == "invite" and found.invite_id
    repo.mark_used(found.invite_id, user.id)
    assert repo.check(code, ()).problem == "used"
    other = repo.create_code("invite", None)
    clock.advance(days=7)
    assert repo.check(other, ()).problem == "expired"
    assert repo.check("nonsense", ()).problem == "unknown"
    assert repo.check(" " + other + "\n", ()).problem == "expired"  # whitespace is ignored


def test_claim_codes_never_expire_but_stop_when_there_is_an_admin(repo: AccessRepo,
                                                                  clock: Clock) -> None:
    code = repo.create_code("claim", None, days=None)
    clock.advance(days=400)
    assert repo.check(code, ()).problem is None
    assert repo.check(code, (4242,)).problem == "has_admin"
    admin = repo.store.create_user(name="A", language="nl", timezone="UTC", telegram_id=1,
                                   is_admin=True)
    assert repo.has_admin(())
    assert repo.check(code, ()).problem == "has_admin"
    repo.set_status(admin.id, "revoked")
    assert not repo.has_admin(())


def test_stranger_counts_hold_a_number_per_day_only(repo: AccessRepo) -> None:
    for _ in range(3):
        repo.count_stranger("2025-03-03")
    repo.count_stranger("2025-03-04")
    assert repo.strangers("2025-03-03") == 3 and repo.strangers("2025-03-04") == 1
    cols = [r[1] for r in repo.db.execute("PRAGMA table_info(stranger_counts)")]
    assert cols == ["day", "count"]


def test_migrations_rerun_safely(db_path: Path) -> None:
    Store(db_path).close()
    store = Store(db_path)
    assert store.integrity() == "ok"
    store.close()
