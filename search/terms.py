"""Pure helpers for SQLite FTS5 full-text search over notes.

Long: the whole contract between what is indexed and what is searched (tokenizer, typed
query, owner keys, snippets) is one module, so the two sides cannot drift apart.

The storage layer must index with the tokenizer in :data:`FTS_TOKENIZE`
(``unicode61 remove_diacritics 2``); :func:`fts_query` builds MATCH
expressions whose terms are always quoted string literals, so nothing the
librarian types can be read as FTS5 syntax. Snippets are produced with the
control-character markers :data:`HL_OPEN` / :data:`HL_CLOSE` and rendered with
:func:`highlight`.

An index shared by many librarians can give each owner (a community, or a librarian's
notes outside any community) words of their own: index :func:`owned_terms` instead of the
text and search with :func:`owned_query` over the owners a librarian may read, so a search
reads only their index entries, however many others there are.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

__all__ = [
    "FTS_TOKENIZE",
    "HL_OPEN",
    "HL_CLOSE",
    "SNIPPET_ELLIPSIS",
    "STOPWORDS",
    "Segment",
    "fold",
    "tokenize",
    "is_stopword",
    "fts_query",
    "has_words",
    "encode",
    "owned_terms",
    "owned_query",
    "snippet_sql",
    "strip_markers",
    "highlight_segments",
    "highlight",
]

#: Tokenizer the FTS5 table must be created with (sqlite-utils: ``enable_fts(..., tokenize=...)``).
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

#: Start-of-match marker for ``snippet()``; a control character Telegram text never needs.
HL_OPEN = "\x02"
#: End-of-match marker for ``snippet()``.
HL_CLOSE = "\x03"
#: Ellipsis ``snippet()`` puts where it cut the text.
SNIPPET_ELLIPSIS = "…"

#: FTS5's operators; in capitals they are dropped from a query (see :func:`fts_query`).
FTS_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
#: Most terms one query may contain; the rest is ignored.
MAX_TERMS = 12
#: Shortest (folded) last term that gets a prefix match.
MIN_PREFIX_LEN = 3

def _words(text: str) -> frozenset[str]:
    """Whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


_STOP_NL = _words("""
aan al alle alles als bij ben bent dan dat de deze die dit doch door dus een eens en er
ge geen had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je jij
jou jouw jullie kan kon kunnen maar me meer men met mij mijn moet na naar niet niets
nog nu of om omdat onder ons onze ook op over reeds te tegen toch toen tot u uit uw
van veel voor want waren was wat we wel werd wie wij wil worden wordt zal ze zei zelf
zich zij zijn zo zonder zou
""")

_STOP_EN = _words("""
a about after all also am an and any are as at be been being but by can could did
do does for from had has have he her him his how i if in into is it its just me more
my no nor not of on or our out over she so some such than that the their them then
there these they this those to too us very was we were what when where which who why
will with would you your
""")

#: Stop words per language, in folded form (see :func:`fold`).
STOPWORDS: dict[str, frozenset[str]] = {
    "nl": _STOP_NL,
    "en": _STOP_EN,
}

# Unicode categories the unicode61 tokenizer treats as part of a token: its
# default "L* N* Co", plus Mn because remove_diacritics makes combining marks
# part of the token (and then drops them).
_TOKEN_CATEGORIES = ("L", "N")
_TOKEN_EXTRA = frozenset({"Co", "Mn"})


def _is_token_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in _TOKEN_CATEGORIES or cat in _TOKEN_EXTRA


def fold(text: str) -> str:
    """Lower-case and strip diacritics, as ``unicode61 remove_diacritics 2`` does for Latin text."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).lower()


# Letters and digits, which is all of unicode61's token characters in most text; the
# characters between them are checked, and any token character there (a combining mark
# NFC could not compose, a private-use character) sends the text the slow way.
_ALNUM = re.compile(r"[^\W_]+")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]+")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into tokens the way unicode61 does (NFC, original case and accents)."""
    if text.isascii():
        return _ASCII_ALNUM.findall(text)
    text = unicodedata.normalize("NFC", text)
    words = _ALNUM.findall(text)
    between = _ALNUM.sub("", text)
    if between.isascii() or not any(_is_token_char(ch) for ch in between):
        return words
    return _tokenize_each(text)


