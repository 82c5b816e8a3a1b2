"""Who may use the bot: closed by default, invite links, a one-time claim code, revoking.

The gate runs before a user is loaded or created. Strangers get one short answer per day
at most and leave nothing behind but a daily count; revoked users are answered politely
and may still fetch (/mydata) or erase (/forget) what is stored about them.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.app.events import Incoming, Outcome, Turn, Who
from bot.app.feature import Feature, command, gate, greeting, press, slot, startup
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.offers import Admins, Handovers
from dialogs import paging
from dialogs.replies import Button, Reply, label
from dialogs.rules.dates import day_month_year
from storage.access import INVITE_DAYS, AccessRepo
from storage.store import User

PREFIX = "ac"
# What a revoked user may still do: their GDPR rights (see bot/features/export/feature.py).
REVOKED_MAY = frozenset({"mydata", "forget"})
REVOKED_PRESSES = ("fg:",)
# Memory for "answered this stranger today" is bounded; past it strangers get no answer.
MAX_ANSWERED = 10_000
USERS_PER_PAGE = 8  # /users shows the list a page at a time (Telegram's keyboard limits)


class Access(Feature, Admins):
    name = "access"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.store = service.store
        self.repo = AccessRepo(service.store)
        self.joined: dict[int, str] = {}  # telegram id -> code kind, from the gate to /start
        self._day = ""
        self._answered: set[int] = set()  # in memory only: strangers are never stored

    # who is who
    @property
    def admins(self) -> tuple[int, ...]:
        return tuple(self.service.defaults.admins)

    def is_admin(self, user: User) -> bool:
        return user.status == "active" and (user.is_admin or user.telegram_id in self.admins)

    @slot("admitted")
    def admitted(self, telegram_id: int) -> bool:
        """May this Telegram user's updates be kept in the inbox?"""
        if telegram_id in self.admins:
            return True
        user = self.store.user_by_telegram(telegram_id)
        return user is not None and user.status == "active"

    def _today(self) -> str:
        zone = ZoneInfo(self.service.defaults.timezone)
        return self.service.clock().astimezone(zone).date().isoformat()

    def _lang(self, code: str | None) -> str:
        code = (code or "")[:2].lower()
        return code if code in ("nl", "en") else self.service.defaults.language

    # the gate
    @gate
    def gate(self, who: Who, event: Incoming) -> Outcome | None:
        if who.telegram_id is None:
            return None  # the console is local: whoever runs it may use it
        tid = who.telegram_id
        user = self.store.user_by_telegram(tid)
        if tid in self.admins:
            if user is not None and user.status != "active":
                # An admin named in the settings can't be locked out.
                self.repo.set_status(user.id, "active")
            return None
        if user is not None:
            if user.status == "active":
                return None
            if (event.kind == "command" and event.command in REVOKED_MAY) or (
                    event.kind == "press" and event.data.startswith(REVOKED_PRESSES)):
                return None
            return self._reply(user.language, "access_revoked", event)
        code = event.args.strip() if event.kind == "command" and event.command == "start" else ""
        if code:
            found = self.repo.check(code, self.admins)
            if found.problem is None and found.invite_id is not None:
                created = self.service.user(who)
                self.repo.mark_used(found.invite_id, created.id)
                if found.kind == "claim":
                    self.repo.set_admin(created.id, True)
                self.joined[tid] = found.kind or "invite"
                return None
            return self._stranger(who, event, f"access_code_{found.problem}")
        return self._stranger(who, event, "access_stranger")

    def _reply(self, lang: str, key: str, event: Incoming) -> Outcome:
        text = self.service.catalog.text(key, lang)
        if event.kind == "press":
            return Outcome(notice=text[:200])
        return Outcome([Reply(text=text)])

    def _stranger(self, who: Who, event: Incoming, key: str) -> Outcome:
        """Count, and answer at most once a day; nothing about the person is written."""
        day = self._today()
        self.repo.count_stranger(day)
        lang = self._lang(who.language_code)
        if event.kind == "press":
            return Outcome(notice=self.service.catalog.text("access_stranger_press", lang))
        if day != self._day:
            self._day, self._answered = day, set()
        assert who.telegram_id is not None
        if who.telegram_id in self._answered or len(self._answered) >= MAX_ANSWERED:
            return Outcome()
        self._answered.add(who.telegram_id)
        return Outcome([Reply(text=self.service.catalog.text(key, lang))])

    # commands
    @greeting
    def joined_by_code(self, turn: Turn) -> list[Reply]:
        """/start CODE: say so above the welcome when the code just let someone in."""
        tid = turn.user.telegram_id
        kind = self.joined.pop(tid, None) if tid is not None else None
        key = {"claim": "access_claimed", "invite": "access_joined"}.get(kind or "")
        if key is None and turn.event.args.strip():
            key = "access_already_in"
        return [Reply(text=self.service.t(turn.user, key))] if key else []

    @command("invite", aliases=("uitnodigen",), group="admin", order=1)
    def invite(self, turn: Turn) -> Outcome:
        user = turn.user
        if not self.is_admin(user):
            return self.service.say(user, "access_admins_only")
        code = self.repo.create_code("invite", user.id, INVITE_DAYS)
        until = day_month_year((self.service.clock() + timedelta(days=INVITE_DAYS)).astimezone(
            ZoneInfo(user.timezone)).date(), user.language)
        name = self.service.bot_username
        text = (self.service.t(user, "invite_link", link=f"https://t.me/{name}?start={code}",
                               until=until) if name
                else self.service.t(user, "invite_code_only", code=code, until=until))
        button = Button(label=self.service.t(user, "users_button"), data=f"{PREFIX}:list")
        return Outcome([Reply(text=text, buttons=[[button]])])

    @command("users", aliases=("gebruikers",), group="admin", order=2)
    def users(self, turn: Turn) -> Outcome:
        if not self.is_admin(turn.user):
            return self.service.say(turn.user, "access_admins_only")
        return Outcome([self.user_list(turn.user)])

    def user_list(self, admin: User, *, page: int = 0, edit: bool = False) -> Reply:
        """Everyone, a page at a time, with a revoke or restore button per librarian. A
        button names the librarian by id and Telegram id: ids are never handed out again,
        and the Telegram id makes sure a button can only ever mean that one person."""
        t = self.service.t
        everyone = self.repo.users()
        pages = max(1, -(-len(everyone) // USERS_PER_PAGE))
        page = max(0, min(page, pages - 1))
        shown = everyone[page * USERS_PER_PAGE:(page + 1) * USERS_PER_PAGE]
        title = t(admin, "users_title")
        if pages > 1:
            title += " " + t(admin, "list_part", first=page * USERS_PER_PAGE + 1,
                             last=page * USERS_PER_PAGE + len(shown), total=len(everyone))
        lines = [title]
        rows: list[list[Button]] = []
        for user in shown:
            name = user.name or user.console_name or "—"
            role = t(admin, "users_admin") if user.is_admin or user.telegram_id in self.admins \
                else t(admin, "users_member")
            status = t(admin, "users_revoked") if user.status != "active" else ""
            where = t(admin, "users_console") if user.telegram_id is None else ""
            lines.append(" ".join(p for p in (f"• {name} —", role, where, status) if p))
            if user.telegram_id is None or user.id == admin.id or user.telegram_id in self.admins:
                continue
            if user.status == "active":
                text, code = t(admin, "users_revoke_button", name=label(name, 40)), "rv"
            else:
                text, code = t(admin, "users_restore_button", name=label(name, 40)), "ok"
            rows.append([Button(label=text,
                                data=f"{PREFIX}:{code}:{user.id}:{user.telegram_id}:{page}")])
        nav = paging.Page([], page, pages).nav(lambda n: f"{PREFIX}:pg:{n}",
                                                lambda key: t(admin, key))
        if nav:
            rows.append(nav)
        if (handover := self.service.offered(Handovers)) is not None:
            rows.append([handover.handover_button(admin)])
        lines.append("")
        lines.append(t(admin, "users_footer", invites=self.repo.open_invites(),
                       strangers=self.repo.strangers(self._today())))
        return Reply(text="\n".join(lines), buttons=rows, edit=edit)

    @press(PREFIX)
    def press(self, turn: Turn, payload: str) -> Outcome:
        admin = turn.user
        if not self.is_admin(admin):
            return Outcome(notice=self.service.t(admin, "access_admins_only"))
        action, *rest = payload.split(":")
        if action == "list":
            return Outcome([self.user_list(admin)])
        if action == "pg" and len(rest) == 1 and (number := parse_id(rest[0])) is not None:
            return Outcome([self.user_list(admin, page=number, edit=True)])
        ids = [parse_id(part) for part in rest]
        target = (self.store.user(ids[0]) if len(ids) == 3 and ids[0] is not None
                  and None not in ids else None)
        page = ids[2] if target is not None else 0
        if action not in ("rv", "ok") or target is None or not self._changeable(
                admin, target, ids[1]):
            # Forged, or about someone who is gone: nobody else is ever affected.
            return Outcome([self.user_list(admin, page=page or 0, edit=True)],
                           notice=self.service.t(admin, "stale_button"))
        self.repo.set_status(target.id, "revoked" if action == "rv" else "active")
        key = "users_revoked_done" if action == "rv" else "users_restored_done"
        return Outcome([self.user_list(admin, page=page or 0, edit=True)],
                       notice=self.service.t(admin, key, name=target.name or "—"))

    def _changeable(self, admin: User, target: User, telegram_id: int | None) -> bool:
        """Whether a revoke or restore button may change `target`: the Telegram id it names
        is theirs, and they are neither the admin pressing nor an admin of the settings."""
        return (target.telegram_id == telegram_id and target.id != admin.id
                and target.telegram_id not in self.admins)

    # start-up
    def claim(self) -> str | None:
        """A fresh one-time claim code when there is no admin yet (older ones stop working)."""
        with self.store.atomic():
            if self.repo.has_admin(self.admins):
                self.repo.drop_claims()
                return None
            return self.repo.create_code("claim", None, days=None)

    @startup
    def announce_claim(self) -> None:
        """Print the claim code on the console (stdout), never in the log."""
        code = self.claim()
        if code is None:
            return
        name = self.service.bot_username
        print(self.service.catalog.text(
            "access_claim_console", self.service.defaults.language, code=code,
            link=f"https://t.me/{name}?start={code}" if name else f"/start {code}"), flush=True)

