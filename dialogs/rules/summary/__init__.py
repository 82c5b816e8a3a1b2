"""Deterministic, offline summaries of open conversations (phase 4) and of a community.

Pure: no I/O of its own besides reading its texts (definitions/talk/texts_summary.yaml), no clock
reads. `models` holds what goes in and out, `notes` how notes are cleaned and shortened,
`themes` the keyword extraction, `report` the summaries' text.
"""

from __future__ import annotations

from dialogs.rules.summary.models import (
    Answer,
    CommunityDefinition,
    CommunityDigest,
    ConversationDigest,
    ConversationLine,
    FollowUpAction,
    ItemNotes,
    Lang,
    OwnNote,
    PhaseProgress,
    QuestionNotes,
    Reflection,
    Summary,
)
from dialogs.rules.summary.notes import QUESTION_BUDGET, follow_ups_from
from dialogs.rules.summary.report import summarize_community, summarize_conversation
from dialogs.rules.summary.themes import notes_language, themes

__all__ = [
    "QUESTION_BUDGET",
    "Lang",
    "Answer",
    "QuestionNotes",
    "OwnNote",
    "FollowUpAction",
    "Reflection",
    "ConversationDigest",
    "Summary",
    "PhaseProgress",
    "CommunityDefinition",
    "ConversationLine",
    "ItemNotes",
    "CommunityDigest",
    "summarize_conversation",
    "summarize_community",
    "themes",
    "notes_language",
    "follow_ups_from",
]
