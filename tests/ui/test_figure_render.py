"""``si-timer figure`` draws an exercise, or a contact sheet of them all, as PNG."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from si_timer.cli import main


def test_draws_one_exercise_at_the_size_asked(qtbot: QtBot, tmp_path: Path) -> None:
    out = tmp_path / "f4.png"
    code = main(
        [
            "figure",
            "figure-4",
            "--side",
            "right",
            "--pose",
            "hold",
            "-o",
            str(out),
            "--size",
            "320x200",
        ]
    )
    assert code == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (320, 200)


def test_draws_a_contact_sheet(qtbot: QtBot, tmp_path: Path) -> None:
    out = tmp_path / "sheet.png"
    assert main(["figure", "--sheet", "-o", str(out)]) == 0
    assert not QImage(str(out)).isNull()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["figure", "no-such-one"], "unknown exercise 'no-such-one'"),
        (["figure", "cat-cow", "--pose", "Dance"], "cat-cow has no pose 'Dance'"),
        (["figure", "cat-cow", "--size", "big"], "--size 'big'"),
    ],
)
def test_a_mistake_is_one_line(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main([*args, "-o", str(tmp_path / "x.png")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()
