"""The summaries themselves: a colleague-style report of one open conversation (phase 4)
and an overview of a community."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from dialogs.rules.dates import duration, short_date
from dialogs.rules.summary.models import (
    CommunityDefinition,
    CommunityDigest,
    ConversationDigest,
    Summary,
)
from dialogs.rules.summary.notes import (
    as_sentence,
    clean,
    cut_words,
    follow_ups_from,
    sentence,
    split_note,
)
from dialogs.rules.summary.said import action_line, own_block, question_line
from dialogs.rules.summary.texts import KINDS, count, lang_of, texts
from dialogs.rules.summary.themes import themes
from search.terms import fold


def _who(d: ConversationDigest) -> str:
    extra = [p for p in (clean(d.role), clean(d.organisation or "")) if p]
    name = clean(d.person_name) or "?"
    return f"{name} ({', '.join(extra)})" if extra else name


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        text = clean(item)
        key = fold(text)
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return out


def _with_reason(base: str, why: str) -> str:
    why = clean(why)
    return sentence(f"{base}: {why}") if why else base + "."


def _reflection(d: ConversationDigest, lang: str) -> str:
    t = texts(lang)
    r = d.reflection
    parts: list[str] = []
    if r.value_both is not None:
        parts.append(_with_reason(t[f"value_{r.value_both}"], r.value_why))
    elif clean(r.value_why):
        parts.append(_with_reason(t["value_none"], r.value_why))
    if r.motivated is not None:
        parts.append(_with_reason(t[f"mot_{r.motivated}"], r.motivated_why))
    elif clean(r.motivated_why):
        parts.append(_with_reason(t["mot_none"], r.motivated_why))
    if clean(r.success_line):
        name = clean(d.person_name) or "?"
        parts.append(_with_reason(t["success"].format(name=name), r.success_line))
    if d.shared_own:
        parts.append(t["shared_own"])
    if not parts:
        return t["reflection_empty"]
    # A line each, as the follow-ups: the parts carry colons of their own.
    return f"{t['reflection']}:\n" + "\n".join(f"• {p}" for p in parts)


def _attachments(kinds: list[str], lang: str) -> str | None:
    t = texts(lang)
    labels = {kind: (t[f"kind_{kind or 'other'}"], t[f"kinds_{kind or 'other'}"])
              for kind in (*KINDS, "")}
    counts: Counter[str] = Counter()
    order: list[str] = []
    for kind in kinds:
        key = kind.strip().lower()
        key = key if key in labels else ""
        if key not in counts:
            order.append(key)
        counts[key] += 1
    if not counts:
        return None
    parts = [count(counts[k], *labels[k]) for k in order]
    return f"{texts(lang)['attachments']}: " + ", ".join(parts)


def summary_core(d: ConversationDigest) -> Summary:
    """Note count, themes and follow-ups without the report text. Themes are the person's:
    what the librarian shared herself is left out."""
    all_notes = [n for q in d.questions for n in (*q.quotes, *q.notes) if clean(n)]
    own = [n.text for n in d.own if clean(n.text)]
    lang = lang_of(d.language)
    # The actions made during it say what each follow-up is now ("uiterlijk dinsdag …");
    # without any (older conversations) the notes' "actie:" lines are the follow-ups.
    typed = [] if d.actions else follow_ups_from([*all_notes, *own])
    return Summary(
        text="",
        headline="",
        # What the person said: the "actie:" lines are actions, not their subjects.
        keywords=themes([c for c in (split_note(n)[0] for n in all_notes) if c], lang,
                        person_name=d.person_name, names=[d.place, *d.names]),
        note_count=len(all_notes) + len(own) if d.note_count is None else d.note_count,
        follow_ups=_dedupe([*d.follow_ups, *typed, *(a.what for a in d.actions)]),
    )


def summarize_conversation(d: ConversationDigest, tz: ZoneInfo) -> Summary:
    """A short, colleague-style report of one open conversation, in ``d.language``."""
    lang = lang_of(d.language)
    t = texts(lang)
    core = summary_core(d)

    facts: list[str] = []
    if clean(d.place):
        facts.append(clean(d.place))
    facts.append(short_date(d.started_at, tz, lang))
    if d.ended_at is not None:
        span = duration(d.ended_at - d.started_at, lang)
        if span:
            facts.append(span)
    facts.append(count(core.note_count, t["note"], t["notes"]))
    headline = f"{t['heading'].format(who=_who(d))} — {', '.join(facts)}"

    blocks: list[str] = [headline]
    lines: list[str] = []
    skipped: list[str] = []
    for q in d.questions:
        line = question_line(q, lang)
        if line is not None:
            lines.append(line)
        elif q.skipped:
            skipped.append(clean(q.title) or q.key)
    if skipped:
        lines.append(f"{t['skipped']}: " + " · ".join(skipped))
    if core.note_count == 0:
        blocks.append(t["no_notes"])
    elif core.keywords:
        blocks.append(f"{t['core']}: {', '.join(core.keywords)}")
    if lines:
        blocks.append("\n".join(lines))
    if (own := own_block(d.own, lang)) is not None:
        blocks.append(own)

    blocks.append(_reflection(d, lang))
    if d.actions:
        blocks.append(f"{t['follow_ups']}:\n" + "\n".join(action_line(a, lang)
                                                          for a in d.actions))
    elif core.follow_ups:
        blocks.append(
            f"{t['follow_ups']}:\n" + "\n".join(f"• {cut_words(f, 200)}" for f in core.follow_ups)
        )
    attachments = _attachments(d.attachments, lang)
    if attachments:
        blocks.append(attachments)

    return Summary(
        text="\n\n".join(blocks),
        headline=headline,
        keywords=core.keywords,
        note_count=core.note_count,
        follow_ups=core.follow_ups,
    )


# --------------------------------------------------------------------------- community


def _definition(defn: CommunityDefinition | None, lang: str) -> str:
    """A line per part, label first, so what the librarian typed stands on its own."""
    t = texts(lang)
    if defn is None:
        return t["no_definition"]
    parts: list[str] = []
    if defn.known_person and clean(defn.known_person):
        parts.append(f"{t['known_person']}: {clean(defn.known_person)}")
    if defn.bond is not None:
        detail = clean(defn.bond_detail)
        parts.append(f"{t['bond']}: {t[defn.bond]}" + (f" ({detail})" if detail else ""))
    chars = [c for c in (clean(x) for x in defn.characteristics) if c]
    if chars:
        parts.append(f"{t['characteristics']}: " + ", ".join(chars))
    if defn.strength_each_other is not None:
        parts.append(f"{t['strength_each_other']}: {defn.strength_each_other}/5")
    if defn.strength_library is not None:
        parts.append(f"{t['strength_library']}: {defn.strength_library}/5")
    if not parts:
        return t["no_definition"]
    return f"{t['definition']}:\n" + "\n".join(f"• {p}" for p in parts)


ITEM_TEXTS_SHOWN = 5  # per item; the rest is counted
ITEM_TEXT_CHARS = 200


def _items(c: CommunityDigest, lang: str) -> list[str]:
    """What the phases' items hold, a block per phase."""
    t = texts(lang)
    blocks: list[str] = []
    for phase in dict.fromkeys(i.phase for i in c.items):
        rows = []
        for item in (i for i in c.items if i.phase == phase):
            shown = [cut_words(clean(x), ITEM_TEXT_CHARS) for x in item.texts[:ITEM_TEXTS_SHOWN]]
            more = len(item.texts) - len(shown)
            tail = " " + t["more"].format(n=more) if more > 0 else ""
            # Each text as a sentence, as the conversation notes are: no "voorlezen.; In".
            rows.append(f"• {clean(item.label)}: " + " ".join(as_sentence(x) for x in shown)
                        + tail)
        blocks.append(f"{clean(phase)}:\n" + "\n".join(rows))
    return blocks


