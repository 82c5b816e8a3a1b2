"""What the summaries take and give: pydantic models filled by the application layer."""

from __future__ import annotations

from datetime import date
from typing import Literal, NamedTuple

from pydantic import AwareDatetime, BaseModel, Field

Lang = Literal["nl", "en"]
Answer = Literal["yes", "not_yet", "no"]

#: Longest condensed text per question line (characters, excluding the title).
QUESTION_BUDGET = 300
#: Notes longer than this are cut back to their first sentence(s).
NOTE_LIMIT = 160
#: Number of themes in a summary.
TOP_THEMES = 6


# --------------------------------------------------------------------------- models


class QuestionNotes(BaseModel):
    """Notes taken for one open question."""

    key: str
    title: str
    notes: list[str] = Field(default_factory=list)
    skipped: bool = False
    # The person's notes the librarian marked ⭐ (shown first, in quotes); not in `notes`.
    quotes: list[str] = Field(default_factory=list)


class OwnNote(BaseModel):
    """What the librarian shared herself (🙋, "ik:"): hers, never the person's answer."""

    text: str
    number: int | None = None  # the question it was noted at (1-based), None for none


class FollowUpAction(BaseModel):
    """An action made during the conversation, as it is now."""

    what: str
    who: str | None = None
    due: date | None = None
    done: date | None = None


class Reflection(BaseModel):
    """The librarian's reflection after the conversation."""

    value_both: Answer | None = None
    value_why: str = ""
    motivated: Answer | None = None
    motivated_why: str = ""
    success_line: str = ""


class ConversationDigest(BaseModel):
    """Everything the summary needs about one open conversation."""

    person_name: str
    role: str = ""
    organisation: str | None = None
    place: str = ""
    started_at: AwareDatetime
    ended_at: AwareDatetime | None = None
    language: Lang = "nl"
    questions: list[QuestionNotes] = Field(default_factory=list)
    shared_own: bool = False
    reflection: Reflection = Field(default_factory=Reflection)
    follow_ups: list[str] = Field(default_factory=list)
    # The actions made during it (➕ Actie, "actie:" lines); when given, the follow-ups the
    # notes' "actie:" lines name are these, and only these are listed.
    actions: list[FollowUpAction] = Field(default_factory=list)
    own: list[OwnNote] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)
    # Every note taken (typed, dictated or sent); by default the notes with text.
    note_count: int | None = None
    # Other people met and places (the librarian, colleagues): named in notes, never themes.
    names: list[str] = Field(default_factory=list)


class Summary(BaseModel):
    """A rendered conversation summary."""

    text: str
    headline: str
    keywords: list[str]
    note_count: int
    follow_ups: list[str] = Field(default_factory=list)


class PhaseProgress(NamedTuple):
    """Progress of one phase: title, steps done, steps in total."""

    title: str
    done: int
    total: int


class CommunityDefinition(BaseModel):
    """The community definition from phase 3."""

    known_person: str | None = None
    bond: Literal["region", "identity", "affinity"] | None = None
    bond_detail: str = ""
    characteristics: list[str] = Field(default_factory=list)
    strength_each_other: int | None = Field(default=None, ge=1, le=5)
    strength_library: int | None = Field(default=None, ge=1, le=5)


class ConversationLine(BaseModel):
    """One conversation as a single line in the community overview."""

    started_at: AwareDatetime
    person_name: str
    role: str = ""
    themes: list[str] = Field(default_factory=list)
    note_count: int = 0
    # Who held it, in a shared community when it was a colleague ("" for one's own).
    author: str = ""

    @classmethod
    def from_digest(cls, d: ConversationDigest, summary: Summary) -> ConversationLine:
        """Build the line from a digest and its summary (report.summary_core makes one
        without the report's text)."""
        return cls(
            started_at=d.started_at,
            person_name=d.person_name,
            role=d.role,
            themes=list(summary.keywords),
            note_count=summary.note_count,
        )


class ItemNotes(BaseModel):
    """What one checklist item holds: the findings of a scan, an agreement, ..."""

    phase: str
    label: str
    texts: list[str]


class CommunityDigest(BaseModel):
    """Input for :func:`summarize_community`."""

    name: str
    language: Lang = "nl"
    phases: list[PhaseProgress] = Field(default_factory=list)
    definition: CommunityDefinition | None = None
    items: list[ItemNotes] = Field(default_factory=list)
    conversations: list[ConversationLine] = Field(default_factory=list)
    tag_counts: dict[str, int] = Field(default_factory=dict)
    # The community at a glance (/summary): the next step under the phases' progress, then
    # blocks made by the bot (vision, goals, activities, …). With them, an empty definition
    # or no conversations are not said again: the glance names what is missing once.
    next_step: str = ""
    glance: list[str] = Field(default_factory=list)
