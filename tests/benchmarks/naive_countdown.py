"""The way timers drift: a countdown that subtracts one second per QTimer tick.

Run beside si-timer in the timing benchmark; prints one JSON line per "second"
boundary it believes it reached, with the true monotonic time since it started.
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QCoreApplication, QTimer


def main() -> int:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    app = QCoreApplication(sys.argv[:1])
    start = time.monotonic()
    remaining = [total]
    timer = QTimer()
    timer.setInterval(1000)

    def tick() -> None:
        remaining[0] -= 1
        believed = total - remaining[0]
        print(json.dumps({"believed": believed, "t": time.monotonic() - start}), flush=True)
        if remaining[0] <= 0:
            app.quit()

    timer.timeout.connect(tick)
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
