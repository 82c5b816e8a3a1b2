"""The application layer shared by the Telegram and console front ends.

One call per incoming event: load state and context, run the engine, record its effects,
the new state and the update id in one transaction, and return the replies to send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from dialogs import engine
from dialogs.catalog import Catalog
from dialogs.replies import Effect, Reply
from dialogs.state import Begin, Choice, Context, DialogState, Event, Other, Press, Say
from storage.store import Store, User

LANG_NAMES = {"nl": "Nederlands", "en": "English"}
PHASES = 6
HASHTAG = re.compile(r"(?<![\w/#])#(\w+)")
# Effects after which the context is read again, so the reply shows the new situation.
CONTEXT_EFFECTS = frozenset({"tick", "answer", "create_community", "rename_community",
                             "switch_community", "set_language"})


@dataclass(frozen=True)
class Who:
    """The person behind an event, as the front end knows them."""

    telegram_id: int | None = None
    console_name: str | None = None
    name: str = ""
    language_code: str | None = None


@dataclass
class Incoming:
    kind: Literal["command", "text", "press", "other"]
    text: str = ""
    command: str = ""
    args: str = ""
    data: str = ""
    other: str = ""
    message_id: int | None = None
    update_id: int | None = None


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    notice: str | None = None
    duplicate: bool = False
    user_id: int | None = None


@dataclass(frozen=True)
class Defaults:
    language: str = "nl"
    timezone: str = "Europe/Amsterdam"


class Service:
    def __init__(self, store: Store, catalog: Catalog, defaults: Defaults | None = None) -> None:
        self.store = store
        self.catalog = catalog
        self.defaults = defaults or Defaults()
        self.checklists = _checklist_items(catalog)

    # entry point
    def handle(self, who: Who, event: Incoming) -> Outcome:
        with self.store.atomic():
            if event.update_id is not None and self.store.is_processed(event.update_id):
                return Outcome(duplicate=True)
            user = self.user(who)
            outcome = self._dispatch(user, event)
            outcome.user_id = user.id
            if event.update_id is not None:
                self.store.mark_processed(event.update_id, user.id)
        return outcome

    def user(self, who: Who) -> User:
        found = (self.store.user_by_telegram(who.telegram_id) if who.telegram_id is not None
                 else self.store.user_by_console(who.console_name or ""))
        if found is not None:
            return found
        code = (who.language_code or "")[:2].lower()
        language = code if code in LANG_NAMES else self.defaults.language
        return self.store.create_user(name=who.name, language=language,
                                      timezone=self.defaults.timezone,
                                      telegram_id=who.telegram_id, console_name=who.console_name)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.catalog.text(key, user.language, **params)

    # dispatch
    def _dispatch(self, user: User, event: Incoming) -> Outcome:
        saved = self.store.state(user.id)
        state = (DialogState(dialog=saved.dialog, step=saved.step, data=saved.data)
                 if saved.dialog and saved.step and self._exists(saved.dialog, saved.step)
                 else None)
        rev = saved.rev
        if event.kind == "command":
            return self._command(user, state, rev, event)
        if event.kind == "text":
            if state is None:
                return self._note(user, event.text, event.message_id)
            return self._run(user, state, rev, Say(text=event.text))
        if event.kind == "press":
            if state is None:
                outcome = self._begin(user, rev, "menu" if user.active_community else "start")
                outcome.notice = self.t(user, "stale_button")
                return outcome
            return self._run(user, state, rev, Press(data=event.data))
        if state is None:
            return Outcome([Reply(text=self.t(user, "unusable_input"))])
        return self._run(user, state, rev, Other(kind=event.other))

    def _exists(self, dialog: str, step: str) -> bool:
        found = self.catalog.dialogs.get(dialog)
        return found is not None and step in found.steps

    def _command(self, user: User, state: DialogState | None, rev: int,
                 event: Incoming) -> Outcome:
        name = event.command
        if name == "start":
            greeting = "welcome_back" if user.active_community else "welcome_new"
            outcome = self._begin(user, rev, "start")
            outcome.replies.insert(0, Reply(text=self.t(user, greeting, name=user.name or "👋")))
            return outcome
        if name == "help":
            return Outcome([Reply(text=self.t(user, "help"))])
        if name == "cancel":
            if state is None:
                return Outcome([Reply(text=self.t(user, "nothing_to_cancel"))])
            self.store.save_state(user.id, None, None, {}, rev + 1)
            return Outcome([Reply(text=self.t(user, "cancelled"))])
        if name == "note":
            if not event.args.strip():
                return Outcome([Reply(text=self.t(user, "note_empty"))])
            return self._note(user, event.args, event.message_id)
        if name in ("phase", "community", "language"):
            if name != "language" and not user.active_community:
                outcome = self._begin(user, rev, "start")
                outcome.replies.insert(0, Reply(text=self.t(user, "need_community")))
                return outcome
            dialog = {"phase": "phases", "community": "community", "language": "language"}[name]
            return self._begin(user, rev, dialog)
        return Outcome([Reply(text=self.t(user, "unknown_command"))])

    def _begin(self, user: User, rev: int, dialog: str) -> Outcome:
        return self._run(user, None, rev, Begin(dialog=dialog))

    def _run(self, user: User, state: DialogState | None, rev: int, event: Event) -> Outcome:
        ctx = self.context(user, rev)
        result = engine.step(self.catalog, state, event, ctx)
        if result.effects:
            self._apply(user, result.effects)
        replies = result.replies
        changed = any(e.name in CONTEXT_EFFECTS for e in result.effects)
        if changed and result.state is not None and replies:
            fresh = self.context(self.store.user(user.id) or user, result.rev)
            replies[-1] = engine.render(self.catalog, result.state, fresh, edit=replies[-1].edit)
        if result.state is None:
            self.store.save_state(user.id, None, None, {}, result.rev)
        else:
            self.store.save_state(user.id, result.state.dialog, result.state.step,
                                  result.state.data, result.rev)
        return Outcome(replies, notice=result.notice)

    def _apply(self, user: User, effects: list[Effect]) -> None:
        for effect in effects:
            data = effect.data
            community = user.active_community
            if effect.name == "create_community":
                self.store.create_community(user.id, data["name"], data.get("theme"))
                user = self.store.user(user.id) or user
            elif effect.name == "rename_community" and community:
                self.store.rename_community(user.id, community, data["name"])
            elif effect.name == "switch_community":
                if str(data.get("community_id", "")).isdigit():
                    self.store.switch_community(user.id, int(data["community_id"]))
                    user = self.store.user(user.id) or user
            elif effect.name == "set_language":
                self.store.set_language(user.id, data["lang"])
            elif effect.name == "tick" and community:
                self.store.set_tick(community, data["item"], bool(data["on"]))
            elif effect.name == "answer" and community:
                self.store.set_answer(community, data["key"], data["value"])
            elif effect.name == "note":
                self.store.add_note(user.id, community, data["text"], hashtags(data["text"]))

    def _note(self, user: User, text: str, message_id: int | None) -> Outcome:
        self.store.add_note(user.id, user.active_community, text, hashtags(text), message_id)
        if not user.active_community:
            outcome = self._begin(user, self.store.state(user.id).rev, "start")
            outcome.replies.insert(0, Reply(text=self.t(user, "kept_as_note")))
            return outcome
        community = self.store.community(user.id, user.active_community)
        name = community.name if community else "—"
        return Outcome([Reply(text=self.t(user, "note_saved", community=name))])

    # context
    def context(self, user: User, rev: int) -> Context:
        communities = self.store.communities(user.id)
        active = next((c for c in communities if c.id == user.active_community), None)
        ticks = self.store.ticks(active.id) if active else {}
        answers = self.store.answers(active.id) if active else {}
        values = {
            "name": user.name,
            "community": active.name if active else "—",
            "community_list": "\n".join(
                f"• {c.name}" + (f" — {c.theme}" if c.theme else "") for c in communities
            ) or "—",
            "lang": LANG_NAMES.get(user.language, user.language),
        }
        for phase in range(1, PHASES + 1):
            items = self.checklists.get(f"p{phase}", set())
            done = len(ticks.get(f"p{phase}", set()) & items)
            values[f"p{phase}"] = f"{done}/{len(items)}"
        values.update({f"answer.{key}": value for key, value in answers.items()})
        phase1 = self.checklists.get("p1", set())
        facts = {
            "has_community": active is not None,
            "phase1_done": bool(phase1) and phase1 <= ticks.get("p1", set()),
        }
        choices = {"communities": [Choice(id=str(c.id), label=c.name[:60]) for c in communities]}
        return Context(lang="en" if user.language == "en" else "nl", rev=rev, facts=facts,
                       values=values, ticks=ticks, choices=choices)

    def current(self, user: User) -> Reply | None:
        """The step the user is at, rendered again (after a reply could not be delivered)."""
        saved = self.store.state(user.id)
        if not (saved.dialog and saved.step and self._exists(saved.dialog, saved.step)):
            return None
        state = DialogState(dialog=saved.dialog, step=saved.step, data=saved.data)
        return engine.render(self.catalog, state, self.context(user, saved.rev))


def hashtags(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for tag in HASHTAG.findall(text):
        seen.setdefault(tag.lower(), None)
    return list(seen)


def _checklist_items(catalog: Catalog) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for dialog in catalog.dialogs.values():
        for step in dialog.steps.values():
            if step.checklist:
                out.setdefault(step.checklist, set()).update(i.id for i in step.items)
    return out
