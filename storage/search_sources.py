"""What the search index holds: every text a librarian or her colleagues typed or dictated.

One `Source` per kind of record says, as SQL over the record's row (named `new`, as in a
trigger), which text is indexed, under which key (`scope`: the community's, or the author's
for what lies outside any community, or the library's for its frame), written by whom, and
what a hit needs to say where it was found. The same expressions make the triggers that
keep the index in step with every insert, edit and delete (storage/search.py), fill it
once for an existing database, and read a hit's whereabouts: one definition, no drift.

Left out on purpose: the bot's prompts (transcript turns by 'bot') and the summaries the bot
makes of a conversation. A summary is built from her notes, which are indexed as turns, so
indexing it found every conversation note twice, and matched on headings and keywords she
never typed; what she typed at the end of a conversation (the place, the reflection's
answers in her words) is indexed as the conversation itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

# Listed last in storage/schema.py, after every table it indexes exists (storage/search.py's
# own set runs before most of them are made).
migrations = Migrations("veldgids-search-sources")

#: The key every librarian reads: the library's own frame (phase 1), one for everyone.
LIBRARY_SCOPE = "l0"

_OWN_SCOPE = "coalesce('c' || new.community_id, 'u' || new.user_id)"
_COMMUNITY_SCOPE = "'c' || new.community_id"
_IN_CONVERSATION = ("(SELECT 'c' || community_id FROM conversations"
                    " WHERE id = new.conversation_id)")
_GOAL = "(SELECT {column} FROM goals WHERE id = new.goal_id)"
# The reflection's answers typed in her own words (the others are a tapped choice).
_REFLECTION = ("(SELECT group_concat(value, char(10)) FROM json_each(CASE WHEN"
               " json_valid(new.reflection) THEN new.reflection ELSE '{}' END)"
               " WHERE type = 'text' AND (key LIKE '%_why' OR key = 'success_line'))")


def _lines(*parts: str) -> str:
    """SQL joining the non-empty parts with line breaks."""
    return "trim(" + " || ".join(f"coalesce(char(10) || nullif(trim({p}), ''), '')"
                                 for p in parts) + ", char(10))"


@dataclass(frozen=True)
class Source:
    """One kind of record in the index; every expression reads the row as `new`."""

    kind: str
    table: str
    text: str
    scope: str
    user: str = "new.user_id"  # the author (erasing a librarian finds their entries)
    ref: str = "new.id"
    when: str = "1"  # which rows are indexed at all
    at: str = "new.created_at"  # when it was written, shown with a hit
    community: str = "new.community_id"
    context: str = "NULL"  # the record a hit opens: its conversation, goal, item...
    title: str = "NULL"  # what a hit names it by: an activity's kind, a goal, an item...
    # More to do when a row changes: entries of other kinds that take their author from it.
    follows: str = ""


SOURCES: tuple[Source, ...] = (
    Source("note", "notes", "new.text", _OWN_SCOPE),
    Source("turn", "transcript", "new.text", f"coalesce({_IN_CONVERSATION}, 'u' || new.user_id)",
           when="new.who IN ('librarian', 'own')",
           community="(SELECT community_id FROM conversations WHERE id = new.conversation_id)",
           context="new.conversation_id", title="new.question"),
    Source("conversation", "conversations", _lines("new.place", _REFLECTION), _OWN_SCOPE,
           at="coalesce(new.ended_at, new.started_at)", context="new.id"),
    Source("person", "people", _lines("new.name", "new.role", "new.organisation"), _OWN_SCOPE,
           title="new.name"),
    # An action typed as an "actie:" note: its context is that note (found once).
    Source("action", "actions", _lines("new.what", "new.who"), _COMMUNITY_SCOPE,
           context="new.note_id"),
    Source("activity", "activities", _lines("new.kind", "new.what", "new.note"),
           _COMMUNITY_SCOPE, at="new.day", title="new.kind"),
    Source("role", "roles", "new.name", _COMMUNITY_SCOPE, title="new.role"),
    Source("outcome", "outcomes", "new.text", _COMMUNITY_SCOPE, title="new.kind"),
    # A goal handed to a former colleague (storage/leaving.py) takes its progress notes
    # entries along: they are its author's, and would go with an erased librarian.
    Source("goal", "goals", "new.specific", _COMMUNITY_SCOPE, context="new.id",
           follows="UPDATE search_docs SET user_id = new.user_id WHERE kind = 'progress'"
                   " AND user_id IS NOT new.user_id"
                   " AND ref_id IN (SELECT id FROM goal_progress WHERE goal_id = new.id);"),
    Source("progress", "goal_progress", "new.note", "'c' || " + _GOAL.format(column="community_id"),
           user=_GOAL.format(column="user_id"), at="new.logged_at",
           community=_GOAL.format(column="community_id"), context="new.goal_id",
           title=_GOAL.format(column="specific")),
    # A community's own texts, not one librarian's: no author (see storage/library.py).
    Source("answer", "answers", "new.value", _COMMUNITY_SCOPE, user="NULL", ref="new.rowid",
           at="new.updated_at", title="new.key"),
    Source("item", "item_texts", "new.text", _COMMUNITY_SCOPE, user="NULL", title="new.item"),
    Source("frame", "library_frame", "new.text", f"'{LIBRARY_SCOPE}'", user="NULL",
           ref="new.version", at="new.set_at", community="NULL"),
)

BY_KIND = {source.kind: source for source in SOURCES}

_INSERT = "INSERT INTO search_docs (user_id, scope, kind, ref_id, text)"


def _values(source: Source) -> str:
    """The row to index for `new`, if it has any text."""
    return (f"SELECT {source.user}, {source.scope}, '{source.kind}', {source.ref}, found.text"
            f" FROM (SELECT {source.text} AS text) found"
            f" WHERE ({source.when}) AND coalesce(found.text, '') != ''")


def triggers(source: Source) -> list[str]:
    """The statements that keep `source`'s entries in step with its table."""
    table, kind = source.table, source.kind
    old_ref = source.ref.replace("new.", "old.")
    gone = f"DELETE FROM search_docs WHERE kind = '{kind}' AND ref_id = {old_ref};"
    if kind == "frame":  # every version is a new row; only the newest is the frame
        gone = f"DELETE FROM search_docs WHERE kind = '{kind}';"
    # A new row has no entry yet, so its insert deletes none: only the frame's newest
    # version replaces the one before. Deleting would also need `owned_terms` (the index's
    # delete trigger), which another process writing a note has not registered.
    first = gone if kind == "frame" else ""
    return [
        f"CREATE TRIGGER {table}_search_ins AFTER INSERT ON {table} BEGIN"
        f" {first} {_INSERT} {_values(source)}; END",
        f"CREATE TRIGGER {table}_search_upd AFTER UPDATE ON {table} BEGIN"
        f" {gone} {_INSERT} {_values(source)}; {source.follows} END",
        f"CREATE TRIGGER {table}_search_del AFTER DELETE ON {table} BEGIN {gone} END",
    ]


