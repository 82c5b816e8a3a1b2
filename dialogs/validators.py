"""Validators for typed answers: each either returns the cleaned value or a reason key.

A spec in a definition file is a name with optional arguments: `nonempty`,
`max_length:200`, `int_range:1:5`. Reason keys are translated through the text catalog.
A check sees the engine context (language, `now`, time zone values) and the data collected
so far in the dialog, so it can compare with an earlier answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dialogs.state import Context


@dataclass(frozen=True)
class Rejected:
    """Input refused with a reason the user sees (`key` in texts, `params` for its placeholders).

    With `confirm_value`, the input is unusual rather than wrong: the user is asked to confirm,
    and on "yes" `confirm_value` is accepted as the answer.
    """

    key: str
    params: dict[str, str]
    confirm_value: str | None = None


Check = Callable[[str, list[str], Context, dict[str, Any]], "str | Rejected"]


# Letters that show as nothing (Hangul fillers, the Braille blank): favourites for blank names.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible(text: str) -> bool:
    """Whether the text shows anything: a letter, digit, punctuation mark or symbol. Spaces,
    zero-width and other format characters, lone combining marks and blank letters don't."""
    return any(unicodedata.category(c)[0] not in "CZM" and c not in _BLANK for c in text)


def _nonempty(value: str, _args: list[str], _ctx: Context, _data: dict[str, Any]) -> str | Rejected:
    """Every typed answer (every name among them) must show something: an invisible one would
    be a blank button or line."""
    cleaned = value.strip()
    if not cleaned:
        return Rejected("invalid_empty", {})
    return cleaned if visible(cleaned) else Rejected("invalid_invisible", {})


def _max_length(
    value: str, args: list[str], _ctx: Context, _data: dict[str, Any]
) -> str | Rejected:
    limit = int(args[0])
    if len(value) > limit:
        return Rejected("invalid_too_long", {"max": str(limit), "length": str(len(value))})
    return value


def _int_range(value: str, args: list[str], _ctx: Context, _data: dict[str, Any]) -> str | Rejected:
    low, high = int(args[0]), int(args[1])
    try:
        number = int(value.strip())
    except ValueError:
        return Rejected("invalid_range", {"min": str(low), "max": str(high)})
    if not low <= number <= high:
        return Rejected("invalid_range", {"min": str(low), "max": str(high)})
    return str(number)


def _one_line(value: str, _args: list[str], _ctx: Context, _data: dict[str, Any]) -> str | Rejected:
    return " ".join(value.split())


LONE_NUMBER = re.compile(r"\d{1,3}[.)]?")


def _words(value: str, _args: list[str], _ctx: Context, _data: dict[str, Any]) -> str | Rejected:
    """An answer in words: a lone number is more likely a button's number typed (the console
    numbers them) than the answer, so it is asked about before it is kept."""
    typed = value.strip()
    if LONE_NUMBER.fullmatch(typed):
        return Rejected("invalid_lone_number", {"text": typed}, confirm_value=typed)
    return value


@dataclass(frozen=True)
class Validator:
    """A check and how many arguments its spec takes; `uses` names the context values it
    reads (e.g. `now`), so a step that validates with it asks the application for them."""

    arity: int
    check: Check
    uses: frozenset[str] = frozenset()


Registry = Mapping[str, Validator]

# The core's own; features add theirs through an Extension passed to the catalog.
CORE: dict[str, Validator] = {
    "nonempty": Validator(0, _nonempty),
    "max_length": Validator(1, _max_length),
    "int_range": Validator(2, _int_range),
    "one_line": Validator(0, _one_line),
    "words": Validator(0, _words),
}


def parse_spec(spec: str, registry: Registry = CORE) -> tuple[str, list[str]]:
    name, *args = spec.split(":")
    if name not in registry:
        raise ValueError(f"unknown validator {name!r}")
    arity = registry[name].arity
    if len(args) != arity:
        raise ValueError(f"validator {name!r} takes {arity} argument(s), got {spec!r}")
    if name in ("max_length", "int_range") and not all(a.lstrip("-").isdigit() for a in args):
        raise ValueError(f"validator {spec!r} needs whole numbers")
    return name, args


def run(
    specs: list[str], value: str, ctx: Context | None = None, data: dict[str, Any] | None = None,
    registry: Registry = CORE,
) -> str | Rejected:
    """Apply validators in order; the first rejection wins."""
    current = value
    for spec in specs:
        name, args = parse_spec(spec, registry)
        result = registry[name].check(current, args, ctx or Context(), data or {})
        if isinstance(result, Rejected):
            return result
        current = result
    return current
