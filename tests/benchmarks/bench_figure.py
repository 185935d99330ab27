"""CPU cost of the exercise figure during a hold: the view shown and breathing, its
breath set once a second from the hold's clock as the player's wake sets it.

Run:  .venv/bin/python tests/benchmarks/bench_figure.py [--seconds 60] [--size 800x640]

Runs offscreen (QT_QPA_PLATFORM=offscreen unless set) and prints the process CPU
time over the run as a share of one core; the goal is at most 0.5 %.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from si_timer.figures.pose import HOLD, START
from si_timer.figures.timeline import breath_at
from si_timer.library.catalog import load_catalog
from si_timer.library.model import Side
from si_timer.ui.figure import FigureView


class PaintCounter(QObject):
    """Counts the view's paint events, to show that it repaints only while breathing."""

    def __init__(self, view: FigureView) -> None:
        super().__init__(view)
        self.count = 0
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def run_for(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--size", default="800x640")
    parser.add_argument("--exercise", default="knee-to-chest")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    app = QApplication(sys.argv[:1])  # noqa: F841 (kept alive for the run)
    exercise = load_catalog(None, None).exercises[args.exercise]
    view = FigureView()
    view.resize(width, height)
    view.show_exercise(exercise, Side.LEFT, exercise.posture)
    view.set_motion(START, HOLD, 1.0)
    view.show()
    # Warm up first: the first paint loads fonts and builds the backing store.  (A local
    # loop: QApplication.quit closes the windows since Qt 6.5.)
    run_for(2.0)
    paints = PaintCounter(view)
    started = time.monotonic()
    view.set_breath(0.0)
    wake = QTimer()
    wake.timeout.connect(lambda: view.set_breath(breath_at(time.monotonic() - started)))
    wake.start(1000)
    cpu0, wall0 = time.process_time(), time.monotonic()
    run_for(args.seconds)
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    print(
        f"{args.exercise} hold, {width}x{height}, breathing: {cpu:.3f} s CPU over {wall:.1f} s"
        f" = {100 * cpu / wall:.2f} % of a core (goal <= 0.5 %), {paints.count} repaints"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
