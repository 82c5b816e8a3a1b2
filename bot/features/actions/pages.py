"""The pages of /acties: the open actions, due first, and the done ones, most recent first;
a page at a time, each action with its buttons (✅ ⏰ ✏️, ↩ on a done one)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.app.host import Host
from bot.app.users import lang_of, zone_of
from bot.features.actions.assign import assign_button, assignee_text
from dialogs import paging
from dialogs.replies import Button, Reply, shorten
from dialogs.rules.actions.buttons import ACT, LABEL, action_buttons
from dialogs.rules.actions.reading import due_text
from storage.actions import Action, ActionRepo
from storage.membership import Members
from storage.store import User

PER_PAGE = 6  # actions on one page of /acties: each has a row of three buttons


def buttons(action: Action, number: int | None = None, *, apart: bool = False) -> list[Button]:
    return action_buttons(action.id, action.what, number, apart=apart)


class Pages:
    """Renders /acties' pages for a librarian, in their language and time zone."""

    def __init__(self, service: Host, repo: ActionRepo) -> None:
        self.service = service
        self.repo = repo

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    def today(self, user: User) -> date:
        return self.service.clock().astimezone(UTC).astimezone(
            zone_of(user)).date()

    def lang(self, user: User) -> str:
        return lang_of(user)

    def line(self, user: User, action: Action, today: date) -> str:
        parts = [action.what]
        if action.who:
            parts.append(self.t(user, "action_for", who=action.who))
        if assigned := assignee_text(self.service, user, action):
            parts.append(assigned)
        if action.due:
            due = date.fromisoformat(action.due)
            shown = due_text(due, today, self.lang(user))
            parts.append(self.t(user, "action_overdue" if due < today else "action_due",
                                date=shown))
        return " · ".join(parts)

    def buttons(self, user: User, action: Action, number: int | None = None, *,
                apart: bool = False) -> list[Button]:
        """✅ ⏰ ✏️ for one action; `apart` under a message that is not the list (the weekly
        overview, the daily message): what a press did comes as a message of its own."""
        return buttons(action, number, apart=apart) + assign_button(Members(self.service.store),
                                                                    action)

    def listing(self, user: User, number: int, *, edit: bool, above: str = "") -> Reply:
        """One page of the open actions, due first; each with its three buttons."""
        community = self.service.store.community(user.id, user.active_community or 0)
        name = community.name if community else "—"
        actions = self.repo.open(user.id, user.active_community or 0)
        today = self.today(user)
        lead = [above] if above else []
        add = [Button(label=self.t(user, "action_add"), data=f"{ACT}:add"),
               Button(label=self.t(user, "activity_log_button"), data="av:add")]
        done_count = len(self.repo.done_list(user.id, user.active_community or 0))
        done = ([[Button(label=self.t(user, "actions_done_button", count=done_count),
                         data=f"{ACT}:dp:0")]] if done_count else [])
        if not actions:
            text = "\n\n".join([*lead, self.t(user, "actions_none", community=name)])
            return Reply(text=text, buttons=[add, *done], edit=edit)
        items = [Button(label=a.what, data=str(i)) for i, a in enumerate(actions)]
        shown = paging.page(items, number, per_page=PER_PAGE)
        first = int(shown.items[0].data)
        rows: list[list[Button]] = []
        lines = [self.t(user, "actions_title", community=name) + " · "
                 + self.service.catalog.counted("actions_count", user.language, len(actions))]
        for offset, item in enumerate(shown.items):
            action = actions[int(item.data)]
            lines.append(f"{first + offset + 1}. {self.line(user, action, today)}")
            rows.append(self.buttons(user, action, first + offset + 1))
        nav = shown.nav(lambda n: f"{ACT}:p:{n}", lambda key: self.t(user, key))
        rows += [nav] if nav else []
        rows += [add, *done]
        return Reply(text="\n\n".join([*lead, "\n".join(lines)]), buttons=rows, edit=edit)

    def done_listing(self, user: User, number: int, *, above: str = "") -> Reply:
        """One page of the done actions, the most recently done first, each with ↩."""
        community = self.service.store.community(user.id, user.active_community or 0)
        name = community.name if community else "—"
        actions = self.repo.done_list(user.id, user.active_community or 0)
        back = [Button(label=self.t(user, "actions_open_button"), data=f"{ACT}:p:0")]
        lead = [above] if above else []
        if not actions:
            text = "\n\n".join([*lead, self.t(user, "actions_done_none", community=name)])
            return Reply(text=text, buttons=[back], edit=True)
        today = self.today(user)
        items = [Button(label=a.what, data=str(i)) for i, a in enumerate(actions)]
        shown = paging.page(items, number, per_page=PER_PAGE)
        first = int(shown.items[0].data)
        lines = [self.t(user, "actions_done_title", community=name)]
        rows: list[list[Button]] = []
        for offset, item in enumerate(shown.items):
            action, n = actions[int(item.data)], first + offset + 1
            lines.append(f"{n}. {action.what} · {self._done_when(user, action, today)}")
            rows.append([Button(label=f"↩ {n}. " + shorten(action.what, LABEL),
                                data=f"{ACT}:r:{action.id}:g")])
        nav = shown.nav(lambda n: f"{ACT}:dp:{n}", lambda key: self.t(user, key))
        rows += [nav] if nav else []
        rows.append(back)
        lines.append(self.t(user, "actions_done_hint"))
        return Reply(text="\n\n".join([*lead, "\n".join(lines)]), buttons=rows, edit=True)

    def _done_when(self, user: User, action: Action, today: date) -> str:
        done = datetime.fromisoformat(action.done_at or "").astimezone(
            zone_of(user)).date()
        if done == today:
            return self.t(user, "action_done_today")
        return self.t(user, "action_done_on", date=due_text(done, today, self.lang(user)))
