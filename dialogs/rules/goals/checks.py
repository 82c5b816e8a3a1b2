"""Validators and computed values for the vision, SMART-goal and reminder dialogs.

They translate `dialogs.rules.goals.smart` results into the engine's terms: a cleaned string, a
`Rejected` with a text key, or a `Rejected` with `confirm_value` for unusual answers.
"Now" and the time zone come from the context (`ctx.values["now"]`, `ctx.values["tz"]`),
so this stays pure. `EXTENSION` is what the goals feature hands to the catalog.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs import validators
from dialogs.computed import Computed, computed
from dialogs.extension import Extension
from dialogs.rules.dates import day_month_year, month_name
from dialogs.rules.goals.clock import parse_clock_time, parse_timezone
from dialogs.rules.goals.smart import (
    MAX_MAGNITUDE,
    Invalid,
    Metric,
    SmartGoal,
    check_target,
    format_number,
    parse_metric,
    parse_number,
    smart_sentence,
)
from dialogs.rules.goals.when import parse_deadline, parse_weekday
from dialogs.state import Context
from dialogs.validators import Rejected

Data = dict[str, Any]
Checked = str | Rejected

# Typed answers that mean "nobody from the community was involved".
NOBODY = frozenset({
    "-", "—", "niemand", "nog niemand", "geen", "geen idee", "nee", "n.v.t.", "nvt", "ik",
    "alleen ik", "ik alleen", "mezelf", "ikzelf", "nobody", "no one", "noone", "none", "no",
    "n/a", "me", "just me", "only me", "myself", "not yet", "nobody yet",
})


def number_text(value: float) -> str:
    """A float as data text that reads back exactly: "12", "12.5"."""
    return str(int(value)) if value.is_integer() else repr(value)


def _params(invalid: Invalid, lang: str) -> dict[str, str]:
    """Invalid's parameters as display text: numbers and dates in the user's language."""
    out: dict[str, str] = {}
    for key, value in invalid.params.items():
        if isinstance(value, float):
            out[key] = format_number(value, lang)
        elif key == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            out[key] = day_month_year(date.fromisoformat(value), lang)
        elif key == "month" and isinstance(value, int) and 1 <= value <= 12:
            out[key] = month_name(value, lang)
        else:
            out[key] = str(value)
    return out


def rejected(invalid: Invalid, ctx: Context, confirm: str | None = None) -> Rejected:
    return Rejected(invalid.key, _params(invalid, ctx.lang),
                    confirm if invalid.needs_confirmation else None)


def _odd_number(value: float, ctx: Context) -> Rejected | None:
    """Negative or absurdly large: allowed, but asked about first."""
    shown = {"value": format_number(value, ctx.lang)}
    if value < 0:
        return Rejected("number_negative", shown, number_text(value))
    if abs(value) > MAX_MAGNITUDE:
        return Rejected("number_huge", shown, number_text(value))
    return None


def check_metric(value: str, _args: list[str], ctx: Context, _data: Data) -> Checked:
    parsed = parse_metric(value)
    if isinstance(parsed, Invalid):
        confirm = parsed.value.text if isinstance(parsed.value, Metric) else None
        return rejected(parsed, ctx, confirm)
    return parsed.text


def check_number(value: str, _args: list[str], ctx: Context, _data: Data) -> Checked:
    parsed = parse_number(value)
    if isinstance(parsed, Invalid):
        return rejected(parsed, ctx)
    return _odd_number(parsed, ctx) or number_text(parsed)


def check_target_value(value: str, _args: list[str], ctx: Context,
                       data: Data) -> Checked:
    parsed = parse_number(value)
    if isinstance(parsed, Invalid):
        return rejected(parsed, ctx)
    try:
        baseline = float(data.get("baseline", "nan"))
    except ValueError:
        baseline = float("nan")
    problem = None if math.isnan(baseline) else check_target(baseline, parsed)
    if problem is not None and problem.key == "target_equals_baseline":
        return rejected(problem, ctx)
    return _odd_number(parsed, ctx) or number_text(parsed)


def now_and_zone(ctx: Context) -> tuple[datetime, ZoneInfo]:
    now = datetime.fromisoformat(ctx.values.get("now") or "1970-01-01T00:00:00+00:00")
    try:
        zone = ZoneInfo(ctx.values.get("tz") or "Europe/Amsterdam")
    except (KeyError, ValueError):
        zone = ZoneInfo("Europe/Amsterdam")
    return (now if now.tzinfo else now.replace(tzinfo=UTC)), zone


def check_deadline(value: str, _args: list[str], ctx: Context, _data: Data) -> Checked:
    now, zone = now_and_zone(ctx)
    other = "en" if ctx.lang == "nl" else "nl"
    parsed = parse_deadline(value, now=now, tz=zone, languages=(ctx.lang, other))
    if isinstance(parsed, Invalid):
        confirm = parsed.value.isoformat() if isinstance(parsed.value, date) else None
        return rejected(parsed, ctx, confirm)
    return parsed.isoformat()


def check_clock(value: str, _args: list[str], ctx: Context, _data: Data) -> Checked:
    parsed = parse_clock_time(value)
    if isinstance(parsed, Invalid):
        return rejected(parsed, ctx)
    return parsed.strftime("%H:%M")


def check_zone(value: str, _args: list[str], ctx: Context, _data: Data) -> Checked:
    parsed = parse_timezone(value)
    if isinstance(parsed, Invalid):
        return rejected(parsed, ctx)
    return parsed.key


def check_weekday(value: str, _args: list[str], ctx: Context, _data: Data) -> Checked:
    parsed = parse_weekday(value)
    if isinstance(parsed, Invalid):
        return rejected(parsed, ctx)
    return str(parsed)


def check_named(value: str, _args: list[str], _ctx: Context, _data: Data) -> Checked:
    """Names of community members; "nobody" is allowed after a warning (saved as empty)."""
    if " ".join(value.lower().split()).strip(".!") in NOBODY:
        return Rejected("vision_nobody", {}, "")
    return value


def check_sentences(value: str, args: list[str], _ctx: Context,
                    _data: Data) -> Checked:
    """At most N sentences; more is allowed after a question, since a vision may need it."""
    limit = int(args[0])
    count = len([s for s in re.split(r"(?<=[.!?])\s+", value.strip()) if s.strip()])
    if count > limit:
        return Rejected("vision_long", {"count": str(count), "max": str(limit)}, value)
    return value


MAX_NEED = 200  # characters of one need a goal answers: a few words, one line under it


def check_need(value: str, _args: list[str], ctx: Context, _data: Data) -> Checked:
    """A need in her own words: a few words, not a note (a long text is kept as a note by
    the step, dialogs/kinds/several.py)."""
    if len(value) > MAX_NEED:
        return Rejected("need_too_long", {"max": str(MAX_NEED),
                                          "length": format_number(len(value), ctx.lang)})
    return value


NOW = ("now", "tz")  # context values the date checks read
VALIDATORS: dict[str, validators.Validator] = {
    "smart_metric": validators.Validator(0, check_metric),
    "smart_number": validators.Validator(0, check_number),
    "smart_target": validators.Validator(0, check_target_value),
    "smart_deadline": validators.Validator(0, check_deadline, frozenset(NOW)),
    "progress_value": validators.Validator(0, check_number),
    "clock_time": validators.Validator(0, check_clock),
    "timezone": validators.Validator(0, check_zone),
    "weekday": validators.Validator(0, check_weekday),
    "community_names": validators.Validator(0, check_named),
    "sentences": validators.Validator(1, check_sentences),
    "need": validators.Validator(0, check_need),
}
COMPUTED: dict[str, Computed] = {}


# --- computed values: `data` holds the dialog's answers over the context's values -------------


def _float(data: dict[str, Any], key: str) -> float | None:
    try:
        return float(data[key])
    except (KeyError, TypeError, ValueError):
        return None


@computed(COMPUTED, "smart_sentence", uses=("serves_*", "community"))
def sentence(data: dict[str, Any], lang: str) -> str:
    """The draft goal as one sentence, plus which part of the vision it serves."""
    baseline, target = _float(data, "baseline"), _float(data, "target")
    try:
        deadline = date.fromisoformat(str(data["deadline"]))
        specific, metric = str(data["specific"]), str(data["metric"])
    except (KeyError, ValueError):
        return "…"
    if baseline is None or target is None:
        return "…"
    # `relevant` is a vision part's id (tapped) or the librarian's own words (typed).
    serves = str(data.get(f"serves_{data.get('relevant')}") or "")
    goal = SmartGoal(specific=specific, metric=metric, baseline=baseline, target=target,
                     achievable=str(data.get("achievable") or ""),
                     relevant="" if serves else str(data.get("relevant") or ""),
                     deadline=deadline)
    community = str(data.get("community") or "")
    text = smart_sentence(goal, lang, "" if community == "—" else community)
    return f"{text} {serves}" if serves else text


@computed(COMPUTED, "needs_line", uses=("goal_needs_label",))
def needs_line(data: dict[str, Any], _lang: str) -> str:
    """Under the draft goal's sentence: "Antwoord op: Nederlands, kinderopvang" ("" without)."""
    needs = data.get("needs")
    if not isinstance(needs, list) or not needs:
        return ""
    return f"\n\n{data.get('goal_needs_label') or '…'}: {', '.join(map(str, needs))}"


@computed(COMPUTED, "baseline_shown")
def baseline_shown(data: dict[str, Any], lang: str) -> str:
    value = _float(data, "baseline")
    return format_number(value, lang) if value is not None else "…"


@computed(COMPUTED, "value_shown")
def value_shown(data: dict[str, Any], lang: str) -> str:
    value = _float(data, "value")
    return format_number(value, lang) if value is not None else "…"


@computed(COMPUTED, "picked_goal", uses=("goal_*",))
def picked_goal(data: dict[str, Any], _lang: str) -> str:
    """The name of the goal chosen earlier in the dialog (the context lists every goal)."""
    return str(data.get(f"goal_{data.get('goal')}_name") or "…")


@computed(COMPUTED, "picked_now", uses=("goal_*",))
def picked_now(data: dict[str, Any], _lang: str) -> str:
    return str(data.get(f"goal_{data.get('goal')}_now") or "…")


EXTENSION = Extension(validators=VALIDATORS, computed=COMPUTED)
