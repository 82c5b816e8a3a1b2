"""Loading dialog definition files and the shared texts, with the cross-file checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from dialogs import validators
from dialogs.computed import Computed
from dialogs.extension import Extension
from dialogs.kinds import KINDS, Kinds
from dialogs.model import DefinitionError, Dialog, Text
from dialogs.needs import Names, Needs, NeedsIndex, unknown_names

DEFINITIONS = Path(__file__).parent / "definitions"
T = TypeVar("T")
TEXTS_FILE = "texts.yaml"  # plus texts_<feature>.yaml, merged; a key may appear only once

# Texts the engine itself needs, besides those the dialogs define.
ENGINE_TEXTS = frozenset(
    {
        "stale_button",
        "expects_text",
        "choose_button",
        "kept_as_note",
        "current_value",
        "skip",
        "tick_hint",
        "invalid_empty",
        "invalid_too_long",
        "invalid_range",
        "confirm_yes",
        "confirm_no",
        # entries steps
        "entries_added",
        "entries_changed",
        "entries_removed",
        "entries_kept",
        "entries_retype",
        "entries_edit",
        "entries_remove",
        "entries_back",
        "entries_keep",
        "entries_done",
    }
)


# libyaml's parser when PyYAML has it: ten times faster, which is most of the start-up.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc]
    """YAML loader that refuses a key given twice (two steps with one id, say)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            raise DefinitionError(f"line {key_node.start_mark.line + 1}: {key!r} is defined twice")
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path.name}: not valid YAML: {exc}") from exc
    except DefinitionError as exc:
        raise DefinitionError(f"{path.name}: {exc}") from exc


def _pydantic_problem(path: Path, exc: ValidationError) -> DefinitionError:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        lines.append(f"{where}: {err['msg']}" if where else err["msg"])
    return DefinitionError(f"{path.name}: " + "; ".join(lines))


@dataclass(frozen=True)
class Catalog:
    dialogs: dict[str, Dialog]
    texts: dict[str, Text]
    names: Names = Names()
    validators: Mapping[str, validators.Validator] = field(
        default_factory=lambda: dict(validators.CORE))
    computed: Mapping[str, Computed] = field(default_factory=dict)
    # The step kinds the dialogs were checked against; the engine runs each step by its kind.
    kinds: Kinds = field(default_factory=lambda: KINDS)

    def text(self, key: str, lang: str, **params: object) -> str:
        template = self.texts[key].get(lang)
        return template.format(**params) if params else template

    def counted(self, key: str, lang: str, count: int, **params: object) -> str:
        """`key` with `{count}` filled in, or its singular `key_one` when count is 1, so
        a count agrees with its noun ("1 notitie", "2 notities")."""
        singular = f"{key}_one"
        chosen = singular if count == 1 and singular in self.texts else key
        return self.text(chosen, lang, count=count, **params)

    def dialog(self, dialog_id: str) -> Dialog:
        return self.dialogs[dialog_id]

    @cached_property
    def checklists(self) -> dict[str, frozenset[str]]:
        """Every checklist's item ids (a checklist may be spread over several steps)."""
        out: dict[str, set[str]] = {}
        for dialog in self.dialogs.values():
            for step in dialog.steps.values():
                if step.checklist:
                    out.setdefault(step.checklist, set()).update(i.id for i in step.items)
        return {name: frozenset(items) for name, items in out.items()}

    @cached_property
    def _needs(self) -> NeedsIndex:
        return NeedsIndex(
            dialogs=self.dialogs, checklists=frozenset(self.checklists),
            computed_uses={k: c.uses for k, c in self.computed.items()},
            validator_uses={k: v.uses for k, v in self.validators.items()}, names=self.names)

    def needs(self, dialog_id: str, step_id: str) -> Needs:
        """What an event at this step may need from the application (see dialogs/needs.py)."""
        return self._needs.event(dialog_id, step_id)

    def render_needs(self, dialog_id: str, step_id: str) -> Needs:
        """What showing this step needs."""
        return self._needs.render(dialog_id, step_id)

    def begin_needs(self, dialog_id: str, step_id: str | None = None) -> Needs:
        """What starting this dialog (at its start, or at `step_id`) needs."""
        return self._needs.begin(dialog_id, step_id)


