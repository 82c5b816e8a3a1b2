"""The librarian's rights: /export (Markdown, Word, CSV, JSON), /mydata and /forget.

Buttons here are not dialog steps: they carry "ex:..." or "fg:..." and every press is
checked against the presser's own data, so a forged or old button never reaches anyone
else's rows. A /forget confirmation is valid for a day and only for the account it was
shown to.
"""

from __future__ import annotations

from datetime import timedelta

from bot.app.events import Outcome, Turn
from bot.app.feature import Feature, command, press
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.features.export.files import FORMATS, Format, filename, render
from bot.features.export.job import export_file
from bot.ops import offload
from dialogs import paging
from dialogs.catalog import Catalog
from dialogs.replies import Attachment, Button, Reply, label
from storage.export import TECHNICAL, ExportError, everything, snapshot
from storage.leaving import keep_contributions, withdrawn
from storage.membership import Members
from storage.privacy import counts, erase, user_dir
from storage.store import Store, User
from storage.team import Outbox

EXPORT, FORGET = "ex", "fg"
# Telegram bots may upload documents of at most 50 MB.
MAX_UPLOAD = 50 * 1024 * 1024
FORGET_VALID = timedelta(days=1)
FORMAT_LABELS = {"md": "📝 Markdown (.md)", "docx": "📄 Word (.docx)", "csv": "📊 CSV (Excel)",
                 "json": "🧩 JSON"}
# Asked in this order: Word first, as most librarians read and share a report that way.
ASKED: tuple[Format, ...] = ("docx", "md", "csv", "json")


def user_ref(user: User) -> str:
    """How `veldgids export --user` finds this user."""
    return str(user.telegram_id) if user.telegram_id is not None else (user.console_name or "")


class Rights(Feature):
    name = "rights"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.store = service.store

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    # /export
    @command("export", group="data", order=1)
    def export(self, turn: Turn) -> Outcome:
        user = turn.user
        if not self.store.communities(user.id):
            reply = self._formats(user, "all", edit=False)
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

    def _formats(self, user: User, scope: str, *, edit: bool) -> Reply:
        rows = [[Button(label=FORMAT_LABELS[f], data=f"{EXPORT}:f:{scope}:{f}")]
                for f in ASKED]
        return Reply(text=self.t(user, "export_ask_format"), buttons=rows, edit=edit)

    @press(EXPORT)
    def press_export(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        parts = payload.split(":")
        if parts[0] == "pg" and len(parts) == 2 and (number := parse_id(parts[1])) is not None:
            return Outcome([self._what(user, number, edit=True)])
        scope = parts[1] if len(parts) > 1 else ""
        community_id = parse_id(scope)
        valid = scope == "all" or (community_id is not None
                                   and self.store.community(user.id, community_id) is not None)
        if not valid:
            # A forged id or a community that is gone: say so, show nothing of anyone's.
            return Outcome([Reply(text=self.t(user, "export_not_found"))],
                           notice=self.t(user, "stale_button"))
        if parts[0] == "s" and len(parts) == 2:
            return Outcome([self._formats(user, scope, edit=True)])
        if parts[0] == "f" and len(parts) == 3 and parts[2] in FORMATS:
            fmt: Format = parts[2]  # type: ignore[assignment]
            return self.send_export(user, community_id, fmt)
        return Outcome(notice=self.t(user, "stale_button"))

    def send_export(self, user: User, community_id: int | None, fmt: Format) -> Outcome:
        """The file, read and rendered in the heavy-work process (`bot/features/export/job.py`): a
        Word export of thousands of notes takes seconds, and reading them alone held up
        other librarians' replies. It holds what was stored when the librarian asked."""
        catalog, path, asked_at = self.service.catalog, str(self.store.path), self.store.clock()

        def make() -> Reply:
            try:
                name, content = offload.call(export_file, path, user.id, community_id, catalog,
                                             fmt, asked_at)
            except ExportError:  # the community was deleted meanwhile
                return Reply(text=self.t(user, "export_not_found"))
            return self._document(user, name, content, "export_ready", fmt)

        return Outcome([Reply(text="", later=make)])

    def _document(self, user: User, name: str, content: bytes, key: str, fmt: str) -> Reply:
        size = _size(content)
        if len(content) > MAX_UPLOAD:
            command = f"veldgids export --user {user_ref(user)} --format {fmt}"
            return Reply(text=self.t(user, "export_too_big", size=size, command=command))
        text = self.t(user, key, size=size)
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
               community: str | None) -> tuple[str, bytes]:
    """`veldgids export`: find the user by Telegram id or console name, and the community by
    name; returns (suggested file name, content). Problems raise ExportError in one line."""
    user = store.user_by_telegram(int(ref)) if ref.lstrip("-").isdigit() else None
    user = user or store.user_by_console(ref)
    if user is None:
        raise ExportError(f"no user {ref!r} (give a Telegram id or a console name)")
    community_id = None
    if community is not None:
        mine = store.communities(user.id)
        match = [c for c in mine if c.name.casefold() == community.strip().casefold()]
        if not match:
            names = ", ".join(repr(c.name) for c in mine) or "none"
            raise ExportError(f"{ref} has no community {community!r} (theirs: {names})")
        community_id = match[0].id
    data = snapshot(store, user.id, community_id)
    return filename(data, fmt, community), render(data, catalog, fmt)
