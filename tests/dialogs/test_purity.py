"""The core stays pure: dialogs/ imports neither telegram nor storage; storage not telegram."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_roots(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(path.name)
    return found


def test_dialogs_import_neither_telegram_nor_storage_nor_bot() -> None:
    roots = imported_roots("dialogs")
    forbidden = {"telegram", "storage", "bot", "httpx", "sqlite3", "sqlite_utils"}
    assert not forbidden & roots.keys(), roots


def test_storage_does_not_import_telegram_or_bot() -> None:
    roots = imported_roots("storage")
    assert not {"telegram", "bot"} & roots.keys(), roots


def test_storage_and_search_do_not_import_the_dialog_core() -> None:
    """storage/actions.py's migration reads "actie:" notes with search/marks.py, not dialogs."""
    for folder in ("storage", "search"):
        assert "dialogs" not in imported_roots(folder), folder


def test_the_check_itself_sees_imports() -> None:
    assert "telegram" in imported_roots("bot")


def test_search_terms_import_none_of_the_layers() -> None:
    """search/ is shared by storage (the index) and the service (queries), so it may import
    neither of them, nor the dialog core or telegram."""
    roots = imported_roots("search")
    assert not {"telegram", "bot", "dialogs", "storage", "sqlite_utils"} & roots.keys(), roots
