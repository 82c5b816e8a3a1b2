"""Driving dialogs through the engine in kind tests, and small catalogs to drive."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.app.registry import load_catalog
from dialogs import engine
from dialogs.catalog import DEFINITIONS, Catalog
from dialogs.kinds import KINDS, Kinds
from dialogs.state import Begin, Context, DialogState, Press, Say

VALUES = {"community": "Taalcafé", "person": "Fatima"}


class Walk:
    """Drive one dialog through the engine, carrying state and rev like the service does."""

    def __init__(self, catalog: Catalog, dialog: str, **ctx: object) -> None:
        self.catalog = catalog
        self.extra = ctx
        self.rev = 0
        self.state: DialogState | None = None
        self.shown: list = []
        first = ctx.pop("step", None)
        self.result = self.go(Begin(dialog=dialog, data=dict(ctx.pop("data", {})),  # type: ignore[call-overload]
                                    step=first))

    def ctx(self) -> Context:
        base: dict[str, object] = {"lang": "nl", "rev": self.rev, "values": VALUES}
        base.update(self.extra)
        return Context.model_validate(base)

    def go(self, event: object) -> engine.Result:
        result = engine.step(self.catalog, self.state, event, self.ctx())  # type: ignore[arg-type]
        self.state, self.rev, self.result = result.state, result.rev, result
        if result.replies:
            self.shown = result.replies
        return result

    def press(self, label: str) -> engine.Result:
        for reply in reversed(self.shown):
            for row in reply.buttons:
                for button in row:
                    if label in button.label:
                        return self.go(Press(data=button.data))
        raise AssertionError(f"no {label!r} in {[r.text for r in self.result.replies]}")

    def say(self, text: str) -> engine.Result:
        return self.go(Say(text=text))

    def text(self) -> str:
        return "\n".join(r.text for r in self.result.replies)

    def effects(self, name: str) -> list[dict[str, object]]:
        return [e.data for e in self.result.effects if e.name == name]


def small_catalog(folder: Path, definitions: dict[str, str], kinds: Kinds = KINDS) -> Catalog:
    """The shipped texts plus the given dialog files (`name` -> YAML), loaded with `kinds`."""
    folder.mkdir(exist_ok=True)
    for texts in DEFINITIONS.rglob("texts*.yaml"):
        shutil.copy(texts, folder / texts.name)
    for name, text in definitions.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return load_catalog(folder, kinds)
