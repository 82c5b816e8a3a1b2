"""The version to share ("om te delen") of an export snapshot (storage/export.py): it names
no community member, holds no transcript and no contact details.

`shareable(data)` returns a new snapshot that every format renders as usual:

- the people met become their role or initial ("een vrijwilliger", "F."), in the people
  list, as a conversation's person and in the roles (ambassadors, partners);
- a conversation keeps only the person's words the librarian marked (⭐, the report's
  quotes); the rest of the transcript goes, and with it the appendix's transcripts;
- every other text the librarian typed (notes, answers, activities, outcomes, goals, the
  vision, actions, summaries, places, rows of tables the export does not know yet) goes
  through `anonymise()` with the people she recorded; phone numbers, e-mail and street
  addresses go by pattern and with deduce;
- the colleagues (the librarian and the community's members, the notes' authors) stay
  named; so do the community's name and the library's frame;
- files (photos, voice notes) are not named by their path;
- `data["shareable"]` is True: the report marks its first page, the file name its name.

Long: one pass over each section of the snapshot, kept together so nothing is missed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bot.features.export.anonymise import Detector, Person, anonymise, role_phrase

# Fields that are not free text: kept as they are.
_KEEP = frozenset({
    "id", "schema_version", "generator", "exported_at", "scope", "kind", "status", "question",
    "key", "item", "source", "speech", "language", "timezone", "day", "due", "deadline",
    "author", "file", "starred",
})
_TEXT = Callable[[str], str]


def _kept(key: str) -> bool:
    return key in _KEEP or key.endswith(("_at", "_id"))


def people_of(data: dict[str, Any]) -> list[Person]:
    """Everyone the librarian recorded by name, in any community of the snapshot."""
    found: dict[str, Person] = {}
    for c in data.get("communities", []):
        for p in c.get("people", []):
            found.setdefault(p["name"], Person(p["name"], p.get("role")))
        for r in c.get("roles", []):
            found.setdefault(r["name"], Person(r["name"]))
    for conv in _conversations(data):
        if conv.get("person"):
            found.setdefault(conv["person"]["name"], Person(conv["person"]["name"],
                                                            conv["person"].get("role")))
    return [p for p in found.values() if p.name.strip()]


def colleagues_of(data: dict[str, Any]) -> list[str]:
    """The librarian and the members she shares the communities with: they stay named."""
    names = [data.get("librarian", {}).get("name") or ""]
    for c in data.get("communities", []):
        names += [m.get("name") or "" for m in c.get("members", [])]
        names += [n.get("author") or "" for n in c.get("notes", [])]
    return [n for n in dict.fromkeys(names) if n.strip()]


def _conversations(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for c in data.get("communities", []):
        yield from c.get("conversations", [])
    yield from data.get("loose_conversations", [])


def _texts(value: Any, text: _TEXT, key: str = "") -> Any:
    """Every free text in `value` through `text`; fields in _KEEP as they are."""
    if isinstance(value, str):
        return value if _kept(key) else text(value)
    if isinstance(value, list):
        return [_texts(v, text, key) for v in value]
    if isinstance(value, dict):
        return {k: v if _kept(k) else _texts(v, text, k) for k, v in value.items()}
    return value


def _person(person: dict[str, Any] | None, text: _TEXT) -> dict[str, Any] | None:
    if person is None:
        return None
    # The role is the name now: "een vrijwilliger", not "een vrijwilliger (Vrijwilliger)".
    return {"name": role_phrase(Person(person["name"], person.get("role"))), "role": None,
            "organisation": text(person["organisation"]) if person.get("organisation")
            else None}


def _conversation(conv: dict[str, Any], text: _TEXT) -> dict[str, Any]:
    quotes = [t for t in conv.get("turns", []) if t.get("starred")]
    rest = {k: v for k, v in conv.items() if k not in ("person", "turns")}
    return {**_texts(rest, text), "person": _person(conv.get("person"), text),
            # "who" of a turn says bot or librarian; of an action it is a name
            "turns": [{**_texts({**t, "media_name": None}, text), "who": t.get("who")}
                      for t in quotes]}


def _notes(notes: list[dict[str, Any]], text: _TEXT) -> list[dict[str, Any]]:
    out = []
    for note in notes:
        tags = [t for t in note.get("tags", []) if text(t) == t]  # "#fatima" goes
        out.append({**_texts(note, text), "tags": tags, "file": None,
                    "media_name": None})
    return out


def _community(c: dict[str, Any], text: _TEXT) -> dict[str, Any]:
    done = {"id", "name", "members", "people", "roles", "notes", "conversations", "activities",
            "outcomes"}
    out = {k: _texts(v, text, k) for k, v in c.items() if k not in done}
    return {
        "id": c["id"], "name": c["name"], "members": c.get("members", []), **out,
        "people": [{"id": p["id"], **(_person(p, text) or {}), "created_at": p.get("created_at")}
                   for p in c.get("people", [])],
        "roles": [{**r, "name": role_phrase(Person(r["name"]))} for r in c.get("roles", [])],
        "notes": _notes(c.get("notes", []), text),
        "conversations": [_conversation(conv, text) for conv in c.get("conversations", [])],
        # An activity's kind is the librarian's own word ("➕ Nieuwe soort"), not a code.
        "activities": [{**_texts({**a, "files": _files(a)}, text), "kind": text(a["kind"])}
                       for a in c.get("activities", [])],
        "outcomes": [_texts({**o, "files": _files(o)}, text) for o in c.get("outcomes", [])],
    }


def _files(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**f, "file": None, "name": None} for f in record.get("files", [])]


def shareable(data: dict[str, Any], detect: Detector | None = None) -> dict[str, Any]:
    """The snapshot to share; `detect` defaults to deduce (bot/features/export/deduce_spans.py)."""
    people, colleagues = people_of(data), colleagues_of(data)
    seen: dict[str, str] = {}

    def text(value: str) -> str:
        if value not in seen:
            seen[value] = anonymise(value, people, colleagues, detect)
        return seen[value]

    out = dict(data)
    out["communities"] = [_community(c, text) for c in data.get("communities", [])]
    if "loose_notes" in data:
        out["loose_notes"] = _notes(data["loose_notes"], text)
    if "loose_conversations" in data:
        out["loose_conversations"] = [_conversation(conv, text)
                                      for conv in data["loose_conversations"]]
    if "other" in data:
        out["other"] = _texts(data["other"], text)
    out["shareable"] = True
    return out
