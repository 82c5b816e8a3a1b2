"""FTS5 query building and snippet highlighting, proven against a real SQLite FTS5 table."""

from __future__ import annotations

import html
import sqlite3
import unicodedata
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.terms import (
    FTS_TOKENIZE,
    HL_CLOSE,
    HL_OPEN,
    Segment,
    _tokenize_each,
    encode,
    fold,
    fts_query,
    has_words,
    highlight,
    highlight_segments,
    owned_query,
    owned_terms,
    snippet_sql,
    strip_markers,
    tokenize,
)

NOTES = [
    "Fatima organiseert elke dinsdag een taalcafé in buurthuis De Linde.",
    "De Bibliotheek Rivierenland wil graag een leesclub voor nieuwkomers.",
    "Koffie in het cafe op de hoek, daar komen vooral ouderen.",
    "Problemen: te weinig vrijwilligers en geen vaste ruimte voor de bibliotheken.",
    'Ze zei letterlijk: "NEAR de kerk" - en dat AND (zo) * werkt: niet ^ goed.',
    "Over twee weken bellen met de wijkagent over de jongeren.",
]


@pytest.fixture()
def db(tmp_path: Path) -> sqlite_utils.Database:
    database = sqlite_utils.Database(tmp_path / "t.db")
    notes = database.table("notes")
    notes.create({"id": int, "body": str}, pk="id")
    notes.enable_fts(["body"], tokenize=FTS_TOKENIZE, create_triggers=True)
    # Inserted after enable_fts on purpose: the triggers must keep the index current.
    notes.insert_all({"id": i, "body": b} for i, b in enumerate(NOTES, 1))
    return database


def search(db: sqlite_utils.Database, user_text: str, lang: str = "nl") -> list[tuple[int, str]]:
    """Run the bot's search path: fts_query -> MATCH with bm25 ranking and snippet()."""
    q = fts_query(user_text, lang)
    if q is None:
        return []
    sql = (
        f"select notes.id, {snippet_sql('notes_fts', tokens=10)} "
        "from notes_fts join notes on notes.rowid = notes_fts.rowid "
        "where notes_fts match ? order by bm25(notes_fts), notes.id"
    )
    return [(row[0], row[1]) for row in db.execute(sql, [q]).fetchall()]


def ids(rows: list[tuple[int, str]]) -> list[int]:
    return [r[0] for r in rows]


def test_schema_uses_the_tokenizer(db: sqlite_utils.Database) -> None:
    assert "tokenize='unicode61 remove_diacritics 2'" in db.table("notes_fts").schema


def test_case_insensitive_and_prefix(db: sqlite_utils.Database) -> None:
    assert 2 in ids(search(db, "bibliotheek"))
    assert 2 in ids(search(db, "BIBLIOTHEEK"))
    # prefix on the last word: "bibliothe" finds both bibliotheek and bibliotheken
    assert set(ids(search(db, "bibliothe"))) == {2, 4}


def test_accents_fold_both_ways(db: sqlite_utils.Database) -> None:
    assert ids(search(db, "cafe")) == [3]  # "cafe" the word, not "taalcafé"
    assert ids(search(db, "café")) == [3]
    assert ids(search(db, "taalcafe")) == [1]
    assert ids(search(db, "TAALCAFÉ")) == [1]
    assert ids(search(db, "taalcafe\u0301")) == [1]  # decomposed accent as typed on some phones


def test_terms_are_anded(db: sqlite_utils.Database) -> None:
    assert ids(search(db, "vrijwilligers ruimte")) == [4]
    assert search(db, "vrijwilligers wijkagent") == []


def test_snippet_marks_hits_and_renders_safely(db: sqlite_utils.Database) -> None:
    rows = search(db, "leesclub")
    assert ids(rows) == [2]
    snippet = rows[0][1]
    assert HL_OPEN in snippet and HL_CLOSE in snippet
    rendered = highlight(snippet)
    assert "<b>leesclub</b>" in rendered
    assert HL_OPEN not in rendered and HL_CLOSE not in rendered


def test_user_text_with_html_is_escaped_in_highlight(db: sqlite_utils.Database) -> None:
    db.table("notes").insert({"id": 99, "body": "<script> taalcafé & <b>koffie</b>"})
    rows = search(db, "koffie")
    snippet = dict(rows)[99]
    rendered = highlight(snippet)
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered and "&amp;" in rendered
    assert "<b>koffie</b>" in rendered  # the only real tag is ours


