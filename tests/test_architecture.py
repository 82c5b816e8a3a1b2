"""The folder tree is the architecture: the rules `make lint` checks, asserted here too."""

from __future__ import annotations

from pathlib import Path

from tests import architecture as arch


def test_no_import_cycle_counting_deferred_imports() -> None:
    known = arch.modules()
    assert arch.cycles(arch.graph(arch.imports(known), known)) == []


def test_only_the_telegram_adapter_imports_telegram() -> None:
    assert arch.telegram_outside(arch.imports()) == []


def test_no_function_above_radon_grade_c() -> None:
    assert arch.complex_functions(arch.modules()) == []


def test_a_long_module_says_why() -> None:
    assert arch.long_modules(arch.modules()) == []


def test_the_scan_sees_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    """The check itself: two modules importing each other, one of them late."""
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("def f():\n    import a\n")
    known = {"a": tmp_path / "a.py", "b": tmp_path / "b.py"}
    assert arch.cycles(arch.graph(arch.imports(known), known)) == [["a", "b"]]


def test_the_scan_sees_a_type_checking_import(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                   "    from b import B\n")
    (tmp_path / "b.py").write_text("from a import A\n")
    known = {"a": tmp_path / "a.py", "b": tmp_path / "b.py"}
    found = arch.imports(known)
    assert [i.deferred for i in found if i.source == "a" and i.target == "b"] == [True]
    assert arch.cycles(arch.graph(found, known)) == [["a", "b"]]


def test_every_feature_has_one_folder_and_its_tests_beside_it() -> None:
    features = sorted(p.name for p in (arch.ROOT / "bot" / "features").iterdir()
                      if (p / "feature.py").exists())
    assert features  # the scan found the features at all
    for name in features:
        assert (arch.ROOT / "tests" / "bot" / "features" / name).is_dir(), name
