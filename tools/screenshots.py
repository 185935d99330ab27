"""Screenshots for the AppStream metainfo: the player mid-hold and the calendar.

Run under a real X server so fonts and styles are what a person sees, e.g.
``xvfb-run -s "-screen 0 1280x720x24" python tools/screenshots.py packaging/screenshots``.
A private data folder with a few weeks of made-up history is used; the
session clock is moved by hand, so the shot is the same every run.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtWidgets import QApplication  # noqa: E402

from si_timer.config.paths import resolve_paths  # noqa: E402
from si_timer.session.clock import FakeClock  # noqa: E402
from si_timer.session.plan import SegmentKind  # noqa: E402
from si_timer.ui.app import App  # noqa: E402
from tests.helpers.history_factories import fill_history  # noqa: E402

SIZE = (1280, 720)  # 16:9, the size Flathub's guidelines show best


def settle(qapp: QApplication) -> None:
    for _ in range(20):
        qapp.processEvents()


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    qapp = QApplication(sys.argv[:1])
    qapp.setApplicationName("si-timer")
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(Path(tmp) / "data")
        paths.config_dir.mkdir(parents=True)
        paths.settings_file.write_text(
            json.dumps({"safety_acknowledged": True, "speech_engine": "mock", "sounds": False})
        )
        clock = FakeClock()
        app = App(qapp, paths, clock=clock)
        store = app.history.store
        assert store is not None
        today = date.today()
        fill_history(store, today - timedelta(weeks=9), today - timedelta(days=1))
        app.window.resize(*SIZE)
        app.window.show()
        app.show_history()
        view = app.histories.built_page
        if view is not None and today.day < 15:
            view.step_month(-1)  # a month with history in it
        settle(qapp)
        app.window.grab().save(str(out_dir / "calendar.png"))

        app.go_home()
        app.start_routine("morning")
        run = app.runner.run
        assert run is not None
        run.controller.start()  # Space on the start screen
        for _ in range(400):  # into the first hold, a few seconds in
            clock.advance(0.5)
            run.controller._wake()
            view = run.engine.view()
            seg = view.segment
            if seg is not None and seg.kind is SegmentKind.HOLD and view.elapsed >= 4:
                break
        for key in ("sound", "voice"):  # a machine without audio says so; not for the shot
            app.notices.clear(key)
        settle(qapp)
        app.window.grab().save(str(out_dir / "player.png"))
        app.runner.end()
        app.shut_down()
    print(f"wrote {out_dir / 'calendar.png'} and {out_dir / 'player.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "packaging" / "screenshots"))
