"""Parse and validate the parts of a SMART goal; read a goal back as one sentence.

Every parser returns the parsed value or an `Invalid` carrying a message key and
parameters; the bot turns keys into Dutch or English text. Pure: no I/O, no clock.
Deadlines and weekdays are read in dialogs/rules/goals/when.py, clock times and time zones
in dialogs/rules/goals/clock.py.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from dialogs.rules.dates import day_month_year

MAX_MAGNITUDE = 1_000_000
# Above this a float no longer holds every whole number, and sums and charts can overflow to
# inf: such a number is refused, not asked about.
MAX_NUMBER = 1e15
METRIC_MAX_CHARS = 120


class Invalid(BaseModel):
    """A validation problem: message key plus parameters, never text.

    `needs_confirmation` marks a warning the user may confirm; `value` is then the
    parsed value to use after a "yes".
    """

    model_config = ConfigDict(frozen=True)

    key: str
    params: dict[str, str | int | float] = {}
    needs_confirmation: bool = False
    value: Any = None


class Metric(BaseModel):
    """What is measured, including its unit, e.g. "bezoekers per maand"."""

    model_config = ConfigDict(frozen=True)

    text: str


class SmartGoal(BaseModel):
    """One SMART sub-goal as entered in phase 5."""

    specific: str  # what the library does, for whom: "een taalcafé organiseren voor nieuwkomers"
    metric: str  # with unit: "aantal deelnemers per week"
    baseline: float
    target: float
    achievable: str  # who does it, with what: "vrijwilligers van de taalschool"
    relevant: str  # the part of the vision it serves, as a clause after "zodat"/"so that"
    deadline: date


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


# --- numbers -------------------------------------------------------------------

_MULTIPLIERS = {"k": 1e3, "duizend": 1e3, "thousand": 1e3, "mln": 1e6, "miljoen": 1e6,
                "million": 1e6}
_NUM_PREFIX = re.compile(r"^(?:ca\.?|circa|ongeveer|about|around|approx\.?|±|~|€|\$)\s*")
_NUM = re.compile(
    r"^(?P<sign>[-+−]?)\s*(?P<int>\d{1,3}(?:(?P<sep>[. ])\d{3})(?:(?P=sep)\d{3})*|\d+)"
    r"(?:[.,](?P<frac>\d+))?$"
)


def parse_number(text: str) -> float | Invalid:
    """Parse "12", "12,5", "1.000", "1 000", "-3", "12 deelnemers"; Dutch style wins."""
    s = _NUM_PREFIX.sub("", _clean(text).lower()).rstrip("%").strip()
    factor = 1.0
    words = re.match(r"^([-+−]?[\d., ]*\d)(\s*)([^\W\d_][^\d]*)$", s)
    if words:  # "12 deelnemers", "1,5 miljoen": a number followed by words without digits
        unit = words.group(3).split()[0]
        factor = _MULTIPLIERS.get(unit, 1.0)
        if unit in _MULTIPLIERS or words.group(2):  # but not "12abc"
            s = words.group(1)
    if re.fullmatch(r"[-+−]?[1-9]\d{0,2},\d{3}", s):
        # "1,000": English thousands or Dutch 1.0? Refuse to guess.
        return Invalid(key="number_ambiguous", params={"text": s})
    m = _NUM.match(s)
    if not m:
        return Invalid(key="not_a_number", params={"text": _clean(text)})
    # A dot or space followed by exactly three digits groups thousands ("1.000");
    # otherwise a dot or comma is the decimal separator ("12,5", "1.5").
    digits = m.group("int").replace(".", "").replace(" ", "")
    frac = m.group("frac")
    value = float(f"{digits}.{frac}" if frac else digits) * factor
    if not math.isfinite(value) or value > MAX_NUMBER:  # 10^309 reads as inf
        return Invalid(key="number_too_big")
    return -value if m.group("sign") in ("-", "−") else value


def format_number(value: float, lang: str) -> str:
    """Format for display: "1.000" and "12,5" in Dutch, "1,000" and "12.5" in English."""
    rounded = round(value, 2)
    text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


# --- metric and target ---------------------------------------------------------


def parse_metric(text: str) -> Metric | Invalid:
    """Check a metric description such as "aantal deelnemers" or "bezoekers per maand"."""
    s = _clean(text).rstrip(".").strip()
    if not s:
        return Invalid(key="metric_empty")
    if not re.search(r"[^\W\d_]", s):
        key = "metric_is_number" if re.search(r"\d", s) else "metric_empty"
        return Invalid(key=key)
    if len(s) > METRIC_MAX_CHARS:
        return Invalid(key="metric_too_long", params={"max": METRIC_MAX_CHARS})
    lead = re.match(r"^[-+−]?\d[\d.,]*\s+(.+)$", s)
    if lead:  # "12 deelnemers": probably a value, not what to count
        return Invalid(
            key="metric_starts_with_number",
            params={"metric": s, "suggestion": lead.group(1)},
            needs_confirmation=True,
            value=Metric(text=s),
        )
    return Metric(text=s)


def check_target(baseline: float, target: float) -> Invalid | None:
    """Hard error if target equals baseline; confirmable warning for odd numbers."""
    if not (math.isfinite(baseline) and math.isfinite(target)):
        return Invalid(key="not_a_number")
    if target == baseline:
        return Invalid(key="target_equals_baseline", params={"value": target})
    for value in (baseline, target):
        if value < 0:
            return Invalid(key="number_negative", params={"value": value}, needs_confirmation=True)
    for value in (baseline, target):
        if abs(value) > MAX_MAGNITUDE:
            return Invalid(key="number_huge", params={"value": value}, needs_confirmation=True)
    return None


# --- reading a goal back -------------------------------------------------------

_NEUTER_NL = ("aantal", "percentage", "aandeel", "gemiddelde", "totaal", "cijfer", "bereik")
_THE_EN = ("number", "percentage", "share", "average", "total", "score", "reach")


_COUNTED = ("het aantal ", "aantal ", "the number of ", "number of ")


def counted_words(metric: str) -> str:
    """What a goal's values count, "aantal" left off: "aantal verschillende deelnemers" →
    "verschillende deelnemers", "number of library cards" → "library cards"."""
    words = _clean(metric).rstrip(".").strip()
    for lead in _COUNTED:
        if words.lower().startswith(lead):
            return words[len(lead):].strip()
    return words


def _strip_lead(text: str, *leads: str) -> str:
    """Tidy a free-text field and drop a lead-in the template already says ("zodat")."""
    s = _clean(text).rstrip(".").strip()
    for lead in leads:
        if s.lower().startswith(lead + " "):
            return s[len(lead) + 1 :]
    return s


def smart_sentence(goal: SmartGoal, lang: str, community: str = "") -> str:
    """The goal as one sentence in Dutch ("nl") or English (anything else): a goal *of*
    the community (named), together with the library.

    `specific` may be what they will do ("een taalcafé organiseren voor nieuwkomers") or
    what they want ("een wekelijks taalcafé"): both follow "willen"/"want to" (a leading
    article is put in lower case). Who does it goes in brackets, so any wording fits;
    `relevant` is a clause that follows "zodat"/"so that".
    """
    return _sentence_nl(goal, community) if lang == "nl" else _sentence_en(goal, community)


# A capital here only starts the sentence the librarian typed; mid-sentence it goes.
# (A phone capitalises the first word of every answer, so these would otherwise show up as
# "samen Organiseren", "het Aantal", "zodat Nieuwkomers".)
_LOWER_NL = frozenset({"een", "de", "het", "elke", "iedere", "ieder", "alle", "meer", "minder",
                       "samen", "wekelijks", "maandelijks", "dagelijks", "jaarlijks",
                       *_NEUTER_NL, "organiseren", "opzetten", "starten", "houden", "bieden",
                       "twee", "drie", "vier", "vijf", "vrijwilligers", "deelnemers",
                       "bezoekers", "ouders", "nieuwkomers", "mensen", "we", "wij", "ons",
                       "onze", "iedereen", "ze", "zij", "ambassadeurs"})
_LOWER_EN = frozenset({"a", "an", "the", "every", "each", "all", "more", "fewer", "less",
                       "weekly", "monthly", "daily", "yearly", "run", "start", "organise",
                       "organize", "hold", "set", "help", *_THE_EN, "two", "three", "four",
                       "five", "volunteers", "participants", "visitors", "parents",
                       "newcomers", "people", "we", "our", "everyone", "they",
                       "ambassadors"})


def _inside(text: str, lower: frozenset[str]) -> str:
    """Text typed as a sentence of its own, fitted into ours: a leading common word in
    lower case (names and "iPad" stay as they are)."""
    first, _, rest = text.partition(" ")
    if first.lower() in lower and first[:1].isupper() and first[1:] == first[1:].lower():
        return first.lower() + (f" {rest}" if rest else "")
    return text


def _closed(text: str) -> str:
    """Typed words as a sentence of their own, after our label: closed with a full stop."""
    return text if text[-1:] in ".!?…" else text + "."


def _sentence_nl(goal: SmartGoal, community: str) -> str:
    who = _inside(_strip_lead(goal.achievable, "samen met", "met"), _LOWER_NL)
    what = _inside(_strip_lead(goal.specific), _LOWER_NL)
    why = _inside(_strip_lead(goal.relevant, "zodat"), _LOWER_NL)
    metric = _inside(_strip_lead(goal.metric), _LOWER_NL)
    if metric.split(" ", 1)[0].lower() in _NEUTER_NL:
        metric = f"het {metric}"
    b, t = format_number(goal.baseline, "nl"), format_number(goal.target, "nl")
    verb = "verhogen" if goal.target > goal.baseline else "verlagen"
    change = f"{metric} {verb} van {b} naar {t}"
    if goal.target == goal.baseline:
        change = f"{metric} op {t} houden"
    subject = f"{community} en de bibliotheek" if community else "de community en de bibliotheek"
    text = f"Uiterlijk {day_month_year(goal.deadline, 'nl')} willen {subject} samen"
    text += f" {what}, en daarmee {change}" if what else f" {change}"
    text += f", zodat {why}." if why else "."
    return text + (f" Wie en waarmee: {_closed(who)}" if who else "")


def _sentence_en(goal: SmartGoal, community: str) -> str:
    who = _inside(_strip_lead(goal.achievable, "together with", "with"), _LOWER_EN)
    what = _inside(_strip_lead(goal.specific, "to"), _LOWER_EN)
    why = _inside(_strip_lead(goal.relevant, "so that"), _LOWER_EN)
    metric = _inside(_strip_lead(goal.metric), _LOWER_EN)
    if metric.split(" ", 1)[0].lower() in _THE_EN:
        metric = f"the {metric}"
    b, t = format_number(goal.baseline, "en"), format_number(goal.target, "en")
    verb = "increase" if goal.target > goal.baseline else "reduce"
    change = f"{verb} {metric} from {b} to {t}"
    if goal.target == goal.baseline:
        change = f"keep {metric} at {t}"
    subject = f"{community} and the library" if community else "the community and the library"
    text = f"By {day_month_year(goal.deadline, 'en')}, {subject} together want to"
    text += f" {what}, and so {change}" if what else f" {change}"
    text += f", so that {why}." if why else "."
    return text + (f" Who and with what: {_closed(who)}" if who else "")
