"""The application layer shared by the Telegram and console front ends.

One call per incoming event: load state and context, run the engine, record its effects,
the new state and the update id in one transaction, and return the replies to send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from dialogs import engine
from dialogs.catalog import Catalog
from dialogs.replies import Reply, joined
from dialogs.state import Begin, Choice, Context, DialogState, Event, Other, Press, Say
from dialogs.tags import hashtags
from storage.store import Community, Store, User

LANG_NAMES = {"nl": "Nederlands", "en": "English"}



@dataclass(frozen=True)
class Who:
    """The person behind an event, as the front end knows them."""

    telegram_id: int | None = None
    console_name: str | None = None
    name: str = ""
    language_code: str | None = None


@dataclass(frozen=True)
class Media:
    """A photo, voice note, audio, video or document the user sent (Telegram file id)."""

    kind: str
    file_id: str
    file_name: str | None = None
    caption: str = ""


@dataclass
class Incoming:
    kind: Literal["command", "text", "press", "other", "edit"]
    text: str = ""
    command: str = ""
    args: str = ""
    data: str = ""
    other: str = ""
    media: Media | None = None
    message_id: int | None = None
    update_id: int | None = None


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    notice: str | None = None
    duplicate: bool = False
    user_id: int | None = None
    ack: bool = False  # acknowledge quietly (a reaction on the user's message), no text
    forgotten: bool = False  # the user was erased (/forget): nothing of theirs is written after


@dataclass(frozen=True)
class Defaults:
    """Settings the service needs, without depending on the settings object itself."""

    language: str = "nl"
    timezone: str = "Europe/Amsterdam"
    data_dir: Path = Path("data")
    admins: tuple[int, ...] = ()
    reminder_tick: float = 30.0  # seconds between two runs of the weekly-reminder tick


@dataclass
class Turn:
    """One incoming event for a known user, with their dialog state as loaded."""

    user: User
    state: DialogState | None
    rev: int
    event: Incoming


CommandFn = Callable[[Turn], Outcome]
# An effect handler may return extra replies (e.g. a summary) to send after the engine's.
EffectFn = Callable[[User, dict[str, Any]], "list[Reply] | None"]
ContextFn = Callable[[User, Community | None, Context], None]
IdleFn = Callable[[Turn], Outcome]
# Buttons outside the dialogs carry "<prefix>:<payload>"; the handler gets the payload.
PressFn = Callable[[Turn, str], Outcome]
# Runs before a user is loaded or created; an Outcome answers the event and stores nothing.
GateFn = Callable[[Who, Incoming], Outcome | None]


class Service:
    """Dispatch with registries, so each feature module installs its commands, effects and
    context values without the core knowing about it."""

    def __init__(self, store: Store, catalog: Catalog, defaults: Defaults | None = None) -> None:
        self.store = store
        self.catalog = catalog
        self.defaults = defaults or Defaults()
        self.clock: Callable[[], datetime] = store.clock
        self.commands: dict[str, CommandFn] = {}
        self.effects: dict[str, EffectFn] = {}
        self.context_hooks: list[ContextFn] = []
        self.idle_text: IdleFn = self._idle_text
        self.idle_other: IdleFn = self._idle_other
        self.on_edit: IdleFn = lambda turn: self.say(turn.user, "unusable_input")
        # Media during a dialog step: a feature may take it (live mode keeps it as a note).
        self.media_hooks: list[Callable[[Turn], Outcome | None]] = []
        self.turn: Turn | None = None  # the event being handled, for effect handlers
        self.presses: dict[str, PressFn] = {}
        self.gates: list[GateFn] = []
        # Whether an update of this Telegram user may be kept in the inbox (bot/access.py).
        self.admitted: Callable[[int], bool] = lambda telegram_id: True
        self.startup: list[Callable[[], None]] = []  # run by `veldgids run` after getMe
        # Given the Telegram Application once it is built, e.g. to add a JobQueue job.
        self.app_hooks: list[Callable[[Any], None]] = []
        self.bot_username: str | None = None
        self._install_core()

    # entry point
    def handle(self, who: Who, event: Incoming) -> Outcome:
        with self.store.atomic():
            if event.update_id is not None and self.store.is_processed(event.update_id):
                return Outcome(duplicate=True)
            for gate in self.gates:
                refused = gate(who, event)
                if refused is not None:
                    return refused
            user = self.user(who)
            outcome = self._dispatch(user, event)
            if not outcome.forgotten:
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

    def say(self, user: User, key: str, **params: object) -> Outcome:
        return Outcome([Reply(text=self.t(user, key, **params))])

    # dispatch
    def _dispatch(self, user: User, event: Incoming) -> Outcome:
        saved = self.store.state(user.id)
        state = (DialogState(dialog=saved.dialog, step=saved.step, data=saved.data)
                 if saved.dialog and saved.step and self._exists(saved.dialog, saved.step)
                 else None)
        turn = Turn(user, state, saved.rev, event)
        self.turn = turn
        if event.kind == "command":
            handler = self.commands.get(event.command)
            return handler(turn) if handler else self.say(user, "unknown_command")
        if event.kind == "text":
            if state is None:
                return self.idle_text(turn)
            return self.run(turn, Say(text=event.text))
        if event.kind == "press":
            prefix, colon, payload = event.data.partition(":")
            if colon and prefix in self.presses:
                return self.presses[prefix](turn, payload)
            if state is None:
                outcome = self.begin(turn, "menu" if user.active_community else "start")
                outcome.notice = self.t(user, "stale_button")
                return outcome
            return self.run(turn, Press(data=event.data))
        if event.kind == "edit":
            return self.on_edit(turn)
        for hook in self.media_hooks:
            taken = hook(turn)
            if taken is not None:
                return taken
        if state is None:
            return self.idle_other(turn)
        return self.run(turn, Other(kind=event.other))

    def _exists(self, dialog: str, step: str) -> bool:
        found = self.catalog.dialogs.get(dialog)
        return found is not None and step in found.steps

    def begin(self, turn: Turn, dialog: str, data: dict[str, Any] | None = None) -> Outcome:
        return self.run(Turn(turn.user, None, turn.rev, turn.event),
                        Begin(dialog=dialog, data=data or {}))

    def run(self, turn: Turn, event: Event) -> Outcome:
        """Run the engine, record effects and the new state; replies reflect what was recorded."""
        user = turn.user
        ctx = self.context(user, turn.rev)
        result = engine.step(self.catalog, turn.state, event, ctx)
        if result.passthrough:
            return self.idle_text(turn) if isinstance(event, Say) else self.idle_other(turn)
        extra: list[Reply] = []
        for effect in result.effects:
            handler = self.effects.get(effect.name)
            if handler is not None:
                extra += handler(self.store.user(user.id) or user, effect.data) or []
        replies = result.replies
        # After recorded effects the context is read again, so the reply shows the new situation.
        changed = any(e.name in self.effects and not e.shown for e in result.effects)
        if changed and result.state is not None and replies:
            fresh = self.context(self.store.user(user.id) or user, result.rev)
            replies[-1] = engine.render(self.catalog, result.state, fresh, edit=replies[-1].edit)
        if result.state is None:
            self.store.save_state(user.id, None, None, {}, result.rev)
        else:
            self.store.save_state(user.id, result.state.dialog, result.state.step,
                                  result.state.data, result.rev)
        return Outcome(joined(replies + extra), notice=result.notice, ack=result.ack)

    # core commands and effects
    def _install_core(self) -> None:
        self.commands.update({
            "start": self._start, "help": self._help, "cancel": self._cancel,
            "note": self._note_command, "phase": self._dialog_command("phases"),
            "community": self._dialog_command("community"),
            "language": self._dialog_command("language", needs_community=False),
        })
        self.effects.update({
            "create_community": self._create_community, "rename_community": self._rename,
            "switch_community": self._switch, "set_language": self._set_language,
            "tick": self._tick, "answer": self._answer, "note": self._note_effect,
        })

    def _create_community(self, user: User, data: dict[str, Any]) -> None:
        self.store.create_community(user.id, data["name"], data.get("theme"))

    def _rename(self, user: User, data: dict[str, Any]) -> None:
        if user.active_community:
            self.store.rename_community(user.id, user.active_community, data["name"])

    def _switch(self, user: User, data: dict[str, Any]) -> None:
        # Ownership is checked in storage: a forged id of someone else's community does nothing.
        if str(data.get("community_id", "")).isdigit():
            self.store.switch_community(user.id, int(data["community_id"]))

    def _set_language(self, user: User, data: dict[str, Any]) -> None:
        self.store.set_language(user.id, data["lang"])

    def _tick(self, user: User, data: dict[str, Any]) -> None:
        if user.active_community:
            self.store.set_tick(user.active_community, data["item"], bool(data["on"]))

    def _answer(self, user: User, data: dict[str, Any]) -> None:
        if user.active_community:
            self.store.set_answer(user.active_community, data["key"], data["value"])

    def _note_effect(self, user: User, data: dict[str, Any]) -> None:
        self.add_note(user, data["text"], None)

    def _start(self, turn: Turn) -> Outcome:
        user = turn.user
        greeting = "welcome_back" if user.active_community else "welcome_new"
        outcome = self.begin(turn, "start")
        outcome.replies.insert(0, Reply(text=self.t(user, greeting, name=user.name or "👋")))
        return outcome

    def _help(self, turn: Turn) -> Outcome:
        return self.say(turn.user, "help")

    def _cancel(self, turn: Turn) -> Outcome:
        if turn.state is None:
            return self.say(turn.user, "nothing_to_cancel")
        self.store.save_state(turn.user.id, None, None, {}, turn.rev + 1)
        return self.say(turn.user, "cancelled")

    def _dialog_command(self, dialog: str, needs_community: bool = True) -> CommandFn:
        def command(turn: Turn) -> Outcome:
            if needs_community and not turn.user.active_community:
                return self.need_community(turn)
            return self.begin(turn, dialog)
        return command

    def need_community(self, turn: Turn) -> Outcome:
        outcome = self.begin(turn, "start")
        outcome.replies.insert(0, Reply(text=self.t(turn.user, "need_community")))
        return outcome

    def _note_command(self, turn: Turn) -> Outcome:
        if not turn.event.args.strip():
            return self.say(turn.user, "note_empty")
        return self._noted(turn, turn.event.args)

    def _idle_text(self, turn: Turn) -> Outcome:
        return self._noted(turn, turn.event.text)

    def _idle_other(self, turn: Turn) -> Outcome:
        return self.say(turn.user, "unusable_input")

    def add_note(self, user: User, text: str, message_id: int | None) -> int:
        return self.store.add_note(user.id, user.active_community, text, hashtags(text),
                                   message_id)

    def _noted(self, turn: Turn, text: str) -> Outcome:
        user = turn.user
        self.add_note(user, text, turn.event.message_id)
        if not user.active_community:
            outcome = self.begin(turn, "start")
            outcome.replies.insert(0, Reply(text=self.t(user, "kept_as_note")))
            return outcome
        community = self.store.community(user.id, user.active_community)
        return self.say(user, "note_saved", community=community.name if community else "—")

    # context
    def context(self, user: User, rev: int) -> Context:
        """What the engine may know. Only the name and language are there from the start;
        the rest is read from storage when a step first asks for it (most steps need little)."""
        communities = cache(lambda: self.store.communities(user.id))
        active = cache(lambda: next(
            (c for c in communities() if c.id == user.active_community), None))

        def of_active(read: Callable[[int], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
            # Only ever one of the user's own communities (storage checks when switching).
            return lambda: read(user.active_community) if user.active_community else {}

        ticks = _Loaded(of_active(self.store.ticks))
        phase1 = self.catalog.checklists.get("p1", frozenset())

        def community() -> dict[str, Any]:
            found = active()
            listed = "\n".join(f"• {c.name}" + (f" — {c.theme}" if c.theme else "")
                               for c in communities())
            return {"community": found.name if found else "—", "community_list": listed or "—"}

        def answers() -> dict[str, Any]:
            stored = of_active(self.store.answers)()
            return {f"answer.{key}": value for key, value in stored.items()}

        fill = self._hooks(user, active, lambda: ctx)
        facts = _OnDemand({}, fill, {
            "has_community": lambda: {"has_community": active() is not None},
            "phase1_done": lambda: {
                "phase1_done": bool(phase1) and phase1 <= ticks.get("p1", set())},
        })
        values = _OnDemand({"name": user.name,
                            "lang": LANG_NAMES.get(user.language, user.language)},
                           fill, {"community": community, "answer.": answers})
        choices = _OnDemand({}, fill, {"communities": lambda: {"communities": [
            Choice(id=str(c.id), label=c.name[:60]) for c in communities()]}})
        # Validated above by construction; model_construct keeps the on-demand mappings.
        ctx = Context.model_construct(lang="en" if user.language == "en" else "nl", rev=rev,
                                      facts=facts, values=values, ticks=ticks, choices=choices)
        return ctx

    def _hooks(self, user: User, active: Callable[[], Community | None],
               ctx: Callable[[], Context]) -> Callable[[], bool]:
        """Runs the features' context hooks the first time it is called; True that time."""
        filled = False

        def fill() -> bool:
            nonlocal filled
            if filled:
                return False
            filled = True
            for hook in self.context_hooks:
                hook(user, active(), ctx())
            return True

        return fill

    def current(self, user: User) -> Reply | None:
        """The step the user is at, rendered again (after a reply could not be delivered)."""
        saved = self.store.state(user.id)
        if not (saved.dialog and saved.step and self._exists(saved.dialog, saved.step)):
            return None
        state = DialogState(dialog=saved.dialog, step=saved.step, data=saved.data)
        return engine.render(self.catalog, state, self.context(user, saved.rev))


