"""The librarian's rights: /export (Markdown, Word, CSV, JSON), /mydata and /forget.

Buttons here are not dialog steps: they carry "ex:..." or "fg:..." and every press is
checked against the presser's own data, so a forged or old button never reaches anyone
else's rows. A /forget confirmation is valid for a day and only for the account it was
shown to.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.app.events import Outcome, Turn
from bot.app.feature import Feature, command, press
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.users import zone_of
from bot.features.export import choices
from bot.features.export.choices import DEFAULT, EXPORT, Choice
from bot.features.export.files import FORMATS, Format, filename, render
from bot.features.export.job import export_file
from bot.features.export.options import EVERYTHING, Options
from bot.features.export.period import within
from bot.ops import offload
from dialogs import paging
from dialogs.catalog import Catalog
from dialogs.replies import Attachment, Button, Reply, label
from dialogs.rules.period import EXTENSION as PERIOD
from storage.export import TECHNICAL, ExportError, everything, snapshot
from storage.leaving import keep_contributions, withdrawn
from storage.membership import Members
from storage.privacy import counts, erase, user_dir
from storage.store import Store, User
from storage.team import Outbox

FORGET = "fg"
# Telegram bots may upload documents of at most 50 MB.
MAX_UPLOAD = 50 * 1024 * 1024
FORGET_VALID = timedelta(days=1)
ASKING = "export_period"  # the dialog that asks for two dates


def user_ref(user: User) -> str:
    """How `veldgids export --user` finds this user."""
    return str(user.telegram_id) if user.telegram_id is not None else (user.console_name or "")


class Rights(Feature):
    name = "rights"
    extensions = (PERIOD,)

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.store = service.store

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    # /export
    @command("export", group="data", order=1)
    def export(self, turn: Turn) -> Outcome:
        user = turn.user
        self._stop_asking(turn)  # /export again: starting over, not typing dates
        # "/export <scope> <period> <flags>": where the period dialog leads, with her dates
        scope, _, rest = turn.event.args.partition(" ")
        choice = choices.read(*rest.partition(" ")[::2]) if rest else None
        if choice is not None and self._valid(user, scope):
            return Outcome([self._choices(user, scope, choice, edit=False)])
        if not self.store.communities(user.id):
            reply = self._choices(user, "all", DEFAULT, edit=False)
            reply.text = self.t(user, "export_nothing_yet") + "\n\n" + reply.text
            return Outcome([reply])
        return Outcome([self._what(user, 0, edit=False)])

    def _what(self, user: User, number: int, *, edit: bool) -> Reply:
        """Which community (a page of them: Telegram's keyboard limits), or everything."""
        items = [Button(label=label(c.name), data=f"{EXPORT}:s:{c.id}")
                 for c in self.store.communities(user.id)]
        shown = paging.page(items, number)
        nav = shown.nav(lambda n: f"{EXPORT}:pg:{n}", lambda key: self.t(user, key))
        rows = [[b] for b in shown.items] + ([nav] if nav else [])
        rows.append([Button(label=self.t(user, "export_everything"), data=f"{EXPORT}:s:all")])
        return Reply(text=self.t(user, "export_ask_what"), buttons=rows, edit=edit)

    def _today(self, user: User) -> date:
        """Her own day: this quarter and this year are those of her calendar, as she asks."""
        return self.service.clock().astimezone(zone_of(user)).date()

    def _choices(self, user: User, scope: str, choice: Choice, *, edit: bool) -> Reply:
        """The period, the appendix and who it is for, then the formats: one message."""
        return choices.message(scope, choice, self._today(user),
                               lambda key, **p: self.t(user, key, **p), user.language, edit=edit)

    def _valid(self, user: User, scope: str) -> bool:
        community_id = parse_id(scope)
        return scope == "all" or (community_id is not None
                                  and self.store.community(user.id, community_id) is not None)

    @press(EXPORT)
    def press_export(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        parts = payload.split(":")
        if parts[0] == "pg" and len(parts) == 2 and (number := parse_id(parts[1])) is not None:
            return Outcome([self._what(user, number, edit=True)])
        scope = parts[1] if len(parts) > 1 else ""
        if not self._valid(user, scope):
            # A forged id or a community that is gone: say so, show nothing of anyone's.
            return Outcome([Reply(text=self.t(user, "export_not_found"))],
                           notice=self.t(user, "stale_button"))
        if parts[0] == "p" and len(parts) == 3 and choices.read("all", parts[2]):
            outcome = self.service.begin(turn, ASKING, {"scope": scope, "flags": parts[2]})
            # a question of its own below: the choices above stay as they are, usable
            outcome.replies = [r.model_copy(update={"edit": False}) for r in outcome.replies]
            return outcome
        self._stop_asking(turn)  # a tap on the choices instead of typing dates
        return self._chosen(user, scope, parts)

    def _chosen(self, user: User, scope: str, parts: list[str]) -> Outcome:
        if parts[0] == "s" and len(parts) == 2:
            return Outcome([self._choices(user, scope, DEFAULT, edit=True)])
        # a format button from before the choices: what it said then, since the start
        choice = DEFAULT if len(parts) == 3 else choices.read(*parts[-2:]) \
            if len(parts) in (4, 5) else None
        if parts[0] == "o" and len(parts) == 4 and choice is not None:
            return Outcome([self._choices(user, scope, choice, edit=True)])
        if parts[0] == "f" and len(parts) in (3, 5) and parts[2] in FORMATS and choice:
            fmt: Format = parts[2]  # type: ignore[assignment]
            today, t = self._today(user), lambda key, **p: self.t(user, key, **p)
            return self.send_export(user, parse_id(scope), fmt, choices.options(choice, today),
                                    choices.period_words(choice, today, t, user.language))
        # old or forged: say so, and the choices again as they were at first; nothing lost
        return Outcome([self._choices(user, scope, DEFAULT, edit=False)],
                       notice=self.t(user, "stale_button")).above(
            self.t(user, "export_choice_stale"))

    def _stop_asking(self, turn: Turn) -> None:
        """She tapped the choices while asked for two dates: no longer asked, so what she
        types next is a note again."""
        if turn.state is not None and turn.state.dialog == ASKING:
            self.store.save_state(turn.user.id, None, None, {}, turn.rev + 1)

    def send_export(self, user: User, community_id: int | None, fmt: Format,
                    options: Options = EVERYTHING, period: str = "") -> Outcome:
        """The file, read and rendered in the heavy-work process (job.py): a Word export of
        thousands of notes takes seconds. It holds what was stored when she asked."""
        catalog, path, asked_at = self.service.catalog, str(self.store.path), self.store.clock()

        def make() -> Reply:
            try:
                name, content = offload.call(export_file, path, user.id, community_id, catalog,
                                             fmt, asked_at, options)
            except ExportError as error:  # deleted meanwhile; or (ShareError) names not out
                return Reply(text=self.t(user, getattr(error, "reply", "export_not_found")))
            return self._document(user, name, content, "export_ready", fmt, options, period)

        return Outcome([Reply(text="", later=make)], notice=self.t(user, "export_share_wait")
                       if options.shareable else None)  # deduce loads first: seconds

    def _document(self, user: User, name: str, content: bytes, key: str, fmt: str,
                  options: Options = EVERYTHING, period: str = "") -> Reply:
        size = _size(content)
        if len(content) > MAX_UPLOAD:
            command = (f"veldgids export --user {user_ref(user)} --format {fmt}"
                       + choices.cli_flags(options))
            return Reply(text=self.t(user, "export_too_big", size=size, command=command))
        text = (self.t(user, "export_ready_period", period=period, size=size)
                if period and options.start is not None else self.t(user, key, size=size))
        return Reply(text=text, attachments=[
            Attachment(kind="document", filename=name, content=content)])

    # /mydata
    @command("mydata", aliases=("mijngegevens",), group="data", order=2)
    def mydata(self, turn: Turn) -> Outcome:
        user = turn.user
        data = everything(self.store, user.id)
        catalog = self.service.catalog
        day = data["exported_at"][:10]
        name = f"veldgids-{'mijn-gegevens' if user.language == 'nl' else 'my-data'}-{day}.json"

        def make() -> Reply:
            return self._document(user, name, offload.call(render, data, catalog, "json"),
                                  "mydata_ready", "json")

        return Outcome([Reply(text="", later=make)])

    # /forget
    @command("forget", aliases=("vergeetmij",), group="data", order=3)
    def forget(self, turn: Turn) -> Outcome:
        user = turn.user
        if held := self._owner_of_shared(user):
            return Outcome([held])
        stamp = int(self.service.clock().timestamp())
        text = self.t(user, "forget_explain", what=self._inventory(user))
        if withdrawn(self.store, user.id):  # shared work: keep it for the team, or not
            text += "\n\n" + self.t(user, "forget_shared")
            rows = [[Button(label=self.t(user, "forget_yes_keep"),
                            data=f"{FORGET}:yes:{user.id}:{stamp}:keep")],
                    [Button(label=self.t(user, "forget_yes_all"),
                            data=f"{FORGET}:yes:{user.id}:{stamp}:all")]]
        else:
            rows = [[Button(label=self.t(user, "forget_yes"),
                            data=f"{FORGET}:yes:{user.id}:{stamp}")]]
        rows.append([Button(label=self.t(user, "forget_no"), data=f"{FORGET}:no")])
        return Outcome([Reply(text=text, buttons=rows)])

    def _owner_of_shared(self, user: User) -> Reply | None:
        """The last owner of a shared community cannot leave with it: hand over first."""
        held = [c.name for c in self.store.communities(user.id)
                if c.id in set(Members(self.store).owned_shared(user.id))]
        if not held:
            return None
        return Reply(text=self.t(user, "forget_hand_over_first",
                                 communities=", ".join(held)))

    def _inventory(self, user: User) -> str:
        found = counts(self.store, user.id)
        lines = []
        for table, key in (("communities", "forget_n_communities"), ("notes", "forget_n_notes"),
                           ("conversations", "forget_n_conversations")):
            if found.get(table):
                lines.append("• " + self.t(user, key, n=found.pop(table)))
        folder = user_dir(self.service.defaults.data_dir, user.id)
        files = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
        if files:
            lines.append("• " + self.t(user, "forget_n_files", n=files))
        rest = sum(n for table, n in found.items() if table not in TECHNICAL)
        if rest:
            lines.append("• " + self.t(user, "forget_n_other", n=rest))
        return "\n".join(lines) or "• " + self.t(user, "forget_only_account")

    @press(FORGET)
    def press_forget(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        action, _, rest = payload.partition(":")
        if action == "no":
            return Outcome([Reply(text=self.t(user, "forget_kept"), edit=True)])
        owner, _, rest = rest.partition(":")
        stamp, _, mode = rest.partition(":")
        now = self.service.clock().timestamp()
        sent = parse_id(stamp)
        shared = withdrawn(self.store, user.id)
        fresh = (action == "yes" and owner == str(user.id) and sent is not None
                 and 0 <= now - sent <= FORGET_VALID.total_seconds()
                 # a confirmation shown before they joined a shared community asked nothing
                 # about it: ask again
                 and (mode in ("keep", "all") if shared else mode == ""))
        if not fresh:
            return Outcome([Reply(text=self.t(user, "forget_stale"))],
                           notice=self.t(user, "forget_stale_notice"))
        if held := self._owner_of_shared(user):  # became an owner meanwhile
            return Outcome([held])
        data_dir = self.service.defaults.data_dir
        if mode == "keep":
            keep_contributions(self.store, user.id, data_dir)
        else:
            self._tell_withdrawn(user, shared)
        erase(self.store, user.id, data_dir)
        return Outcome([Reply(text=self.t(user, "forget_done"), edit=True)], forgotten=True)

    def _tell_withdrawn(self, user: User, shared: dict[int, int]) -> None:
        """The other members of each shared community learn that entries were withdrawn."""
        members, outbox = Members(self.store), Outbox(self.store)
        for community_id in shared:
            community = self.store.community(user.id, community_id)
            for member in members.of(community_id):
                other = self.store.user(member.user_id)
                if other is None or other.id == user.id or community is None:
                    continue
                outbox.put(other.id, self.t(other, "forget_withdrawn_team",
                                            community=community.name))


def _size(content: bytes) -> str:
    if len(content) >= 1024 * 1024:
        return f"{len(content) / (1024 * 1024):.1f} MB"
    return f"{max(1, round(len(content) / 1024))} kB"


def cli_export(store: Store, catalog: Catalog, ref: str, fmt: Format,
               community: str | None, options: Options = EVERYTHING) -> tuple[str, bytes]:
    """`veldgids export`: find the user by Telegram id or console name, and the community by
    name; returns (suggested file name, content). Problems raise ExportError in one line."""
    user = store.user_by_telegram(int(ref)) if ref.lstrip("-").isdigit() else None
    user = user or store.user_by_console(ref)
    if user is None:
        raise ExportError(f"no user {ref!r} (give a Telegram id or a console name)")
    if options.start and options.end and options.end < options.start:
        raise ExportError(f"--to {options.end} comes before --from {options.start}")
    if options.start and options.start > store.clock().astimezone(zone_of(user)).date():
        raise ExportError(f"--from {options.start} is still to come: nothing is recorded yet")
    community_id = None
    if community is not None:
        mine = store.communities(user.id)
        match = [c for c in mine if c.name.casefold() == community.strip().casefold()]
        if not match:
            names = ", ".join(repr(c.name) for c in mine) or "none"
            raise ExportError(f"{ref} has no community {community!r} (theirs: {names})")
        community_id = match[0].id
    data = within(snapshot(store, user.id, community_id), options)
    return filename(data, fmt, community, options), render(data, catalog, fmt, options)
