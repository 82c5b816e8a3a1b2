"""One librarian's notes can't blank another's search (issue 13, point 6).

Python's idea of a word and SQLite's unicode61 tokenizer disagree about some code points
(21 letters such as U+19B0, and many combining marks): Python keeps `x\u19b0u2xtaalcafe` one
word, SQLite splits it. When index terms were built in Python and keyed by owner, such a
note produced another owner's term (`u2xtaalcafe`), and since ranking and the newest-200
window run before anything else, enough of them blanked that owner's search. Every such
code point is found here from the running Python and SQLite, not from a list.
"""

from __future__ import annotations

import sqlite3
import unicodedata

from search.terms import FTS_TOKENIZE, fts_query, tokenize
from storage.search import SEARCH_POOL
from storage.store import Store
from storage.talk import TalkRepo
from tests import figures


def disagreeing_code_points() -> list[int]:
    """Code points inside a word for Python's tokenizer that SQLite's splits the word at."""
    inside = [cp for cp in range(0x80, 0x110000) if not 0xD800 <= cp <= 0xDFFF
              and len(tokenize(f"a{chr(cp)}b")) == 1]
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{FTS_TOKENIZE}')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)",
                     [(cp, f"a{chr(cp)}b") for cp in inside])
    return [row[0] for row in conn.execute(
        "SELECT doc FROM v GROUP BY doc HAVING count(*) > 1 ORDER BY doc")]


def librarian(store: Store, telegram_id: int, community: str) -> tuple[int, int]:
    user = store.create_user(name=community, language="nl", timezone="Europe/Amsterdam",
                             telegram_id=telegram_id)
    return user.id, store.create_community(user.id, community, None)


def found(repo: TalkRepo, user_id: int, words: str) -> list[str]:
    match = fts_query(words, "nl")
    assert match is not None
    return [h.snippet.replace("\x02", "").replace("\x03", "") for h in repo.search(user_id, match)]


def test_no_code_point_lets_one_librarian_blank_anothers_search(store: Store) -> None:
    code_points = disagreeing_code_points()
    letters = [cp for cp in code_points if unicodedata.category(chr(cp)).startswith("L")]
    assert 0x19B0 in letters and len(letters) >= 21, [hex(cp) for cp in letters]
    repo = TalkRepo(store)
    bram, bram_community = librarian(store, 2, "Leesclub")
    store.add_note(bram, bram_community, "Taalcafé op dinsdag in de bieb", [])
    store.add_note(bram, None, "Taalcafé buiten een community om", [])
    anna, anna_community = librarian(store, 1, "Moestuin")
    # Anna writes, after Bram, one note per code point aimed at each key Bram's words may
    # carry: his community's, his own, and a prefix of them.
    aimed = [f"c{bram_community}x", f"u{bram}x"]
    with store.atomic():
        for cp in code_points:
            for key in aimed:
                store.add_note(anna, anna_community, f"x{chr(cp)}{key}taalcafe", [])
    assert 2 * len(code_points) > SEARCH_POOL
    for words in ("taalcafe", "Taalcafé", "taalc", "dinsdag taalcafe"):
        hits = found(repo, bram, words)
        assert "Taalcafé op dinsdag in de bieb" in hits, (words, hits[:3])
        assert all("Taalcafé" in hit and "\\u" not in hit for hit in hits), (words, hits[:3])
    assert found(repo, anna, "taalcafe") == []
    figures.record("hardening_search", code_points=len(code_points), letters=len(letters),
                   poisoning_notes=2 * len(code_points), blanked=0)


def test_another_librarians_many_matches_never_push_yours_out(store: Store) -> None:
    repo = TalkRepo(store)
    bram, bram_community = librarian(store, 2, "Leesclub")
    store.add_note(bram, bram_community, "Koffieochtend met de wijkagent", [])
    anna, anna_community = librarian(store, 1, "Moestuin")
    with store.atomic():
        for n in range(SEARCH_POOL + 50):
            store.add_note(anna, anna_community, f"koffieochtend {n} in de moestuin", [])
    assert found(repo, bram, "koffieochtend") == ["Koffieochtend met de wijkagent"]
    assert len(found(repo, anna, "koffieochtend")) == 8  # hers: the best eight