def _tokenize_each(text: str) -> list[str]:
    """:func:`tokenize` one character at a time, for NFC ``text``."""
    out: list[str] = []
    current: list[str] = []
    for ch in text:
        if _is_token_char(ch):
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def is_stopword(token: str, lang: str) -> bool:
    """Whether ``token`` is a stop word in ``lang`` (unknown languages: Dutch or English)."""
    folded = fold(token)
    words = STOPWORDS.get(lang)
    if words is None:
        return folded in STOPWORDS["nl"] or folded in STOPWORDS["en"]
    return folded in words


def _literal(token: str) -> str:
    """Quote ``token`` as an FTS5 string literal."""
    return '"' + token.replace('"', '""') + '"'


def has_words(user_text: str) -> bool:
    """Whether the text holds anything to look for besides FTS5's operators and punctuation
    (emoji and signs are no words either): tells "only common words" from "no words"."""
    return any(token not in FTS_OPERATORS for token in tokenize(user_text))


# A quoted phrase ("een plek om", a star after it makes its last word a prefix), or a word
# with a star right after it (taal*); everything else typed is plain words.
_TYPED = re.compile(r'"([^"]*)"(\*?)|([^\s"*]+)(\*?)|[\s\S]')


class _Piece(NamedTuple):
    tokens: list[str]
    phrase: bool  # several words looked for as written
    star: bool  # the last word is a prefix, as typed


def _pieces(user_text: str) -> list[_Piece]:
    """What was typed, as phrases and words; operators outside quotes left out."""
    out = []
    for found in _TYPED.finditer(user_text):
        phrase, phrase_star, word, word_star = found.groups()
        if phrase is not None:
            tokens, star = tokenize(phrase), bool(phrase_star)
        else:
            tokens = [t for t in tokenize(word or "") if t not in FTS_OPERATORS]
            star = bool(word_star)
        if len(tokens) > 1 and phrase is not None:
            out.append(_Piece(tokens, True, star))
        else:  # words (a quoted single word too), the star on the last one
            out += [_Piece([t], False, star and n == len(tokens) - 1)
                    for n, t in enumerate(tokens)]
    return out


def fts_query(user_text: str, lang: str) -> str | None:
    """Turn free text into a safe FTS5 MATCH expression, or ``None`` if nothing is searchable.

    A quoted phrase is looked for as written, stop words and all (``"een plek om"``); a star
    right after a word or phrase makes its last word a prefix (``taal*``, two letters or
    more). Every other word is a quoted string literal joined with AND, so quotes, ``*``,
    ``:``, ``^``, ``-`` and parentheses are just separators, and the operators ``AND``,
    ``OR``, ``NOT`` and ``NEAR`` in capitals are left out. Stop words of ``lang`` are dropped
    outside phrases; the last term (if it was the last word typed and has at least three
    letters) gets a prefix match. Returns ``None`` for empty input or input that holds only
    stop words / punctuation.
    """
    pieces = _pieces(user_text)
    parts: list[str] = []
    seen: set[str] = set()
    for piece in pieces:
        key = " ".join(fold(t) for t in piece.tokens)
        star = piece.star and len(fold(piece.tokens[-1])) >= 2
        if not key or key in seen or not (piece.phrase or star) and is_stopword(key, lang):
            continue
        seen.add(key)
        parts.append(_literal(" ".join(piece.tokens)) + ("*" if star else ""))
    if not parts:
        return None
    last = pieces[-1]
    if (len(parts) <= MAX_TERMS and not last.phrase and not parts[-1].endswith("*")
            and fold(parts[-1][1:-1]) == fold(last.tokens[-1])
            and len(fold(last.tokens[-1])) >= MIN_PREFIX_LEN):
        parts[-1] += "*"
    return " AND ".join(parts[:MAX_TERMS])


#: Joins the owner key and a word in :func:`owned_terms`. Owner keys are a letter and
#: digits (``c12`` for a community, ``u5`` for a librarian's notes outside any), so the
#: first ``x`` after them ends the key: ``c1x2x…`` and ``c12x…`` never meet.
OWNER_JOIN = "x"

_OWNER = re.compile(r"[a-z][0-9]+")
_LITERAL = re.compile(r'"((?:[^"]|"")*)"(\*?)')
# Characters an encoded word keeps as they are; every other one is escaped with "z".
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxy0123456789")


def _owner_mark(owner: str) -> str:
    if not _OWNER.fullmatch(owner):
        raise ValueError(f"owner key must be a letter and digits, not {owner!r}")
    return owner + OWNER_JOIN


