"""The layout's rules, read from the source with `ast` (nothing is imported).

`python -m tests.architecture` prints the figures (modules per folder, import cycles counting
imports inside functions and under TYPE_CHECKING, the longest modules); `--check` exits 1
when a rule is broken, which `make lint` runs. `tests/test_architecture.py` asserts the same.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "dialogs", "storage")
TELEGRAM_LAYER = "bot.telegram"
LONG = 300  # lines; a longer module says why in its opening comment
WORST = 20  # cyclomatic complexity: radon's grade C ends here


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (resolved to a module of ours where it is one)
    line: int
    deferred: bool  # inside a function or under TYPE_CHECKING


def modules(packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(tree: ast.AST, deferred: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(tree):
        inner = deferred or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) or (
            isinstance(child, ast.If) and _is_type_checking(child))
        yield child, inner if not isinstance(child, (ast.Import, ast.ImportFrom)) else deferred
        yield from _walk(child, inner)


def imports(known: dict[str, Path] | None = None) -> list[Import]:
    """Every import in our packages, a `from x import name` resolved to `x.name` when that
    is a module of ours."""
    known = known if known is not None else modules()
    out: list[Import] = []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(), str(path))
        for node, deferred in _walk(tree):
            if isinstance(node, ast.Import):
                out += [Import(name, alias.name, node.lineno, deferred) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    out.append(Import(name, full if full in known else base, node.lineno,
                                      deferred))
    return out


def graph(found: list[Import], known: dict[str, Path]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for imp in found:
        if imp.target in known and imp.target != imp.source:
            edges[imp.source].add(imp.target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(set(edges) | {t for ts in edges.values() for t in ts}):
        if node not in index:
            visit(node)
    return sorted(groups)


def telegram_outside(found: list[Import]) -> list[Import]:
    """Imports of python-telegram-bot outside the Telegram adapter."""
    return [i for i in found if (i.target == "telegram" or i.target.startswith("telegram."))
            and not (i.source == TELEGRAM_LAYER or i.source.startswith(TELEGRAM_LAYER + "."))]


def lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def long_modules(known: dict[str, Path]) -> list[tuple[str, int]]:
    """Modules over LONG lines whose opening docstring does not say why ("Long: …")."""
    out = []
    for name, path in known.items():
        count = lines(path)
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        if count > LONG and "Long:" not in doc:
            out.append((name, count))
    return sorted(out, key=lambda pair: -pair[1])


def complex_functions(known: dict[str, Path]) -> list[tuple[str, str, int]]:
    """(module, function, complexity) above grade C, worst first."""
    from radon.complexity import cc_visit  # a dev tool, wanted only by this check

    out = []
    for name, path in known.items():
        for block in cc_visit(path.read_text()):
            for inner in [block, *getattr(block, "methods", []), *getattr(block, "closures", [])]:
                if inner.complexity > WORST:
                    full = f"{inner.classname}.{inner.name}" if getattr(
                        inner, "classname", None) else inner.name
                    out.append((name, full, inner.complexity))
    return sorted(set(out), key=lambda t: -t[2])


def folders(known: dict[str, Path]) -> Counter[str]:
    return Counter(str(path.parent.relative_to(ROOT)) for path in known.values()
                   if path.name != "__init__.py")


def report() -> str:
    known = modules()
    found = imports(known)
    groups = cycles(graph(found, known))
    top = ["## modules per folder"]
    top += [f"{folder}: {count}" for folder, count in sorted(folders(known).items())]
    top += [f"## import cycles (deferred imports counted): {len(groups)}"]
    top += [" ⇄ ".join(group) for group in groups]
    late = [i for i in found if i.deferred and i.target in known]
    top += [f"## deferred imports of our own modules: {len(late)}"]
    top += [f"## telegram imported outside {TELEGRAM_LAYER}: "
            f"{len({i.source for i in telegram_outside(found)})} modules"]
    longest = sorted(((lines(p), n) for n, p in known.items()), reverse=True)[:10]
    top += ["## longest modules"] + [f"{n} {name}" for n, name in longest]
    top += [f"## functions above radon grade C ({WORST})"]
    top += [f"{c} {m}.{f}" for m, f, c in complex_functions(known)]
    return "\n".join(top)


def problems() -> list[str]:
    known = modules()
    found = imports(known)
    out = [f"import cycle: {' ⇄ '.join(g)}" for g in cycles(graph(found, known))]
    out += [f"{i.source}:{i.line} imports {i.target} (only {TELEGRAM_LAYER} may)"
            for i in telegram_outside(found)]
    out += [f"{name} has {count} lines and no 'Long:' reason in its docstring"
            for name, count in long_modules(known)]
    out += [f"{module}.{function} has complexity {c} (radon grade above C)"
            for module, function, c in complex_functions(known)]
    return out


if __name__ == "__main__":
    if "--check" in sys.argv:
        broken = problems()
        print("\n".join(broken) or "layout: no import cycle, telegram only in its adapter")
        sys.exit(1 if broken else 0)
    print(report())
