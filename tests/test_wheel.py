"""The built wheel holds every module, the library and the resources, and works alone.

pyproject.toml lists the packages by hand (two are mapped from top-level
folders), so a new subpackage can be left out of the wheel without any other
test noticing: this one builds the wheel from a snapshot of the source tree,
compares, installs it into a bare folder and loads the library from there,
with the source tree out of reach.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Build output and caches that must not leak into the snapshot.
IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".pytest_cache",
    "artifacts",
    "tests",
)

pytestmark = pytest.mark.slow


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        argv, capture_output=True, text=True, timeout=600, check=False, **kwargs
    )


def _build(source: Path, out: Path) -> Path:
    """``python -m build --wheel``; without the index, fall back to the venv's setuptools."""
    done = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)])
    if done.returncode != 0:
        isolated = done.stdout + done.stderr
        done = _run(
            [
                sys.executable,
                "-m",
                "build",
                "--wheel",
                "--no-isolation",
                "--outdir",
                str(out),
                str(source),
            ]
        )
        assert done.returncode == 0, (
            f"isolated build failed:\n{isolated[-3000:]}\n"
            f"build without isolation failed too:\n{(done.stdout + done.stderr)[-3000:]}"
        )
    wheels = sorted(out.glob("si_timer-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a snapshot of the source tree, the wheel built from it)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    # A snapshot: others may be editing the tree, and a stale build/ folder in
    # it would leak old files into the wheel.
    shutil.copytree(REPO, source, ignore=IGNORE)
    return source, _build(source, root / "dist")


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def test_wheel_has_every_module_of_the_source_tree(built: tuple[Path, Path]) -> None:
    source, wheel = built
    expected = {p.relative_to(source).as_posix() for p in (source / "si_timer").rglob("*.py")}
    assert "si_timer/library/loader.py" in expected
    missing = expected - _names(wheel)
    assert missing == set(), (
        "missing from the wheel; add their packages to [tool.setuptools] packages "
        f"in pyproject.toml: {sorted(missing)}"
    )


def test_wheel_has_the_exercise_library(built: tuple[Path, Path]) -> None:
    source, wheel = built
    content = source / "content"
    expected = {
        "si_timer/content/" + p.relative_to(content).as_posix()
        for p in content.rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".yml", ".md", ".py")
    }
    assert "si_timer/content/routines/morning.yaml" in expected
    assert expected - _names(wheel) == set()


def test_wheel_has_every_resource(built: tuple[Path, Path]) -> None:
    source, wheel = built
    resources = source / "resources"
    expected = {
        "si_timer/resources/" + p.relative_to(resources).as_posix()
        for p in resources.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    missing = expected - _names(wheel)
    assert missing == set(), (
        "missing from the wheel; add their patterns to [tool.setuptools.package-data] "
        f"in pyproject.toml: {sorted(missing)}"
    )


def test_wheel_has_the_console_script(built: tuple[Path, Path]) -> None:
    _source, wheel = built
    with zipfile.ZipFile(wheel) as zf:
        entry_points = next(
            zf.read(n).decode() for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt")
        )
    assert "si-timer = si_timer.cli:main" in entry_points


PROBE = """
import json, sys
from pathlib import Path
import si_timer
from si_timer import assets
from si_timer.library.catalog import load_catalog
from si_timer.session.plan import build_plan

catalog = load_catalog()
sounds = assets.resource("sounds")
print(json.dumps({
    "package": si_timer.__file__,
    "content": str(assets.content_root()),
    "errors": [str(e) for e in catalog.errors],
    "exercises": sorted(catalog.exercises),
    "routines": sorted(catalog.routines),
    "morning_seconds": build_plan(catalog.routine("morning"), catalog.exercises).total_seconds,
    "sounds": sorted(p.name for p in sounds.iterdir()) if sounds.is_dir() else [],
    "chime": Path(assets.sound_path("chime")).is_file(),
}))
"""


def test_installed_wheel_loads_the_library_without_the_source_tree(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    source, wheel = built
    target = tmp_path / "site"
    done = _run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)]
    )
    assert done.returncode == 0, done.stdout + done.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = _run(
        [sys.executable, "-c", PROBE],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "SI_TIMER_DATA_DIR": str(tmp_path / "data")},
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    # Imported from the installed copy, not the editable install of the repo.
    assert Path(found["package"]).is_relative_to(target), found["package"]
    assert Path(found["content"]).is_relative_to(target), found["content"]
    assert found["errors"] == []
    expected_exercises = sorted(p.stem for p in (source / "content" / "exercises").glob("*.yaml"))
    expected_routines = sorted(p.stem for p in (source / "content" / "routines").glob("*.yaml"))
    assert found["exercises"] == expected_exercises
    assert found["routines"] == expected_routines
    assert found["morning_seconds"] == 396  # as tests/session/test_plan.py works it out
    wavs = sorted(p.name for p in (source / "resources" / "sounds").glob("*.wav"))
    assert found["sounds"] == wavs
    assert found["chime"] is ("chime.wav" in wavs)