def fill(source: Source) -> str:
    """The statement indexing `source`'s existing rows (once, by a migration)."""
    return (f"{_INSERT} SELECT {source.user}, {source.scope}, '{source.kind}', {source.ref},"
            f" {source.text} FROM {source.table} AS new WHERE ({source.when})"
            f" AND coalesce({source.text}, '') != ''"
            + (" ORDER BY new.version DESC LIMIT 1" if source.kind == "frame" else ""))


def details(source: Source, count: int) -> str:
    """The query for where `count` hits of this kind were found, by `ref_id`."""
    marks = ", ".join("?" * count)
    return (f"SELECT {source.ref} AS ref_id, {source.at} AS at, {source.community} AS"
            f" community_id, {source.context} AS context, {source.title} AS title"
            f" FROM {source.table} AS new WHERE {source.ref} IN ({marks})")


# Until now the index held notes, her conversation notes and the bot's summaries. It now
# holds every kind in SOURCES: the summaries leave it (see the module's docstring), the
# triggers of notes and turns are made again from their Source (turns by 'own' join), and
# every existing record is indexed once; the words join the index at the next batch or
# search, through `search_pending`.
@migrations()
def m001_index_everything(db: Database) -> None:
    for table in ("notes", "transcript", "conversations"):
        for event in ("ins", "upd", "del"):
            db.execute(f'DROP TRIGGER IF EXISTS "{table}_search_{event}"')
    db.execute("DELETE FROM search_docs WHERE kind IN ('summary', 'turn')")
    for source in SOURCES:
        for statement in triggers(source):
            db.execute(statement)
        if source.kind != "note":
            db.execute(fill(source))
