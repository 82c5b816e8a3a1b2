"""Follow-up actions in the bot: /acties, notes marked "actie:" kept as actions, and the
✅ done, ⏰ later and ✏️ change buttons under each action; ↩ opens a done one again (under
the message that marked it, and in the list of done actions).

Buttons carry "act:<what>:<action id>"; every press reads the action with the presser's
own user id, so a forged or old button finds nothing and says so.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from bot.app.events import Outcome, Turn
from bot.app.feature import Feature, command, effect, noted, press
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.offers import Conversations, DictatedActions
from bot.app.users import lang_of, zone_of
from bot.features.actions.pages import Pages
from dialogs.replies import Button, Reply
from dialogs.rules.actions.buttons import ACT
from dialogs.rules.actions.checks import EXTENSION, NO_DATE
from dialogs.rules.actions.reading import due_text, follow_up, later, parse_due, split_due
from storage.actions import Action, ActionRepo, SpokenActions
from storage.store import User
from storage.talk import TalkRepo

ME = "-"  # the "🙋 Me" button of "for whom"


class Actions(Feature, DictatedActions):
    name = "actions"
    extensions = (EXTENSION,)

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = ActionRepo(service.store)
        self.pages = Pages(service, self.repo)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    def today(self, user: User) -> date:
        return self.service.clock().astimezone(UTC).astimezone(
            zone_of(user)).date()

    def lang(self, user: User) -> str:
        return lang_of(user)

    # /acties
    @command("actions", aliases=("acties",), group="field", order=5)
    def cmd_actions(self, turn: Turn) -> Outcome:
        if not turn.user.active_community:
            return self.service.need_community(turn)
        return Outcome([self.pages.listing(turn.user, 0, edit=False)])

    # a note marked "actie:"
    @noted
    def from_note(self, user: User, note_id: int | None, text: str) -> list[Reply]:
        """A kept note, or (note_id None) a live-mode note in a conversation's transcript."""
        what = follow_up(text)
        if what is None or not user.active_community:
            return []
        now = self.service.clock().astimezone(UTC)
        parsed = split_due(what, now=now, tz=zone_of(user))
        action_id = self.repo.add(user.id, user.active_community, parsed.what, due=parsed.due,
                                  note_id=note_id, conversation_id=(
                                      self._conversation(user) if note_id is None else None))
        said = self.saved(user, parsed.what, parsed.due)
        action = self.repo.get(user.id, action_id)
        if action is None:
            return []
        reason = (self.t(user, parsed.bad_due.key, **self._params(user, parsed.bad_due.params))
                  if parsed.bad_due is not None else None)
        if note_id is None and parsed.bad_due is not None:
            # Mid-conversation she can't answer a question about the date (what she types is
            # the talk's): the same reason as a statement.
            stated = f"{parsed.bad_due.key}_stated"
            if stated in self.service.catalog.texts:
                reason = self.t(user, stated, **self._params(user, parsed.bad_due.params))
        if note_id is None:
            # In a conversation the question keeps its buttons: what was kept goes above it,
            # without buttons of its own (a tap there meant the next question, not ✅).
            if reason is not None:
                said = self.t(user, "action_bad_due_live", reason=reason)
            return [Reply(text=said, lead=True)]
        if reason is not None:
            # Kept without a date, and the date asked again: one tap, or another day typed.
            menu = self._later_menu(user, action, apart=True)
            return [menu.model_copy(update={"text": self.t(user, "action_bad_due", reason=reason)})]
        return [Reply(text=said, buttons=[self.pages.buttons(user, action)])]

    def from_transcript(self, user: User, transcription_id: int, text: str) -> str:
        """The actions a transcribed voice note dictated ("Actie, Fatima mailen vrijdag."; the
        transcriber puts each on a line of its own), made once however often this is asked;
        the lines saying so, for the message that shows the transcript ("" for none)."""
        now = self.service.clock().astimezone(UTC)
        found = []
        for line in text.splitlines():
            if (what := follow_up(line)) is not None:
                parsed = split_due(what.rstrip(" ."), now=now, tz=zone_of(user))
                found.append((parsed.what, parsed.due))
        made = SpokenActions(self.service.store).add(user.id, transcription_id, found)
        return "\n".join(self.saved(user, a.what, date.fromisoformat(a.due) if a.due else None,
                                    a.who) for a in made)

    def _params(self, user: User, params: dict[str, Any]) -> dict[str, str]:
        out = {k: str(v) for k, v in params.items()}
        if "date" in out and len(out["date"]) == 10:
            out["date"] = due_text(date.fromisoformat(out["date"]), self.today(user),
                                   self.lang(user))
        if "month" in params and isinstance(params["month"], int):
            from dialogs.rules.dates import month_name
            out["month"] = month_name(params["month"], self.lang(user))
        return out

    def saved(self, user: User, what: str, due: date | None, who: str | None = None) -> str:
        when = (", " + self.t(user, "action_due", date=due_text(due, self.today(user),
                                                                 self.lang(user)))
                if due else "")
        whom = ", " + self.t(user, "action_for", who=who) if who else ""
        return self.t(user, "action_added_said", what=what, due=whom + when)

    # buttons
    @press(ACT)
    def press_action(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        kind, _, rest = payload.partition(":")
        if kind == "add":
            if not user.active_community:
                return self.service.need_community(turn)
            return self.service.begin(turn, "actions")
        if kind == "p" and (number := parse_id(rest)) is not None:
            return Outcome([self.pages.listing(user, number, edit=True)])
        if kind == "dp" and (number := parse_id(rest)) is not None:
            return Outcome([self.pages.done_listing(user, number)])
        raw_id, _, where = rest.partition(":")
        action_id = parse_id(raw_id)
        action = self.repo.get(user.id, action_id) if action_id is not None else None
        if kind == "r":
            return self._touched(user, action, self._reopen(user, action, where))
        apart = where == "n"  # pressed under the weekly overview or the daily message
        if action is None or action.done_at is not None:
            # Done by a colleague a moment ago: the list as it is now.
            now = [self.pages.listing(user, 0, edit=True)] if action and not apart else []
            return Outcome(now, notice=self.t(user, "action_gone"))
        return self._touched(user, action, self._on_open(turn, kind, action, apart))

    def _touched(self, user: User, action: Action | None, outcome: Outcome) -> Outcome:
        """An action made during a conversation changed: that conversation's summary is made
        again (it lists the action as it is now)."""
        conversation = self.repo.conversation_of(action.id) if action else None
        talk = self.service.offered(Conversations)
        if conversation is not None and talk is not None:
            talk.rebuild_if_ended(user, conversation)
        return outcome

    def _on_open(self, turn: Turn, kind: str, action: Action, apart: bool) -> Outcome:
        """✅, ⏰ (and its choices) or ✏️ on an open action."""
        user = turn.user
        if kind == "d":
            self.repo.done(user.id, action.id)
            undo = Button(label=self.t(user, "action_reopen"),
                          data=f"{ACT}:r:{action.id}" + (":n" if apart else ""))
            return self._after(user, self.t(user, "action_done_said", what=action.what), apart,
                               undo)
        if kind == "l":
            return Outcome([self._later_menu(user, action, apart)])
        if kind in ("lt", "lw"):
            due = later("tomorrow" if kind == "lt" else "week", self.today(user))
            assert due is not None
            self.repo.move(user.id, action.id, due)
            return self._after(user, self.t(user, "action_moved_said", what=action.what,
                                            date=due_text(due, self.today(user),
                                                          self.lang(user))), apart)
        if kind == "ld":
            return self.service.begin(turn, "actions", {"action": str(action.id)},
                                      step="later_date")
        if kind == "c":
            return self.service.begin(turn, "actions", {"action": str(action.id)},
                                      step="change_what")
        return Outcome(notice=self.t(user, "action_gone"))

    def _later_menu(self, user: User, action: Action, apart: bool) -> Reply:
        tail = f"{action.id}:n" if apart else str(action.id)
        rows = [[Button(label=self.t(user, "action_later_tomorrow"), data=f"{ACT}:lt:{tail}"),
                 Button(label=self.t(user, "action_later_week"), data=f"{ACT}:lw:{tail}")],
                [Button(label=self.t(user, "action_later_date"), data=f"{ACT}:ld:{tail}")]]
        return Reply(text=self.t(user, "action_later_ask", what=action.what), buttons=rows,
                     edit=not apart)

    def _after(self, user: User, said: str, apart: bool = False,
               undo: Button | None = None) -> Outcome:
        """What a button did, above the list as it is now (in the same message); under
        another message, a short message of its own, leaving that one as it was. `undo`
        (↩ after ✅) comes last, so the list's buttons keep their places (and the console's
        numbers: ticking off the top action twice never reopens the first)."""
        last = [[undo]] if undo else []
        if apart:
            return Outcome([Reply(text=said, buttons=last)])
        if not user.active_community:
            return Outcome([Reply(text=said, buttons=last, edit=True)])
        shown = self.pages.listing(user, 0, edit=True, above=said)
        return Outcome([shown.model_copy(update={"buttons": shown.buttons + last})])

    def _reopen(self, user: User, action: Action | None, where: str) -> Outcome:
        """↩ on a done action: open again; a second time changes nothing and says so."""
        if action is None:
            return Outcome(notice=self.t(user, "action_gone"))
        if self.repo.reopen(user.id, action.id):
            said = self.t(user, "action_reopened_said", what=action.what)
        else:
            said = self.t(user, "action_reopened_already", what=action.what)
        if where == "g" and user.active_community:  # pressed in the list of done actions
            return Outcome([self.pages.done_listing(user, 0, above=said)])
        return self._after(user, said, where == "n")

    # effects of the typed steps
    @effect("add_action")
    def add_action(self, user: User, data: dict[str, Any],
                   _turn: Turn | None = None) -> list[Reply]:
        if not user.active_community:
            return []
        return self._add(user, str(data["what"]), data.get("who"), data.get("due"))

    @effect("add_live_action")
    def add_live_action(self, user: User, data: dict[str, Any],
                        _turn: Turn | None = None) -> list[Reply]:
        """➕ Actie in live mode: the same, the acknowledgement above the question again."""
        return self._add(user, str(data["action_what"]), data.get("action_who"),
                         data.get("action_due"), self._conversation(user))

    def _conversation(self, user: User) -> int | None:
        """The conversation going on (its summary lists the actions made during it)."""
        current = TalkRepo(self.service.store).open_conversation(user.id)
        return current.id if current else None

    def _add(self, user: User, what: str, who: object, due_raw: object,
             conversation_id: int | None = None) -> list[Reply]:
        if not user.active_community:
            return []
        due = self._due(user, str(due_raw or NO_DATE))
        whom = self._whom(user, str(who or ME))
        self.repo.add(user.id, user.active_community, what.strip(), due=due, who=whom,
                      conversation_id=conversation_id)
        return [Reply(text=self.saved(user, what.strip(), due, whom), lead=True)]

    def _whom(self, user: User, raw: str) -> str | None:
        """"For whom": the librarian (None), someone met ("#12", their button), or a name."""
        raw = raw.strip()
        if raw in ("", ME):
            return None
        if raw.startswith("#") and raw[1:].isdigit():
            person = TalkRepo(self.service.store).person(user.id, int(raw[1:]))
            return person.name if person else None
        return raw

    def _due(self, user: User, raw: str) -> date | None:
        """The checked date, or a tapped "vandaag"/"morgen"/"volgende week" (buttons are
        not checked)."""
        if raw == NO_DATE:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            found = parse_due(raw, now=self.service.clock(), tz=zone_of(user))
            return found if isinstance(found, date) else None

    @effect("change_action")
    def change_action(self, user: User, data: dict[str, Any],
                      _turn: Turn | None = None) -> list[Reply]:
        action_id = parse_id(str(data.get("action", "")))
        what = str(data["what"]).strip()
        if action_id is None or not self.repo.change(user.id, action_id, what):
            return [Reply(text=self.t(user, "action_gone"), lead=True)]
        self._touched(user, self.repo.get(user.id, action_id), Outcome())
        return [Reply(text=self.t(user, "action_changed_said", what=what), lead=True)]

    @effect("move_action")
    def move_action(self, user: User, data: dict[str, Any],
                    _turn: Turn | None = None) -> list[Reply]:
        action_id = parse_id(str(data.get("action", "")))
        raw = str(data.get("due") or NO_DATE)
        action = self.repo.get(user.id, action_id) if action_id is not None else None
        if action is None or raw == NO_DATE or not self.repo.move(
                user.id, action.id, date.fromisoformat(raw)):
            return [Reply(text=self.t(user, "action_gone"), lead=True)]
        said = self.t(user, "action_moved_said", what=action.what,
                      date=due_text(date.fromisoformat(raw), self.today(user), self.lang(user)))
        self._touched(user, action, Outcome())
        return [Reply(text=said, lead=True)]
