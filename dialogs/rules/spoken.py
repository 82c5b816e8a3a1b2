"""How a spoken note shows in summaries and exports: automatic text marked 🎙, and a voice
note without text saying why (no words heard, not transcribed, still waiting)."""

from __future__ import annotations

from collections.abc import Callable

from dialogs.rules.summary.notes import split_note

MARK = "🎙"
# `speech` as the export snapshot gives it (storage/transcriptions.py speech_label).
STATUS_TEXTS = {"no_speech": "voice_export_no_speech", "failed": "voice_export_failed",
                "waiting": "voice_export_waiting"}


def marked(text: str) -> str:
    """The 🎙 mark before the first line that is not a follow-up ("actie: …" lines stay as
    they are, so they are still found as follow-ups)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        content, _actions = split_note(line)
        if content:
            lines[index] = f"{MARK} {line}"
            return "\n".join(lines)
    return text


def shown_text(text: str, speech: str | None, t: Callable[[str], str]) -> str:
    if speech == "automatic":
        return marked(text) if text else text
    key = STATUS_TEXTS.get(speech or "")
    if key is None:
        return text
    status = f"{MARK} ({t(key)})"
    return f"{text} {status}" if text else status
