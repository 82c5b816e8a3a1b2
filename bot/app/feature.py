"""One interface for features: a class whose methods are marked with what they contribute.

    class Talk(Feature):
        @command("talk")
        def cmd_talk(self, turn: Turn) -> Outcome: ...

        @provides(facts=("has_people",), choices=("people",))
        def people(self, ask: Ask) -> dict[str, Any]: ...

The marks are read from the class, so the names a feature provides are known without a
database (`veldgids validate-dialogs` checks definitions against them). The service builds
each feature once and merges the contributions, refusing any name given twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from bot.app.ask import Ask
from bot.app.commands import Command, Menu
from bot.app.host import Host
from bot.app.messenger import Messenger
from dialogs.extension import Extension
from dialogs.needs import Names

__all__ = ["Ask", "Every", "Feature", "Job", "Provides", "command", "declared", "effect",
           "gate", "greeting", "job", "leaving", "listed", "media", "menu_of", "noted", "press",
           "provides", "reply", "slot", "startup"]

F = TypeVar("F", bound=Callable[..., Any])
MARK = "__veldgids__"

# Slots only one feature may fill: what to do with text or other input outside a dialog, an
# edited message, and whether a Telegram user's updates may be kept at all.
SLOTS = frozenset({"idle_text", "idle_other", "edit", "admitted", "unknown_command"})


@dataclass(frozen=True)
class Provides:
    """What a provider method yields: a dict with these keys (families by prefix)."""

    facts: frozenset[str] = frozenset()
    values: frozenset[str] = frozenset()
    choices: frozenset[str] = frozenset()
    ticks: bool = False


@dataclass(frozen=True)
class Every:
    """A repeating job: `interval` seconds, or the name of a `Defaults` field holding them."""

    name: str
    interval: float | str
    first: float | None = None
    overlap: int = 1  # how many runs may overlap (a run that finds work in hand returns)


@dataclass(frozen=True)
class Job:
    name: str
    interval: float
    first: float
    overlap: int
    run: Callable[[Messenger], Awaitable[None]]


def _mark(kind: str, key: object) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        marks = list(getattr(fn, MARK, ()))
        marks.append((kind, key))
        setattr(fn, MARK, marks)
        return fn
    return decorate


def command(name: str, *, aliases: tuple[str, ...] = (), group: str | None = None,
            order: int = 0) -> Callable[[F], F]:
    """Handles `/name` and its `aliases` (the first is how a Dutch librarian sees it); a
    command with a `group` stands in /help and the command menu under that heading, at
    `order` within it (bot/app/commands.py)."""
    return _mark("command", Command(name, aliases, group, order))


def effect(name: str) -> Callable[[F], F]:
    """Records a dialog effect of that name: (user, data) -> extra replies or None."""
    return _mark("effect", name)


def press(prefix: str) -> Callable[[F], F]:
    """Handles buttons whose data is `prefix:payload`, outside the dialogs."""
    return _mark("press", prefix)


def provides(*, facts: tuple[str, ...] = (), values: tuple[str, ...] = (),
             choices: tuple[str, ...] = (), ticks: bool = False) -> Callable[[F], F]:
    """Fills these context names when a step needs one of them: (ask) -> dict."""
    return _mark("provides", Provides(frozenset(facts), frozenset(values), frozenset(choices),
                                      ticks))


def job(name: str, interval: float | str, *, first: float | None = None,
        overlap: int = 1) -> Callable[[F], F]:
    """An async method run every `interval` seconds by the bot: (messenger) -> None, the
    messenger (bot/app/messenger.py) being what it sends unasked through."""
    return _mark("job", Every(name, interval, first, overlap))


def gate(fn: F) -> F:
    """Runs before a user is loaded or created; an Outcome answers and stores nothing."""
    return _mark("gate", None)(fn)


def media(fn: F) -> F:
    """Media during a dialog step: (turn) -> Outcome, or None to leave it to the step."""
    return _mark("media", None)(fn)


def reply(fn: F) -> F:
    """Text sent as a reply to one of the bot's messages: (turn) -> Outcome, or None to
    handle it as any other text."""
    return _mark("reply", None)(fn)


def greeting(fn: F) -> F:
    """Lines above /start's welcome: (turn) -> list of replies."""
    return _mark("greeting", None)(fn)


def leaving(fn: F) -> F:
    """A command arrived while a dialog is active: (turn) -> replies to say above the
    command's answer; it may first keep what the dialog holds (nothing typed is lost)."""
    return _mark("leaving", None)(fn)


def listed(fn: F) -> F:
    """Records to list under checklist items: (ask) -> {"p6.reach": [line, ...]}."""
    return _mark("listed", None)(fn)


def noted(fn: F) -> F:
    """A note was kept: (user, note id, text) -> replies to add to what the note's answer
    says (an "actie:" note becomes an action, say)."""
    return _mark("noted", None)(fn)


def startup(fn: F) -> F:
    """Runs once when `veldgids run` has connected to Telegram."""
    return _mark("startup", None)(fn)


def slot(name: str) -> Callable[[F], F]:
    """Fills one of SLOTS; two features filling the same slot is an error."""
    if name not in SLOTS:
        raise ValueError(f"unknown slot {name!r}")
    return _mark("slot", name)


class Feature:
    """Base class. `extensions` hands the catalog the validators and computed values the
    feature's dialogs use."""

    name: ClassVar[str] = ""
    extensions: ClassVar[tuple[Extension, ...]] = ()
    # Its slots are defaults another feature may take over (the core's).
    default_slots: ClassVar[bool] = False

    def __init__(self, service: Host) -> None:
        self.service = service

    @classmethod
    def marks(cls) -> Iterator[tuple[str, object, str]]:
        """(kind, key, method name) for every marked method, in definition order."""
        seen: set[str] = set()
        for klass in cls.__mro__:
            for attr, value in vars(klass).items():
                if attr in seen:
                    continue
                seen.add(attr)
                for kind, key in getattr(value, MARK, ()):
                    yield kind, key, attr

    @classmethod
    def names(cls) -> Names:
        facts: set[str] = set()
        values: set[str] = set()
        choices: set[str] = set()
        effects: set[str] = set()
        commands: set[str] = set()
        for kind, key, _ in cls.marks():
            if kind == "effect":
                effects.add(str(key))
            elif kind == "command":
                assert isinstance(key, Command)
                commands.add(key.name)
            elif kind == "provides":
                assert isinstance(key, Provides)
                facts |= key.facts
                values |= key.values
                choices |= key.choices
        return Names(frozenset(facts), frozenset(values), frozenset(choices),
                     frozenset(effects), frozenset(commands))


def menu_of(features: Iterable[type[Feature]]) -> Menu:
    """The commands the given features declare, as /help and the command menu list them."""
    return Menu(key for feature in features for kind, key, _ in feature.marks()
                if kind == "command" and isinstance(key, Command))


def declared(features: tuple[type[Feature], ...]) -> Names:
    """Everything the given features provide, for loading and validating definitions."""
    out = Names()
    for feature in features:
        names = feature.names()
        out = Names(out.facts | names.facts, out.values | names.values,
                    out.choices | names.choices, out.effects | names.effects,
                    out.commands | names.commands)
    return out
