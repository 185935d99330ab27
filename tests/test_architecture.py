"""The wall between the Qt-free core and the Qt shell stays standing.

The core (library, session, history, config, the command line, the asset
loader and the words for people) must run, and be tested, without PySide6:
statically, no module there imports Qt or the UI; at run time, importing and
using them loads no Qt.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import si_timer

PACKAGE = Path(si_timer.__file__).resolve().parent
CORE_PACKAGES = ("library", "session", "history", "config", "figures")
CORE_MODULES = ("cli.py", "cli_share.py", "assets.py", "words.py", "digest.py")
QT_ROOTS = ("PySide6", "shiboken6")
UI = "si_timer.ui"
# Only the command line may reach the UI, and only from inside a function, so
# the text commands never load Qt.
LAZY_UI_ALLOWED = {"si_timer/cli.py"}


@dataclass(frozen=True)
class Import:
    module: str  # the absolute dotted name imported
    line: int
    in_function: bool


def core_files() -> list[Path]:
    files = [PACKAGE / name for name in CORE_MODULES]
    for sub in CORE_PACKAGES:
        files += sorted((PACKAGE / sub).rglob("*.py"))
    return files


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool = False) -> list[Import]:
    """Every import in ``source`` (relative ones made absolute), with where it sits."""
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(child, ast.Import):
                found.extend(Import(a.name, child.lineno, in_function) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                found.append(Import(base, child.lineno, in_function))
                # `from si_timer import ui` imports si_timer.ui
                found.extend(
                    Import(f"{base}.{a.name}", child.lineno, in_function) for a in child.names
                )
            elif isinstance(child, ast.Call) and _dynamic_import(child) is not None:
                found.append(Import(_dynamic_import(child) or "", child.lineno, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def _dynamic_import(call: ast.Call) -> str | None:
    """``importlib.import_module("x")`` or ``__import__("x")`` with a literal name."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in ("import_module", "__import__") or not call.args:
        return None
    first = call.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def violations(path: Path) -> list[str]:
    rel = path.relative_to(PACKAGE.parent).as_posix()
    found = imports(
        path.read_text("utf-8"), module_name(path), is_package=path.name == "__init__.py"
    )
    bad: list[str] = []
    for imp in found:
        root = imp.module.split(".")[0]
        if root in QT_ROOTS:
            bad.append(f"{rel}:{imp.line}: imports {imp.module}")
        elif (imp.module == UI or imp.module.startswith(UI + ".")) and not (
            imp.in_function and rel in LAZY_UI_ALLOWED
        ):
            where = "inside a function" if imp.in_function else "at module level"
            bad.append(f"{rel}:{imp.line}: imports {imp.module} {where}")
    return bad


# --- the checker itself catches what it must -------------------------------------


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("import PySide6\n", "si_timer.library.x", ["PySide6"]),
        ("import PySide6.QtCore as qc\n", "si_timer.library.x", ["PySide6.QtCore"]),
        ("from PySide6.QtCore import QTimer\n", "si_timer.library.x", ["PySide6.QtCore"]),
        ("from PySide6 import QtCore\n", "si_timer.library.x", ["PySide6"]),
        ("import shiboken6\n", "si_timer.library.x", ["shiboken6"]),
        ("def f():\n    from PySide6 import QtGui\n", "si_timer.session.x", ["PySide6"]),
        ("class A:\n    def f(self):\n        import PySide6\n", "si_timer.session.x", ["PySide6"]),
        (
            "import importlib\nimportlib.import_module('PySide6.QtCore')\n",
            "si_timer.x",
            ["PySide6.QtCore"],
        ),
        ("from ..ui import app\n", "si_timer.session.x", ["si_timer.ui"]),
        ("from si_timer import ui\n", "si_timer.x", ["si_timer.ui"]),
        ("from . import model\n", "si_timer.library.x", []),
        ("import yaml\nfrom si_timer.library import model\n", "si_timer.library.x", []),
    ],
)
def test_the_checker_sees_every_form_of_import(
    source: str, module: str, expected: list[str]
) -> None:
    modules = [imp.module for imp in imports(source, module)]
    for name in expected:
        assert name in modules
    flagged = [m for m in modules if m.split(".")[0] in QT_ROOTS or m.startswith(UI)]
    assert bool(flagged) == bool(expected), modules