class _OnDemand(dict[str, Any]):
    """One of a context's mappings: the core's entries from the start; the core's costlier
    ones (`lazy`: key prefix -> loader) the first time a key with that prefix is asked for;
    the feature hooks' the first time anything else is asked for (once per context). Most
    steps need only the core's plain values, so most events pay for nothing more."""

    def __init__(self, entries: dict[str, Any], fill: Callable[[], bool],
                 lazy: dict[str, Callable[[], dict[str, Any]]] | None = None) -> None:
        super().__init__(entries)
        self._fill = fill
        self._lazy = dict(lazy or {})
        self._core = tuple(self._lazy)  # key prefixes only the core provides: no hooks

    def _ask(self, key: object) -> bool:
        """Make sure `key` is there if anyone provides it; True if something was just added."""
        if dict.__contains__(self, key):
            return False
        if isinstance(key, str) and key.startswith(self._core):
            prefix = next(p for p in self._core if key.startswith(p))
            load = self._lazy.pop(prefix, None)
            if load is None:
                return False
            self.update(load())
            return True
        return self._fill()

    def __contains__(self, key: object) -> bool:
        self._ask(key)
        return dict.__contains__(self, key)

    def __missing__(self, key: str) -> Any:
        if self._ask(key) and dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return dict.__getitem__(self, key) if key in self else default


class _Loaded(Mapping[str, set[str]]):
    """A mapping read from storage the first time anything in it is asked for."""

    def __init__(self, load: Callable[[], dict[str, set[str]]]) -> None:
        self._load = load
        self._data: dict[str, set[str]] | None = None

    def _get(self) -> dict[str, set[str]]:
        if self._data is None:
            self._data = self._load()
        return self._data

    def __getitem__(self, key: str) -> set[str]:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())