def _conversations(c: CommunityDigest, tz: ZoneInfo, lang: str) -> str:
    """A line per conversation, oldest first: who wrote it, when, with whom, its themes."""
    t = texts(lang)
    rows = []
    ordered = sorted(c.conversations, key=lambda x: (x.started_at, fold(x.person_name)))
    for conv in ordered:
        who = clean(conv.person_name) or "?"
        if clean(conv.role):
            who += f" ({clean(conv.role)})"
        when = short_date(conv.started_at, tz, lang)
        row = f"• {clean(conv.author) + ', ' if conv.author else ''}{when} — {who}"
        if conv.themes:
            row += ": " + ", ".join(conv.themes[:3])
        row += f" ({count(conv.note_count, t['note'], t['notes'])})"
        rows.append(row)
    return f"{t['conversations']} ({len(rows)}):\n" + "\n".join(rows)


def summarize_community(c: CommunityDigest, tz: ZoneInfo) -> str:
    """Overview of a community: phase progress (and the next step), the glance's blocks,
    definition, what the items hold, conversations, notes per tag."""
    lang = lang_of(c.language)
    t = texts(lang)
    blocks: list[str] = [t["community"].format(name=clean(c.name) or "?")]

    if c.phases:
        rows = []
        for p in c.phases:
            mark = " ✓" if p.total > 0 and p.done >= p.total else ""
            rows.append(f"• {clean(p.title)}: {p.done}/{p.total}{mark}")
        if c.next_step:
            rows.append(c.next_step)
        blocks.append(f"{t['progress']}:\n" + "\n".join(rows))
    blocks += c.glance

    definition = _definition(c.definition, lang)
    if not c.glance or definition != t["no_definition"]:
        blocks.append(definition)
    blocks += _items(c, lang)

    if c.conversations:
        blocks.append(_conversations(c, tz, lang))
    elif not c.glance:
        blocks.append(t["no_conversations"])

    tags = [(tag.lstrip("#"), n) for tag, n in c.tag_counts.items() if n > 0 and tag.strip("#")]
    if tags:
        tags.sort(key=lambda kv: (-kv[1], kv[0]))
        blocks.append(f"{t['tags']}: " + " · ".join(f"#{tag} {n}" for tag, n in tags))
    return "\n\n".join(blocks)