@pytest.mark.parametrize(
    "text",
    ['"', '""', '"taalcafé', "*", "taal*", "NEAR", "NEAR(kerk, 2)", "-", "-kerk", "AND (",
     "AND", "OR", "NOT", ":", "body:kerk", "^", "^kerk", "(", ")", "{body}: x", "kerk +",
     "a\x00b", "werkt: niet ^ goed", "'; drop table notes; --"],
)
def test_fts_syntax_never_raises(db: sqlite_utils.Database, text: str) -> None:
    search(db, text)  # must not raise


def test_operator_words_are_searched_as_words(db: sqlite_utils.Database) -> None:
    assert ids(search(db, "NEAR kerk")) == [5]
    assert ids(search(db, '"NEAR" AND (zo) * werkt')) == [5]


def test_only_stop_words_or_nothing_gives_none() -> None:
    assert fts_query("de het een", "nl") is None
    assert fts_query("the and of", "en") is None
    assert fts_query("", "nl") is None
    assert fts_query("   ", "nl") is None
    assert fts_query("!?*:()\"", "nl") is None


def test_query_shape() -> None:
    q = fts_query("De bibliotheek en het taalcafé", "nl")
    assert q == '"bibliotheek" AND "taalcafé"*'
    # stop word last: no prefix on the remaining last term
    assert fts_query("taalcafé voor de", "nl") == '"taalcafé"'
    # duplicates (by folded form) collapse
    assert fts_query("Cafe café", "nl") == '"Cafe"*'
    # short last term: no prefix explosion
    assert fts_query("wijk 12", "nl") == '"wijk" AND "12"'


def test_stop_words_follow_the_language() -> None:
    assert fts_query("die", "en") == '"die"*'
    assert fts_query("die", "nl") is None
    assert fts_query("the", "nl") == '"the"*'


def test_fold_and_tokenize_mirror_unicode61() -> None:
    assert fold("Bibliotheek Café") == "bibliotheek cafe"
    assert tokenize("taal-café: 'NEAR' (x)") == ["taal", "café", "NEAR", "x"]
    assert tokenize("cafe\u0301") == ["café"]


def test_highlight_segments_are_robust() -> None:
    s = f"a{HL_OPEN}b{HL_CLOSE}c{HL_CLOSE}d{HL_OPEN}e"
    assert highlight_segments(s) == [Segment("a", False), Segment("b", True),
                                     Segment("cd", False), Segment("e", True)]
    assert highlight(s, escape=str, open_mark="«", close_mark="»") == "a«b»cd«e»"
    assert highlight("") == ""
    assert strip_markers(f"x{HL_OPEN}y{HL_CLOSE}") == "xy"


def test_highlight_with_markdown_escaper() -> None:
    def md(text: str) -> str:
        return "".join("\\" + ch if ch in "_*[]()~`>#+-=|{}.!" else ch for ch in text)

    out = highlight(f"1+1 {HL_OPEN}taal_café{HL_CLOSE}!", escape=md, open_mark="*", close_mark="*")
    assert out == "1\\+1 *taal\\_café*\\!"


_conn = sqlite3.connect(":memory:")
_conn.execute(f"create virtual table t using fts5(body, tokenize='{FTS_TOKENIZE}')")
_conn.executemany("insert into t(body) values (?)", [(n,) for n in NOTES])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60),
       st.sampled_from(["nl", "en", "xx"]))
def test_no_unicode_string_makes_match_raise(text: str, lang: str) -> None:
    q = fts_query(text, lang)
    if q is None:
        return
    _conn.execute(
        "select rowid, snippet(t, -1, char(2), char(3), '…', 8) from t where t match ? "
        "order by bm25(t)",
        [q],
    ).fetchall()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(['"', "*", "NEAR", "-", "AND", "OR", "NOT", "(", ")", ":", "^",
                                 "+", "{", "}", "bibliotheek", "café", " ", "de", "x"]),
                max_size=12))
def test_no_operator_soup_makes_match_raise(parts: list[str]) -> None:
    q = fts_query("".join(parts), "nl")
    if q is not None:
        _conn.execute("select rowid from t where t match ?", [q]).fetchall()


def test_html_escape_default_is_html() -> None:
    assert highlight(f"{HL_OPEN}a<b{HL_CLOSE}") == f"<b>{html.escape('a<b')}</b>"


def test_every_indexed_word_is_findable_by_itself_and_its_accent_variant(
    db: sqlite_utils.Database,
) -> None:
    for note_id, body in enumerate(NOTES, 1):
        for word in tokenize(body):
            for typed in (word, word.upper(), fold(word)):
                if fts_query(typed, "nl") is None:
                    continue
                assert note_id in ids(search(db, typed)), (typed, body)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60))
