"""The application layer shared by the Telegram and console front ends.

One call per incoming event (`handle`): load state and context, run the engine, record its
effects, the new state and the update id in one transaction, and return the replies to send.
What the bot can do comes from the features it is given (bot/app/feature.py; the core among
them, bot/app/registry.py): their commands, effects, buttons, context providers and jobs are
merged here, and a name given twice is refused at start-up. Features see the service as a
`Host` (bot/app/host.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.app import drafts
from bot.app.assembly import Assembly, FeatureConflict
from bot.app.context import LANG_NAMES, ContextBuilder
from bot.app.events import (
    CommandFn,
    Defaults,
    EffectFn,
    GateFn,
    IdleFn,
    Incoming,
    Media,
    Outcome,
    PressFn,
    Turn,
    Who,
)
from bot.app.feature import Ask, Feature, menu_of
from dialogs import engine
from dialogs.catalog import Catalog
from dialogs.needs import Needs
from dialogs.replies import Reply, joined
from dialogs.rules.tags import hashtags
from dialogs.run import Result
from dialogs.state import Begin, Context, DialogState, Event, Other, Press, Say
from storage.store import Store, User

__all__ = ["CommandFn", "Defaults", "EffectFn", "FeatureConflict", "Finish", "Front",
           "GateFn", "IdleFn", "Incoming", "LANG_NAMES", "Media", "Outcome", "PressFn",
           "Service", "Turn", "Who"]

Finish = Callable[[Outcome], None]


class Front(Protocol):
    """A front end's part in one event, inside the event's transaction (the Telegram front
    end notes the reply as on its way, and takes text after a lost reply as a note)."""

    def receive(self, who: Who, event: Incoming) -> tuple[Incoming, Finish]:
        """For an event not handled before: the event to handle, and what to do with its
        outcome before the transaction commits."""
        ...


class Service(Assembly):
    def __init__(self, store: Store, catalog: Catalog, defaults: Defaults | None = None,
                 features: Sequence[type[Feature]] = ()) -> None:
        super().__init__(defaults or Defaults(), menu_of(features))
        self.store = store
        self.catalog = catalog
        self.clock: Callable[[], datetime] = store.clock
        self.bot_username: str | None = None
        for cls in features:
            self.install(cls(self))
        self.builder = ContextBuilder(self.providers)

    def admitted(self, telegram_id: int) -> bool:
        """Whether an update of this Telegram user may be kept in the inbox."""
        check = self.slots.get("admitted")
        return True if check is None else bool(check(telegram_id))

    # entry point
    def handle(self, who: Who, event: Incoming, front: Front | None = None) -> Outcome:
        """The one way in for an event, whichever front end it came from: in one
        transaction, refuse an update handled before, let the front end take its part, and
        record what the event did."""
        with self.store.atomic():
            if event.update_id is not None and self.store.is_processed(event.update_id):
                return Outcome(duplicate=True)
            finish: Finish | None = None
            if front is not None:
                event, finish = front.receive(who, event)
            outcome = self._handle(who, event)
            if finish is not None:
                finish(outcome)
            return outcome

    def _handle(self, who: Who, event: Incoming) -> Outcome:
        for gate in self.gates:
            refused = gate(who, event)
            if refused is not None:
                return refused
        user = self.user(who)
        outcome = self._dispatch(user, event)
        if not outcome.forgotten:
            outcome.user_id = user.id
        if event.update_id is not None:  # the /forget itself too, linked to nobody
            self.store.mark_processed(event.update_id, None if outcome.forgotten else user.id)
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
        state, rev = self._saved(user)
        turn = Turn(user, state, rev, event)
        if event.kind == "command":
            return self._command(turn)
        if event.kind == "text":
            if event.reply_to is not None:
                for hook in self.reply_hooks:
                    if (taken := hook(turn)) is not None:
                        return taken
            if state is None:
                return self.slots["idle_text"](turn)  # type: ignore[no-any-return]
            return self.run(turn, Say(text=event.text))
        if event.kind == "press":
            prefix, colon, payload = event.data.partition(":")
            if colon and prefix in self.presses:
                return self.presses[prefix](turn, payload)
            if state is None:  # no screen to point at: the menu, why above it, one message
                outcome = self.begin(turn, "menu" if user.active_community else "start")
                return outcome.above(self.t(user, "stale_button"))
            return self.run(turn, Press(data=event.data))
        if event.kind == "edit":
            return self.slots["edit"](turn)  # type: ignore[no-any-return]
        for hook in self.media_hooks:
            taken = hook(turn)
            if taken is not None:
                return taken
        if state is None:
            return self.slots["idle_other"](turn)  # type: ignore[no-any-return]
        return self.run(turn, Other(kind=event.other))

    def _command(self, turn: Turn) -> Outcome:
        """A typed command; a dialog it interrupts first keeps what it holds (`leaving`)."""
        above: list[Reply] = []
        if turn.state is not None:
            for hook in self.leaving:
                above += hook(turn)
            if above:  # the hook may have changed the user (a community created, say)
                user = self.store.user(turn.user.id) or turn.user
                turn = Turn(user, self._saved(user)[0], turn.rev, turn.event)
        known = self.commands.get(turn.event.command)
        # An unknown command's answer already carries the step she is at (with a suggestion).
        outcome = (known or self.slots["unknown_command"])(turn)
        outcome.above(*(reply.text for reply in above))
        if known is not None and turn.state is not None \
                and (above or turn.state.dialog == "start") \
                and self._saved(turn.user) == (turn.state, turn.rev) \
                and (again := self.current(turn.user)) is not None:
            # The command left onboarding where it was (/help, say): its question comes
            # again below, so what she types next goes where she sees it going.
            outcome.replies.append(again)
        return outcome

    def _saved(self, user: User) -> tuple[DialogState | None, int]:
        """The user's dialog state as stored (None when none, or one no longer defined)."""
        saved = self.store.state(user.id)
        state = (DialogState(dialog=saved.dialog, step=saved.step, data=saved.data)
                 if saved.dialog and saved.step and self._exists(saved.dialog, saved.step)
                 else None)
        return state, saved.rev

    def typed(self, turn: Turn) -> Outcome:
        """`turn.event` (a command) as if the librarian typed it (a suggested command tapped)."""
        return self._command(turn)

    def _exists(self, dialog: str, step: str) -> bool:
        found = self.catalog.dialogs.get(dialog)
        return found is not None and step in found.steps

    def begin(self, turn: Turn, dialog: str, data: dict[str, Any] | None = None, *,
              step: str | None = None) -> Outcome:
        return self.run(Turn(turn.user, None, turn.rev, turn.event),
                        Begin(dialog=dialog, data=data or {}, step=step))

    def run(self, turn: Turn, event: Event) -> Outcome:
        """Run the engine, record effects and the new state; replies reflect what was recorded."""
        ctx = self.context(turn.user, turn.rev, self._needs(turn, event), turn.state)
        result = engine.step(self.catalog, turn.state, event, ctx)
        if result.passthrough:
            slot = "idle_text" if isinstance(event, Say) else "idle_other"
            return self.slots[slot](turn)  # type: ignore[no-any-return]
        extra: list[Reply] = []
        for effect in result.effects:
            handler = self.effects.get(effect.name)
            if handler is not None:
                extra += handler(self.store.user(turn.user.id) or turn.user, effect.data,
                                 turn) or []
        # An effect's lead (what it did) goes above the step shown next, in the same message.
        leads = [r for r in extra if r.lead]
        replies = self._recorded(turn, result, quiet_lead=bool(leads))
        outcome = Outcome(joined(leads + replies + [r for r in extra if not r.lead]),
                          notice=result.notice, ack=result.ack)
        if result.command:
            return self._then(turn, result.rev, result.command, outcome)
        return outcome

    def _needs(self, turn: Turn, event: Event) -> Needs:
        if isinstance(event, Begin):
            return self.catalog.begin_needs(event.dialog, event.step)
        if turn.state is not None:
            return self.catalog.needs(turn.state.dialog, turn.state.step)
        return Needs()

    def _recorded(self, turn: Turn, result: Result, *, quiet_lead: bool) -> list[Reply]:
        """The new state saved; the step's replies as the recorded effects left things."""
        user, replies = turn.user, result.replies
        # After recorded effects the context is read again, so the reply shows the new situation.
        changed = any(e.name in self.effects and not e.shown for e in result.effects)
        if changed and result.state is not None and replies:
            replies[-1] = self._shown(user, result.state, result.rev, edit=replies[-1].edit)
        if result.state is None:
            self.store.save_state(user.id, None, None, {}, result.rev)
            return replies
        self.store.save_state(user.id, result.state.dialog, result.state.step,
                              result.state.data, result.rev)
        if replies:  # a wizard she stopped here before: offer its draft
            replies[-1] = drafts.offer(self, user, turn.state, result.state, replies[-1])
        elif quiet_lead and not result.command:
            # A quiet step (a live note) that made something: say so above the step shown
            # again, so its buttons stay at the bottom rather than the effect taking over.
            replies = [self._shown(user, result.state, result.rev)]
        return replies

    def _shown(self, user: User, state: DialogState, rev: int, *, edit: bool = False) -> Reply:
        """The step rendered with the context as it is now (the user read again)."""
        fresh = self.context(self.store.user(user.id) or user, rev,
                             self.catalog.render_needs(state.dialog, state.step), state)
        return engine.render(self.catalog, state, fresh, edit=edit)

    def _then(self, turn: Turn, rev: int, line: str, before: Outcome) -> Outcome:
        """A dialog led to `/command args`: run it as if typed; what it says comes after what
        the dialog said, and replaces the pressed message when the dialog said nothing."""
        name, _, args = line.removeprefix("/").partition(" ")
        user = self.store.user(turn.user.id) or turn.user
        handler = self.commands.get(name)  # a service built without that command's feature
        if handler is None:
            return Outcome(before.replies + self.say(user, "unknown_command").replies)
        event = Incoming(kind="command", command=name, args=args.strip(),
                         message_id=turn.event.message_id, update_id=turn.event.update_id)
        after = handler(Turn(user, None, rev, event))
        replies = after.replies
        if turn.event.kind == "press" and not before.replies and replies \
                and not replies[0].attachments:
            replies = [replies[0].model_copy(update={"edit": True}), *replies[1:]]
        return Outcome(joined(before.replies + replies), notice=before.notice or after.notice,
                       ack=before.ack or after.ack, forgotten=after.forgotten)

    def context(self, user: User, rev: int, needs: Needs,
                state: DialogState | None = None) -> Context:
        """What the engine may know for an event needing `needs` (and nothing more)."""
        return self.builder.build(Ask(self.store, user, state), needs, rev)

    # helpers the features share
    def need_community(self, turn: Turn) -> Outcome:
        """A command that works on a community, before there is one: ask for it first."""
        return self.begin(turn, "start", step="ask_name").above(
            self.t(turn.user, "need_community"))

    def add_note(self, user: User, text: str, message_id: int | None) -> int:
        return self.keep_note(user, text, message_id)[0]

    def keep_note(self, user: User, text: str,
                  message_id: int | None) -> tuple[int, list[Reply]]:
        """Keep a note; what features made of it (an action, say) comes with its id."""
        note_id = self.store.add_note(user.id, user.active_community, text, hashtags(text),
                                      message_id)
        return note_id, [r for hook in self.noted for r in hook(user, note_id, text)]

    def current(self, user: User) -> Reply | None:
        """The step the user is at, rendered again (after a reply could not be delivered)."""
        saved = self.store.state(user.id)
        if not (saved.dialog and saved.step and self._exists(saved.dialog, saved.step)):
            return None
        state = DialogState(dialog=saved.dialog, step=saved.step, data=saved.data)
        needs = self.catalog.render_needs(state.dialog, state.step)
        return engine.render(self.catalog, state, self.context(user, saved.rev, needs, state))
