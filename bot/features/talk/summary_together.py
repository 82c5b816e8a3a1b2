"""The community summary's phase 6 sections: outcomes (with their files) and the actions
done, each with the day it was done. Sections with nothing in them are left out."""

from __future__ import annotations

from datetime import datetime

from bot.app.host import Host
from dialogs.rules.dates import short_date
from storage.actions import ActionRepo
from storage.attachments import AttachmentRepo
from storage.collaboration import CollaborationRepo
from storage.store import User


def sections(service: Host, user: User, community_id: int, lang: str,
             zone: object) -> list[str]:
    return [*outcome_blocks(service, user, community_id),
            *done_blocks(service, user, community_id, lang, zone)]


def outcome_blocks(service: Host, user: User, community_id: int) -> list[str]:
    t = service.t
    store = service.store
    files = AttachmentRepo(store)
    blocks = []
    outcomes = CollaborationRepo(store).outcomes(user.id, community_id)
    if outcomes:
        rows = []
        for o in outcomes:
            kept = files.files(user.id, "outcome", o.id)
            names = [f"📎 {f.name}" if f.name else "📷" for f in kept]
            row = f"• {t(user, f'outcome_{o.kind}').capitalize()}: {o.text}"
            rows.append(row + (f" ({', '.join(names)})" if names else ""))
        blocks.append(t(user, "summary_outcomes", count=len(rows)) + ":\n" + "\n".join(rows))
    return blocks


def done_blocks(service: Host, user: User, community_id: int, lang: str,
                zone: object) -> list[str]:
    t = service.t
    blocks = []
    done = [a for a in ActionRepo(service.store).all(user.id, community_id) if a.done_at]
    if done:
        done.sort(key=lambda a: a.done_at or "")
        rows = [f"• {a.what}" + (f" ({a.who})" if a.who else "") + " — "
                + t(user, "summary_done_on", date=short_date(
                    datetime.fromisoformat(a.done_at or ""), zone, lang))  # type: ignore[arg-type]
                for a in done]
        blocks.append(t(user, "summary_done_actions", count=len(rows)) + ":\n"
                      + "\n".join(rows))
    return blocks