def test_tokenize_takes_the_quick_way_only_when_it_is_exact(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert tokenize(text) == _tokenize_each(nfc)


def test_owned_terms_and_query_put_the_owner_in_front() -> None:
    assert owned_terms("u12", "Café-avond bij Mehmet") == "u12xcafe u12xavond u12xbij u12xmehmet"
    match = fts_query("Café avond", "nl")
    assert match == '"Café" AND "avond"*'
    assert owned_query(match, "u12") == '"u12xcafe" AND "u12xavond"*'
    assert owned_query(match, ["c3", "u12"]) == (
        '("c3xcafe" OR "u12xcafe") AND ("c3xavond"* OR "u12xavond"*)')
    with pytest.raises(ValueError):
        owned_terms('u1" OR x', "a")
    with pytest.raises(ValueError):
        owned_query(match, [])


def test_encoded_words_are_one_plain_token_and_keep_prefixes() -> None:
    assert encode("Zaal") == "zzaal"
    assert encode("x\u19b0u2") == "xz0019b0u2"
    assert encode("שלום").startswith("z0005e9")
    for word in ("café", "Ærø", "pizza", "x\u19b0y", "日本語", "😀"):
        key = encode(word)
        assert key.isascii() and key.isalnum() and key == key.lower()
        assert all(key.startswith(encode(word[:n])) for n in range(len(word) + 1))


def test_an_owned_index_keeps_librarians_apart() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table t using fts5(terms, tokenize='{FTS_TOKENIZE}', content='')")
    docs = {1: ("u1", "Koffie in de bibliotheek"), 2: ("u12", "Koffieochtend bij de bieb"),
            3: ("u1", "Taalcafé elke dinsdag")}
    conn.executemany("insert into t(rowid, terms) values (?, ?)",
                     [(i, owned_terms(o, text)) for i, (o, text) in docs.items()])

    def found(owner: str, typed: str) -> set[int]:
        match = fts_query(typed, "nl")
        assert match is not None
        return {r[0] for r in conn.execute("select rowid from t where t match ?",
                                           [owned_query(match, owner)])}

    assert found("u1", "koff") == {1} and found("u12", "koff") == {2}
    assert found("u1", "TAALCAFE") == {3} and found("u12", "taalcafé") == set()
    assert found("u1", "koffie bibliotheek") == {1} and found("u1", "koffie dinsdag") == set()


def test_a_quoted_phrase_is_found_as_written(db: sqlite_utils.Database) -> None:
    db.table("notes").insert({"id": 50, "body": "Ze zoeken een plek om Nederlands te oefenen"})
    db.table("notes").insert({"id": 51, "body": "Een plek voor koffie, om te praten"})
    assert fts_query('"een plek om"', "nl") == '"een plek om"'
    assert ids(search(db, '"een plek om"')) == [50]
    assert set(ids(search(db, "plek"))) == {50, 51}
    assert ids(search(db, '"Een plek om" oefenen')) == [50]
    assert ids(search(db, '"plek om ned"*')) == [50]


def test_a_star_after_a_word_makes_it_a_prefix(db: sqlite_utils.Database) -> None:
    assert fts_query("bibliothe* leesclub", "nl") == '"bibliothe"* AND "leesclub"*'
    assert set(ids(search(db, "bibliothe* kerk"))) <= {2, 4, 5}
    assert fts_query("b* leesclub", "nl") == '"b" AND "leesclub"*'  # one letter: a word


def test_an_unclosed_quote_is_plain_words() -> None:
    assert fts_query('"een plek', "nl") == '"plek"*'
    assert fts_query('plek "', "nl") == '"plek"*'


def test_only_operators_is_told_apart_from_only_stop_words() -> None:
    assert fts_query('AND OR NOT NEAR " * ( )', "nl") is None and not has_words("AND OR ( )")
    assert fts_query("de het een", "nl") is None and has_words("de het een")
    assert not has_words("😀🎉") and has_words("图书馆")


def test_phrases_and_prefixes_stay_owned() -> None:
    match = fts_query('"een plek" taal*', "nl")
    assert match == '"een plek" AND "taal"*'
    assert owned_query(match, ["c3", "u12"]) == (
        '("c3xeen c3xplek" OR "u12xeen u12xplek") AND ("c3xtaal"* OR "u12xtaal"*)')
