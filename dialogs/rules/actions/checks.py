"""The validator the action dialogs use: a due date typed naturally, today allowed."""

from __future__ import annotations

from typing import Any

from dialogs import validators
from dialogs.extension import Extension
from dialogs.rules.actions.reading import parse_due
from dialogs.rules.goals.checks import NOW, now_and_zone, rejected
from dialogs.rules.goals.smart import Invalid
from dialogs.state import Context
from dialogs.validators import Rejected

NO_DATE = "-"  # the "no date" button


def check_due(value: str, _args: list[str], ctx: Context, _data: dict[str, Any]) -> str | Rejected:
    if value.strip() == NO_DATE:
        return NO_DATE
    now, zone = now_and_zone(ctx)
    parsed = parse_due(value, now=now, tz=zone)
    if isinstance(parsed, Invalid):
        return rejected(parsed, ctx)
    return parsed.isoformat()


EXTENSION = Extension(validators={"due_date": validators.Validator(0, check_due, frozenset(NOW))})
