"""A librarian's export read and rendered in the heavy-work process (bot/ops/offload.py).

Reading all of a librarian's notes takes a tenth of a second or more at 5,000 notes; on the
bot's event loop that held up every other librarian's reply, so the worker reads them too,
through a connection of its own (WAL: the bot keeps writing meanwhile), in one read
transaction, as of the moment the librarian asked. The version to share is made from that
snapshot (share_process.py) before any format is rendered.
"""

from __future__ import annotations

from datetime import datetime

from bot.features.export.files import Format, filename, render
from bot.features.export.options import EVERYTHING, Options
from bot.features.export.period import within
from bot.features.export.share_process import shared
from dialogs.catalog import Catalog
from storage.export import snapshot
from storage.store import Store


def export_file(path: str, user_id: int, community_id: int | None, catalog: Catalog,
                fmt: Format, asked_at: datetime,
                options: Options = EVERYTHING) -> tuple[str, bytes]:
    """(file name, content) of the export; ExportError when the community is not theirs."""
    store = Store(path, clock=lambda: asked_at)
    try:
        conn = store.db.conn
        conn.execute("BEGIN DEFERRED")  # one consistent read, without the write lock
        try:
            data = snapshot(store, user_id, community_id)
        finally:
            # A read ends the same either way; an I/O error has ended it already, and then
            # that error is what to tell, not "cannot commit - no transaction is active".
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    finally:
        store.close()
    data = within(data, options)  # what the period holds; CSV and JSON follow it too
    if options.shareable:  # before rendering, so every format names no one
        data = shared(data)
    name = data["communities"][0]["name"] if community_id is not None else None
    return filename(data, fmt, name, options), render(data, catalog, fmt, options)