def load_catalog(folder: Path = DEFINITIONS, *, names: Names,
                 extensions: Iterable[Extension] = (), kinds: Kinds = KINDS) -> Catalog:
    """Load every `*.yaml` under `folder`; a DefinitionError names the file and the broken rule.

    `names` is what the application provides; `extensions` add validators and computed
    values; a step's `kind` must be one of `kinds`. A definition naming anything else is
    refused."""
    if not folder.is_dir():
        raise DefinitionError(f"{folder}: no such folder")
    texts: dict[str, Text] = {}
    dialogs: dict[str, Dialog] = {}
    for path in sorted(folder.rglob("*.yaml")):  # one folder per feature, common/ shared
        raw = read_yaml(path)
        if path.name == TEXTS_FILE or path.name.startswith("texts_"):
            for key, text in _load_texts(path, raw).items():
                if key in texts:
                    raise DefinitionError(f"{path.name}: text {key!r} is defined twice")
                texts[key] = text
            continue
        try:
            dialog = Dialog.model_validate(raw, context={"kinds": kinds})
        except ValidationError as exc:
            raise _pydantic_problem(path, exc) from None
        if dialog.id in dialogs:
            raise DefinitionError(f"{path.name}: dialog {dialog.id!r} is defined twice")
        if path.stem != dialog.id:
            raise DefinitionError(f"{path.name}: file name must match dialog id {dialog.id!r}")
        dialogs[dialog.id] = dialog
    if not texts:
        raise DefinitionError(f"{folder}: {TEXTS_FILE} is missing")
    extensions = list(extensions)
    checks = _merged("validator", [validators.CORE] + [e.validators for e in extensions])
    computed = _merged("computed value", [e.computed for e in extensions])
    catalog = Catalog(dialogs=dialogs, texts=texts, names=names, validators=checks,
                      computed=computed, kinds=kinds)
    problems = list(check_catalog(catalog))
    if problems:
        raise DefinitionError("; ".join(problems))
    return catalog


def _merged(kind: str, parts: list[Mapping[str, T]]) -> dict[str, T]:
    out: dict[str, T] = {}
    for part in parts:
        for key, value in part.items():
            if key in out:
                raise DefinitionError(f"{kind} {key!r} is provided twice")
            out[key] = value
    return out


def _load_texts(path: Path, raw: Any) -> dict[str, Text]:
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path.name}: expected a mapping of text keys")
    out: dict[str, Text] = {}
    for key, value in raw.items():
        try:
            out[str(key)] = Text.model_validate(value)
        except ValidationError as exc:
            raise DefinitionError(f"{path.name}: {key}: {exc.errors()[0]['msg']}") from None
    return out


def check_catalog(catalog: Catalog) -> Iterable[str]:
    for key in sorted(ENGINE_TEXTS - catalog.texts.keys()):
        yield f"{TEXTS_FILE}: engine text {key!r} is missing"
    for key in sorted(catalog.texts):
        if key.endswith("_one") and key[:-4] not in catalog.texts:
            yield f"text {key!r} is a singular without its plural {key[:-4]!r}"
    for dialog in catalog.dialogs.values():
        for sid, step in dialog.steps.items():
            where = f"{dialog.id}.{sid}"
            for target in step.targets():
                if target.startswith("@") and target[1:] not in catalog.dialogs:
                    yield f"{where}: dialog {target!r} does not exist"
            routes = [step.next] + [o.next for o in step.options]
            for route_list in routes:
                if route_list and route_list[-1].when is not None:
                    yield f"{where}: the last route needs no condition, so one is always taken"
            for spec in step.validate_:
                try:
                    validators.parse_spec(spec, catalog.validators)
                except ValueError as exc:
                    yield f"{where}: {exc}"
            if step.options_from and not step.next:
                yield f"{where}: a step with options_from needs next"
            if step.ticks and not _tick_exists(catalog, step.ticks):
                yield f"{where}: ticks {step.ticks!r} names no checklist item"
        yield from unknown_names(dialog, catalog.names, catalog.computed, catalog.checklists)


def _tick_exists(catalog: Catalog, ticks: str) -> bool:
    checklist, _, item = ticks.partition(".")
    for dialog in catalog.dialogs.values():
        for step in dialog.steps.values():
            if step.checklist == checklist and any(i.id == item for i in step.items):
                return True
    return False