def test_the_checker_allows_only_a_lazy_ui_import_in_cli(tmp_path: Path) -> None:
    lazy = imports("def f():\n    from si_timer.ui.app import run\n", "si_timer.cli")
    eager = imports("from si_timer.ui.app import run\n", "si_timer.cli")
    assert {imp.in_function for imp in lazy} == {True}
    assert {imp.in_function for imp in eager} == {False}


# --- the real code ------------------------------------------------------------------


def test_core_files_are_found() -> None:
    rels = {p.relative_to(PACKAGE).as_posix() for p in core_files()}
    assert {"cli.py", "assets.py", "library/loader.py", "session/plan.py"} <= rels
    assert not any(r.startswith("ui/") for r in rels)


@pytest.mark.parametrize("path", core_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_module_imports_no_qt(path: Path) -> None:
    assert violations(path) == []


def test_cli_reaches_the_ui_only_lazily() -> None:
    found = imports((PACKAGE / "cli.py").read_text("utf-8"), "si_timer.cli")
    ui = [imp for imp in found if imp.module.startswith(UI)]
    assert all(imp.in_function for imp in ui), ui


# --- the tests themselves: helpers live in tests/helpers, not in conftest files ----------

TESTS = Path(__file__).resolve().parent


def conftest_imports(source: str, module: str, is_package: bool = False) -> list[Import]:
    """Imports of a conftest module: pytest loads those itself; sharing code through them
    ties a test to another folder's fixtures (and may load a conftest twice)."""
    found = imports(source, module, is_package)
    return [imp for imp in found if imp.module.rpartition(".")[2] == "conftest"]


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("from tests.e2e.conftest import XServer\n", True),
        ("from tests.history import conftest\n", True),
        ("import tests.faults.conftest as c\n", True),
        ("from .conftest import Clock\n", True),
        ("def f():\n    from ..e2e.conftest import start_xvfb\n", True),
        ("from tests.helpers.clocks import Clock\n", False),
        ("from tests.helpers import realapp\n", False),
    ],
)
def test_the_checker_sees_a_conftest_import(source: str, flagged: bool) -> None:
    assert bool(conftest_imports(source, "tests.history.test_x")) == flagged


def test_no_test_module_imports_from_a_conftest() -> None:
    files = sorted(TESTS.rglob("*.py"))
    assert TESTS / "helpers" / "realapp.py" in files
    bad = []
    for path in files:
        rel = path.relative_to(TESTS.parent)
        module = ".".join(rel.with_suffix("").parts)
        found = conftest_imports(
            path.read_text("utf-8"), module, is_package=path.name == "__init__.py"
        )
        bad += [f"{rel.as_posix()}:{imp.line}: imports {imp.module}" for imp in found]
    assert bad == [], "move shared code to tests/helpers/ and import it from there"


def test_every_fault_test_module_is_marked_slow() -> None:
    """They start real processes; the inner loop (``-m "not slow and not e2e"``) skips them."""
    modules = sorted((TESTS / "faults").glob("test_*.py"))
    assert modules
    unmarked = []
    for path in modules:
        tree = ast.parse(path.read_text("utf-8"))
        marks = [
            ast.unparse(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
        ]
        if not any("pytest.mark.slow" in mark for mark in marks):
            unmarked.append(path.name)
    assert unmarked == []


# --- at run time ------------------------------------------------------------------------

PROBE = """
import importlib, json, sys
names = json.loads(sys.argv[1])
for name in names:
    importlib.import_module(name)
from si_timer import cli
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    for argv in (["routines"], ["exercises", "--json"], ["plan", "morning", "--json"], ["paths"]):
        assert cli.main(argv) == 0, argv
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps(loaded))
"""


def test_importing_and_using_the_core_loads_no_qt(tmp_path: Path) -> None:
    names = ["si_timer.cli", "si_timer.library.catalog"]
    for optional in ("si_timer.session.engine", "si_timer.history"):
        if (PACKAGE.parent / (optional.replace(".", "/") + ".py")).exists() or (
            PACKAGE.parent / optional.replace(".", "/") / "__init__.py"
        ).exists():
            names.append(optional)
    names += [module_name(p) for p in core_files()]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(names)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"SI_TIMER_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
