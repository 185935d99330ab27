"""The baseline for start-up and memory: a bare PySide6 window with one label.

Prints ``painted:bare`` once the label has painted, like si-timer's paint probe.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


class _Probe(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: print("painted:bare", flush=True))
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    label = QLabel("Hello")
    probe = _Probe()
    label.installEventFilter(probe)
    label.resize(1280, 760)
    label.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
