"""What each part of si-timer costs in memory: one process that adds them one by one.

Run by bench_app.py (in its private X server) as:
    python tests/benchmarks/memory_parts.py DATA_DIR
and prints one JSON object: for each step, the resident set (VmRSS) after it
and what it added, in KiB.  The order is the app's own: Qt and a shown label
(the bare baseline), our modules for home, the library, the home window,
then what loads after the first paint or with a session: history, sounds
(QtMultimedia), the voice (QtTextToSpeech), the figures and the player.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main(data_dir: str) -> int:
    steps: list[dict[str, object]] = []
    state: dict[str, object] = {}
    last = rss_kib()
    steps.append({"part": "Python", "rss_kib": last, "added_kib": last})

    def step(name: str, do: Callable[[], None]) -> None:
        nonlocal last
        do()
        app = state.get("qapp")
        if app is not None:
            deadline = time.monotonic() + 0.3
            while time.monotonic() < deadline:  # let paints and deferred deletes run
                app.processEvents()  # type: ignore[attr-defined]
        now = rss_kib()
        steps.append({"part": name, "rss_kib": now, "added_kib": now - last})
        last = now

    def qt() -> None:
        from PySide6.QtWidgets import QApplication, QLabel

        state["qapp"] = QApplication(sys.argv[:1])
        label = QLabel("Hello")
        label.resize(1280, 760)
        label.show()
        state["label"] = label

    def modules() -> None:
        import si_timer.ui.app
        import si_timer.ui.launch  # noqa: F401

    def library() -> None:
        from si_timer.config.paths import resolve_paths
        from si_timer.library.cache import cached_catalog

        paths = resolve_paths(data_dir)
        paths.ensure()
        state["paths"] = paths
        state["catalog"] = cached_catalog(
            paths.cache_dir, paths.user_exercises_dir, paths.user_routines_dir
        )

    def window() -> None:
        from si_timer.ui.app import App

        state["label"].close()  # type: ignore[attr-defined]
        app = App(state["qapp"], state["paths"], catalog=state["catalog"])  # type: ignore[arg-type]
        app.window.show_page(app.window.home)
        app.window.show()
        state["app"] = app

    def history() -> None:
        app = state["app"]
        app.history  # type: ignore[attr-defined]  # noqa: B018 - opens it

    def sounds() -> None:
        state["app"].outputs.sounds.preload()  # type: ignore[attr-defined]

    def voice() -> None:
        state["app"].outputs.speaker.warm_up()  # type: ignore[attr-defined]

    def figures() -> None:
        state["app"].window.home.show_figures()  # type: ignore[attr-defined]

    def player() -> None:
        state["app"].start_routine("morning")  # type: ignore[attr-defined]

    step("Qt and a shown label (the bare script)", qt)
    step("our modules for home", modules)
    step("the library (from its cache)", library)
    step("the window with home", window)
    step("history (SQLite)", history)
    step("sounds (QtMultimedia)", sounds)
    step("voice (QtTextToSpeech)", voice)
    step("figures on home", figures)
    step("a session's start screen (player)", player)
    print(json.dumps(steps))
    app = state["app"]
    app.shut_down()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
