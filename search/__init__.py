"""Search terms shared by storage (the FTS5 index) and the service (queries, snippets).

Pure: no I/O, no imports of `bot`, `dialogs`, `storage` or `telegram`, so each of them can
use it without depending on another.
"""
