"""The core feature: greeting, help, cancel, notes, communities, phases and language, and
the context every feature may build on (the active community, ticks, stored answers)."""

from __future__ import annotations

from html import escape
from typing import Any

from bot.app import drafts
from bot.app.events import Incoming, Outcome, Turn
from bot.app.feature import Ask, Feature, command, effect, leaving, press, provides, slot
from dialogs import paging
from dialogs.replies import Button, Reply, label, shorten
from dialogs.rules import phase_one as phase_one_rule
from dialogs.rules.phase_one import phase_one
from dialogs.state import Choice
from storage.membership import Members
from storage.store import User

RUN = "cmd"  # a suggested command's button: "cmd:<name>:<args>", or "cmd:<name>!"
TYPED = "_typed"  # where words too long for that wait, in the dialog state
MAX_DATA = 64  # Telegram: bytes of a button's data
HELP = "help"
# In the start dialog's data: the community a command during onboarding already made.
KEPT = "kept_community"


class Core(Feature):
    name = "core"
    default_slots = True

    # commands
    @command("start", group="settings", order=1)
    def start(self, turn: Turn) -> Outcome:
        """One message: who got in (access), then the greeting with the first question, or
        "welcome back" with the menu."""
        user = turn.user
        if user.active_community:
            outcome = self.service.begin(turn, "menu").above(
                self.service.t(user, "welcome_back", name=user.name or "👋"))
        else:
            outcome = self.service.begin(turn, "start")
        return outcome.above(*(reply.text for hook in self.service.greetings
                               for reply in hook(turn)))

    @command("help", aliases=("hulp",), group="settings", order=5)
    def help(self, turn: Turn) -> Outcome:
        """The field commands on one screen; every command one tap away."""
        short = self.service.menu.help_short(self.service.catalog, turn.user.language)
        return Outcome([Reply(text=short, buttons=[[Button(
            label=self.service.t(turn.user, "help_all_button"), data=f"{HELP}:all")]])])

    @press(HELP)
    def press_help(self, turn: Turn, _payload: str) -> Outcome:
        """Every command, grouped by task, in place of the short list."""
        full = self.service.menu.help_text(self.service.catalog, turn.user.language)
        return Outcome([Reply(text=full, edit=True)])

    @command("cancel", aliases=("annuleer",), group="settings", order=4)
    def cancel(self, turn: Turn) -> Outcome:
        if turn.state is None:
            return self.service.say(turn.user, "nothing_to_cancel")
        # Onboarding kept its community on leaving; a wizard keeps what it had not stored.
        kept = [] if KEPT in turn.state.data else drafts.keep(self.service, turn.user,
                                                              turn.state)
        self.service.store.save_state(turn.user.id, None, None, {}, turn.rev + 1)
        if kept:
            return self.service.say(turn.user, "cancelled_draft", typed=drafts.listed(kept))
        return self.service.say(turn.user, "cancelled")

    @press(drafts.DRAFT)
    def press_draft(self, turn: Turn, payload: str) -> Outcome:
        return drafts.press(self.service, turn, payload)

    @command("note", aliases=("notitie",), group="field", order=2)
    def note_command(self, turn: Turn) -> Outcome:
        if not turn.event.args.strip():
            if not turn.user.active_community:
                return self.service.need_community(turn)
            community = self.service.store.community(turn.user.id, turn.user.active_community)
            return self.service.say(turn.user, "note_how",
                                    community=community.name if community else "—")
        return self.noted(turn, turn.event.args)

    def _dialog(self, turn: Turn, dialog: str, needs_community: bool = True) -> Outcome:
        if needs_community and not turn.user.active_community:
            return self.service.need_community(turn)
        return self.service.begin(turn, dialog)

    @command("phase", aliases=("fase",), group="method", order=1)
    def phase(self, turn: Turn) -> Outcome:
        return self._dialog(turn, "phases")

    @command("community", group="method", order=3)
    def community(self, turn: Turn) -> Outcome:
        return self._dialog(turn, "community")

    @command("language", aliases=("taal",), group="settings", order=3)
    def language(self, turn: Turn) -> Outcome:
        return self._dialog(turn, "language", needs_community=False)

    @leaving
    def keep_onboarding(self, turn: Turn) -> list[Reply]:
        """A command while the first community is being named: the name (and theme) typed so
        far become the community, rather than being asked for again."""
        state = turn.state
        if state is None or state.dialog != "start" or not state.data.get("name") \
                or KEPT in state.data:
            return []
        user = turn.user
        name, theme = str(state.data["name"]), state.data.get("theme")
        kept = self.service.store.create_community(user.id, name, theme)
        # A command that leaves the start where it is (/help, say): the theme answered next
        # belongs to this community, not to a second one.
        self.service.store.save_state(user.id, state.dialog, state.step,
                                      {**state.data, KEPT: kept}, turn.rev)
        key = "onboarding_kept" if theme else "onboarding_kept_no_theme"
        return [Reply(text=self.service.t(user, key, name=name))]

    # a command that does not exist
    @slot("unknown_command")
    def unknown_command(self, turn: Turn) -> Outcome:
        """The commands a typo may have meant, one tap each (with what was typed after it),
        above the step the librarian is at, so that step's buttons stay on screen with the
        numbers the console gave them."""
        user, t = turn.user, self.service.t
        found = self.service.menu.suggest(turn.event.command)
        if not found:
            said, rows = t(user, "unknown_command"), []
        else:
            names = [f"/{c.shown(user.language)}" for c in found]
            listed = names[0] if len(names) == 1 else (
                f"{', '.join(names[:-1])} {t(user, 'unknown_command_or')} {names[-1]}")
            said = t(user, "unknown_command_maybe", names=listed)
            rows = [[self._run_button(turn, name, c.name)]
                    for name, c in zip(names, found, strict=True)]
        current = self.service.current(user) if turn.state is not None else None
        if current is None or not paging.fits(current.buttons + rows):
            return Outcome([Reply(text=said, buttons=rows)])
        above = escape(said) if current.html else said
        return Outcome([current.model_copy(update={
            "text": f"{above}\n\n{current.text}", "buttons": current.buttons + rows,
            "edit": False})])

    def _run_button(self, turn: Turn, shown: str, name: str) -> Button:
        """A tap that runs `name` with what was typed after the typo; words too long for a
        button's data wait in the dialog state."""
        args = " ".join(turn.event.args.split())
        label = shorten(f"▶️ {shown} {args}".strip(), paging.LABEL)
        data = f"{RUN}:{name}:{args}" if args else f"{RUN}:{name}"
        if len(data.encode()) > MAX_DATA:
            saved = self.service.store.state(turn.user.id)
            self.service.store.save_state(turn.user.id, saved.dialog, saved.step,
                                          {**saved.data, TYPED: args}, saved.rev)
            data = f"{RUN}:{name}!"
        return Button(label=label, data=data)

    @press(RUN)
    def run_suggested(self, turn: Turn, payload: str) -> Outcome:
        head, _, args = payload.partition(":")
        name = head.removesuffix("!")
        if head.endswith("!"):
            args = str(self.service.store.state(turn.user.id).data.get(TYPED, ""))
        if name not in self.service.commands:
            return Outcome(notice=self.service.t(turn.user, "stale_button"))
        event = Incoming(kind="command", command=name, args=args, update_id=turn.event.update_id)
        return self.service.typed(Turn(turn.user, turn.state, turn.rev, event))

    # input outside a dialog; other features may take these slots over
    @slot("idle_text")
    def idle_text(self, turn: Turn) -> Outcome:
        return self.noted(turn, turn.event.text)

    @slot("idle_other")
    def idle_other(self, turn: Turn) -> Outcome:
        return self.service.say(turn.user, "unusable_input")

    @slot("edit")
    def edit(self, turn: Turn) -> Outcome:
        return self.service.say(turn.user, "unusable_input")

    def noted(self, turn: Turn, text: str) -> Outcome:
        user = turn.user
        _, made = self.service.keep_note(user, text, turn.event.message_id)
        if not user.active_community:
            return self.service.begin(turn, "start", step="ask_name").above(
                self.service.t(user, "kept_as_note"))
        community = self.service.store.community(user.id, user.active_community)
        if made:  # an "actie:" note: the action's own message says it was kept
            return Outcome(made)
        return self.service.say(user, "note_saved",
                                community=community.name if community else "—")

    # effects
    @effect("create_community")
    def create_community(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        store = self.service.store
        kept = data.get(KEPT)
        if isinstance(kept, int) and store.community(user.id, kept) is not None:
            if data.get("theme"):  # made when a command came between name and theme
                store.set_theme(user.id, kept, data["theme"])
            store.switch_community(user.id, kept)
            return
        store.create_community(user.id, data["name"], data.get("theme"))

    @effect("rename_community")
    def rename(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        if user.active_community:
            self.service.store.rename_community(user.id, user.active_community, data["name"])

    @effect("set_theme")
    def set_theme(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        if user.active_community:
            self.service.store.set_theme(user.id, user.active_community, data["theme"])

    @effect("switch_community")
    def switch(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        # Ownership is checked in storage: a forged id of someone else's community does nothing.
        if str(data.get("community_id", "")).isdigit():
            self.service.store.switch_community(user.id, int(data["community_id"]))

    @effect("set_language")
    def set_language(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        self.service.store.set_language(user.id, data["lang"])

    @effect("tick")
    def tick(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        if user.active_community:
            self.service.store.set_tick(user.active_community, data["item"], bool(data["on"]))

    @effect("answer")
    def answer(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        if user.active_community:
            self.service.store.set_answer(user.active_community, data["key"], data["value"])

    @effect("note")
    def note_effect(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        self.service.add_note(user, data["text"], None)

    # context
    @provides(facts=("has_community",),
              values=("community", "community_theme", "community_list"),
              choices=("communities",))
    def communities(self, ask: Ask) -> dict[str, Any]:
        found = ask.community
        shared = set(Members(self.service.store).shared_of(ask.user.id))
        listed = "\n".join(f"• {c.name}" + (f" — {c.theme}" if c.theme else "")
                           + (" 🤝" if c.id in shared else "") for c in ask.communities)
        return {"has_community": found is not None,
                "community": found.name if found else "—",
                "community_theme": (found.theme if found else None) or "—",
                "community_list": listed or "—",
                "communities": [Choice(id=str(c.id), label=label(c.name))
                                for c in ask.communities]}

    @provides(facts=(phase_one_rule.DONE,), ticks=True)
    def ticks(self, ask: Ask) -> dict[str, Any]:
        done = phase_one(ask.ticks, self.service.catalog.checklists).complete
        return {"ticks": ask.ticks, phase_one_rule.DONE: done}

    @provides(values=("answer.*",))
    def answers(self, ask: Ask) -> dict[str, Any]:
        return {f"answer.{key}": value for key, value in ask.answers.items()}

