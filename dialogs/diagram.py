"""Mermaid state diagrams of dialog definitions."""

from __future__ import annotations

from dialogs.model import Dialog


def mermaid(dialog: Dialog, lang: str = "nl") -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {dialog.start}"]
    for sid, step in dialog.steps.items():
        lines.append(f"    {sid}: {sid} ({step.kind})")
        for route in step.next:
            lines.append(_edge(sid, route.to, route.when))
        for option in step.options:
            for route in option.next:
                lines.append(_edge(sid, route.to, route.when, option.label.get(lang)))
        for item in step.items:
            if item.ask:
                lines.append(_edge(sid, item.ask, None, item.label.get(lang)))
        if step.kind == "end":
            lines.append(f"    {sid} --> [*]")
    return "\n".join(lines) + "\n"


def _edge(source: str, target: str, when: str | None, label: str | None = None) -> str:
    name = target[1:] + "_dialog" if target.startswith("@") else target
    if target.startswith("/"):
        name = "command_" + target[1:].split(" ", 1)[0]
    parts = [p for p in (label, f"[{when}]" if when else None) if p]
    text = " ".join(parts).replace(":", " ")
    return f"    {source} --> {name}" + (f": {text}" if text else "")