def encode(word: str) -> str:
    """A word as index characters: folded (see :func:`fold`), then ``a``–``y`` and digits as
    they are, ``z`` as ``zz`` and any other character as ``z`` plus its code point in six
    hex digits. The result is plain ASCII letters and digits, so SQLite's tokenizer keeps it
    one token whatever its Unicode tables say about the original characters (Python and
    SQLite disagree about some, e.g. U+19B0, which would otherwise split a term in two and
    let one librarian's text produce another's index terms). A prefix of a word encodes to
    a prefix of its encoding, so prefix search keeps working."""
    out: list[str] = []
    for ch in fold(word):
        if ch in _PLAIN:
            out.append(ch)
        elif ch == "z":
            out.append("zz")
        else:
            out.append(f"z{ord(ch):06x}")
    return "".join(out)


def owned_terms(owner: str, text: str) -> str:
    """The text to index for ``owner``'s ``text``: each token, encoded, with the owner key in
    front (``c12xkoffie``), one term per token of the text, in order."""
    mark = _owner_mark(owner)
    return " ".join(mark + key for token in tokenize(text) if (key := encode(token)))


def owned_query(match: str, owners: str | list[str] | tuple[str, ...]) -> str:
    """An :func:`fts_query` expression for an index of :func:`owned_terms`: every term
    becomes the same term of any of ``owners`` (and a prefix term a prefix of their terms
    only), so a search reads nothing but the entries of those owners."""
    marks = [_owner_mark(o) for o in ([owners] if isinstance(owners, str) else owners)]
    if not marks:
        raise ValueError("a search needs at least one owner key")

    def one(found: re.Match[str]) -> str:
        words = [encode(t) for t in tokenize(found.group(1).replace('""', '"'))]
        star = found.group(2)
        terms = ['"' + " ".join(mark + key for key in words) + f'"{star}' for mark in marks]
        return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"

    return _LITERAL.sub(one, match)


def snippet_sql(fts_table: str, column: int = -1, tokens: int = 12) -> str:
    """The ``snippet(...)`` SQL expression with this module's markers, for ``fts_table``."""
    ident = '"' + fts_table.replace('"', '""') + '"'
    return (
        f"snippet({ident}, {int(column)}, char({ord(HL_OPEN)}), char({ord(HL_CLOSE)}), "
        f"'{SNIPPET_ELLIPSIS}', {int(tokens)})"
    )


def strip_markers(text: str) -> str:
    """Remove highlight markers from text (call on note text before storing it)."""
    return text.replace(HL_OPEN, "").replace(HL_CLOSE, "")


class Segment(NamedTuple):
    """A piece of a snippet; ``hit`` is True for matched text."""

    text: str
    hit: bool


def highlight_segments(snippet: str) -> list[Segment]:
    """Split an FTS5 snippet into plain and matched segments.

    Tolerates unbalanced markers: a stray close is ignored, an unclosed open
    runs to the end. Adjacent segments of the same kind are merged.
    """
    segments: list[Segment] = []
    buf: list[str] = []
    inside = False

    def flush() -> None:
        if not buf:
            return
        text = "".join(buf)
        buf.clear()
        if segments and segments[-1].hit == inside:
            segments[-1] = Segment(segments[-1].text + text, inside)
        else:
            segments.append(Segment(text, inside))

    for ch in snippet:
        if ch == HL_OPEN:
            if not inside:
                flush()
                inside = True
        elif ch == HL_CLOSE:
            if inside:
                flush()
                inside = False
        else:
            buf.append(ch)
    flush()
    return segments


def highlight(
    snippet: str,
    escape: Callable[[str], str] = html.escape,
    open_mark: str = "<b>",
    close_mark: str = "</b>",
) -> str:
    """Render a snippet: every segment passes through ``escape``, matches are wrapped in marks.

    Defaults give Telegram HTML (``<b>..</b>``, rest HTML-escaped). For plain text
    use ``highlight(s, escape=str, open_mark="«", close_mark="»")``; for MarkdownV2
    pass the bot's MarkdownV2 escaper with ``"*"``/``"*"``.
    """
    out: list[str] = []
    for seg in highlight_segments(snippet):
        text = escape(seg.text)
        out.append(f"{open_mark}{text}{close_mark}" if seg.hit else text)
    return "".join(out)
