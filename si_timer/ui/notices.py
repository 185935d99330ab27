"""One way to tell the person something: a board of notices, and banners that show it.

The person may be lying on a mat a few metres away, so a notice that matters
(the voice is off, history is not being saved) stays on screen, large, on
every page that hosts a banner, until it is dismissed or its cause goes away.
Only passing news (an export finished) hides itself after a few seconds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import Enum
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from si_timer.records import record
from si_timer.ui.theme import set_style_property

INFO_SECONDS = 6.0
MAX_SHOWN = 3
DEFAULT_FONT_PX = 18


class NoticeLevel(Enum):
    INFO = "info"  # passing news; hides itself
    WARNING = "warning"  # something is off but nothing is lost; stays until dismissed
    PROBLEM = "problem"  # something is being lost or is broken; stays until dismissed

    @property
    def persistent(self) -> bool:
        return self is not NoticeLevel.INFO

    @property
    def word(self) -> str:
        """Shown beside the text: the level is never told by colour alone."""
        return {
            NoticeLevel.INFO: "Note",
            NoticeLevel.WARNING: "Warning",
            NoticeLevel.PROBLEM: "Problem",
        }[self]


@record(frozen=True)
class Notice:
    key: str  # one notice per key: posting the same key again replaces it
    text: str
    level: NoticeLevel
    detail: str | None = None  # a second, smaller line (a file name, what to do)
    action: str | None = None  # a button's words ("Undo"); clicking it sends ``acted``


class Tell(Protocol):
    """The app's one way to tell the person something (``App.tell``): a notice, and the
    log unless the sender has logged it already."""

    def __call__(
        self,
        key: str,
        text: str,
        level: NoticeLevel,
        *,
        detail: str | None = None,
        logged: bool = False,
    ) -> None: ...


@record(frozen=True)
class _Posted:
    notice: Notice
    expires_at: float | None  # on the board's clock; None while it persists


class NoticeBoard(QObject):
    """The notices the app currently wants the person to see, newest first.

    Information notices expire ``info_seconds`` after they are posted, measured
    on ``clock`` (monotonic seconds); the board's one timer only wakes it near
    the next expiry, so a test passes a fake clock and calls :meth:`expire_due`.

    A persistent notice the person dismissed stays dismissed while the same
    notice is posted again (a failing write repeats its warning); a changed
    text, or :meth:`clear` (the cause went away), lets it show again.
    Use it from the GUI thread (workers report through their own signals).

    Signals:
        changed(): the notices changed (posted, replaced, dismissed, cleared or
            expired); read them with :meth:`notices`.
        dismissed(str): the person dismissed the notice with this key.
        acted(str): the person clicked the action of the notice with this key; the
            notice is taken down (its sender does the rest).
    """

    changed = Signal()
    dismissed = Signal(str)
    acted = Signal(str)

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        info_seconds: float = INFO_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._info_seconds = info_seconds
        self._posted: list[_Posted] = []
        self._dismissed: dict[str, Notice] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.expire_due)

    def notices(self) -> tuple[Notice, ...]:
        return tuple(posted.notice for posted in self._posted)

    def post(self, notice: Notice) -> None:
        if self._dismissed.get(notice.key) == notice:
            return
        self._dismissed.pop(notice.key, None)
        expires_at = None if notice.level.persistent else self._clock() + self._info_seconds
        unchanged = bool(self._posted) and self._posted[0].notice == notice
        self._posted = [p for p in self._posted if p.notice.key != notice.key]
        self._posted.insert(0, _Posted(notice, expires_at))
        self._arm()
        if not unchanged:
            self.changed.emit()

    def dismiss(self, key: str) -> None:
        """The person has seen it."""
        posted = self._take(key)
        if posted is None:
            return
        if posted.notice.level.persistent:
            self._dismissed[key] = posted.notice
        self.changed.emit()
        self.dismissed.emit(key)

    def act(self, key: str) -> None:
        """The person clicked the notice's action button."""
        if not any(p.notice.key == key and p.notice.action for p in self._posted):
            return
        self._take(key)
        self.changed.emit()
        self.acted.emit(key)

    def clear(self, key: str) -> None:
        """The cause went away (history caught up, the voice came back)."""
        self._dismissed.pop(key, None)
        if self._take(key) is not None:
            self.changed.emit()

    def expire_due(self) -> None:
        """Drop the information notices whose time is up; re-arm for the next one."""
        now = self._clock()
        kept = [p for p in self._posted if p.expires_at is None or p.expires_at > now]
        expired = len(kept) != len(self._posted)
        self._posted = kept
        self._arm()
        if expired:
            self.changed.emit()

    def next_expiry_in(self) -> float | None:
        """Seconds until the next information notice expires, or None if none will."""
        deadlines = [p.expires_at for p in self._posted if p.expires_at is not None]
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - self._clock())

    def _take(self, key: str) -> _Posted | None:
        for index, posted in enumerate(self._posted):
            if posted.notice.key == key:
                del self._posted[index]
                self._arm()
                return posted
        return None

    def _arm(self) -> None:
        # Qt timers fire early and late: waking early only finds nothing due
        # and re-arms; the clock, not the timer, decides what has expired.
        wait = self.next_expiry_in()
        if wait is None:
            self._timer.stop()
        else:
            self._timer.start(math.ceil(wait * 1000))


class NoticeRow(QFrame):
    """One notice: its level as a word, the text (wrapped, never elided), a dismiss button.

    Signals:
        dismiss_clicked(str): the dismiss button was clicked for the notice with this key.
        action_clicked(str): the action button (a notice's ``action``) was clicked.
    """

    dismiss_clicked = Signal(str)
    action_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "notice-row")
        self._key = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        layout.setSpacing(14)
        self.level_label = QLabel()
        self.level_label.setProperty("role", "notice-level")
        layout.addWidget(self.level_label, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.text_label = self._wrapping_label("notice-text")
        self.detail_label = self._wrapping_label("notice-detail")
        texts.addWidget(self.text_label)
        texts.addWidget(self.detail_label)
        layout.addLayout(texts, 1)
        self.action_button = QPushButton()
        self.action_button.setProperty("role", "notice-action")
        self.action_button.clicked.connect(lambda: self.action_clicked.emit(self._key))
        self.action_button.hide()
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.dismiss_button = QPushButton("×")
        self.dismiss_button.setProperty("role", "notice-dismiss")
        self.dismiss_button.setAccessibleName("Dismiss")
        self.dismiss_button.setToolTip("Dismiss this notice")
        self.dismiss_button.clicked.connect(lambda: self.dismiss_clicked.emit(self._key))
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)

    @staticmethod
    def _wrapping_label(role: str) -> QLabel:
        label = QLabel()
        label.setProperty("role", role)
        label.setWordWrap(True)
        # File names may hold "<": never read them as rich text.
        label.setTextFormat(Qt.TextFormat.PlainText)
        # The log's path is worth copying into a bug report.
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    @property
    def key(self) -> str:
        return self._key

    def show_notice(self, notice: Notice) -> None:
        self._key = notice.key
        level = notice.level.value
        for widget in (self, self.level_label):
            set_style_property(widget, "level", level)
        self.level_label.setText(notice.level.word)
        self.text_label.setText(notice.text)
        self.detail_label.setText(notice.detail or "")
        self.detail_label.setVisible(bool(notice.detail))
        self.action_button.setText(notice.action or "")
        self.action_button.setAccessibleDescription(notice.text)
        self.action_button.setVisible(notice.action is not None)
        self.setAccessibleName(f"{notice.level.word}: {notice.text}")
        self.dismiss_button.setAccessibleDescription(notice.text)


class NoticeBanner(QWidget):
    """Shows a :class:`NoticeBoard`'s notices, newest first, at most ``max_shown``
    with "and N more"; hidden while the board is empty.

    Any number of banners (home page, player page) can watch one board; a
    dismissal in one is a dismissal on the board, so all of them follow.
    The host sets the size with :meth:`set_font_px`: large on the player,
    which is read from the mat, normal at home.

    Signals:
        focus_released(): the keyboard focus was in the banner and its widget has
            gone (the notice was dismissed); the host gives the focus back to its page.
    """

    focus_released = Signal()

    def __init__(
        self,
        board: NoticeBoard,
        parent: QWidget | None = None,
        *,
        max_shown: int = MAX_SHOWN,
        font_px: int = DEFAULT_FONT_PX,
    ) -> None:
        super().__init__(parent)
        self._board = board
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        # Rows are made when a notice first needs one: most starts have none to
        # show, and three rows of labels and buttons are a cost before the first paint.
        self._rows: list[NoticeRow] = []
        self._max_rows = max(1, max_shown)
        self._limit = max_shown
        self.more_label = QLabel()
        self.more_label.setProperty("role", "notice-more")
        self.more_label.setVisible(False)
        self._layout.addWidget(self.more_label)
        self._font_px = 0
        self.set_font_px(font_px)
        board.changed.connect(self.refresh)
        self.refresh()

    @property
    def font_px(self) -> int:
        return self._font_px

    def set_font_px(self, px: int) -> None:
        """The notice text's size in pixels; the level word, details and button follow it."""
        if px == self._font_px:
            return
        self._font_px = px
        small = max(12, round(px * 0.8))
        button = round(px * 2.2)  # a target that is easy to hit
        # A widget's own stylesheet wins over the app's, whatever the selectors.
        self.setStyleSheet(
            f'QLabel[role="notice-text"] {{ font-size: {px}px; }}\n'
            f'QLabel[role="notice-level"], QLabel[role="notice-detail"],'
            f' QLabel[role="notice-more"] {{ font-size: {small}px; }}\n'
            f'QPushButton[role="notice-dismiss"] {{ font-size: {round(px * 1.3)}px;'
            f" min-width: {button}px; max-width: {button}px;"
            f" min-height: {button}px; max-height: {button}px; }}\n"
        )

    def set_max_shown(self, count: int) -> None:
        """Show at most ``count`` notices (at least one), the rest as "and N more"."""
        count = max(1, min(count, self._max_rows))
        if count != self._limit:
            self._limit = count
            self.refresh()

    def rows(self) -> tuple[NoticeRow, ...]:
        """The rows showing a notice, newest first."""
        return tuple(row for row in self._rows if not row.isHidden())

    def built_rows(self) -> int:
        """How many rows have been made so far (they are made as notices need them)."""
        return len(self._rows)

    def _make_rows(self, count: int) -> None:
        while len(self._rows) < count:
            row = NoticeRow()
            row.dismiss_clicked.connect(self._board.dismiss)
            row.action_clicked.connect(self._board.act)
            # Rows go above "and N more", newest first.
            self._layout.insertWidget(len(self._rows), row)
            self._rows.append(row)

    def refresh(self) -> None:
        focused = QApplication.focusWidget()
        had_focus = focused is not None and self.isAncestorOf(focused)
        self._show(self._board.notices())
        if had_focus:
            now = QApplication.focusWidget()
            if now is None or not self.isAncestorOf(now) or not now.isVisible():
                self.focus_released.emit()

    def _show(self, notices: tuple[Notice, ...]) -> None:
        self._make_rows(min(len(notices), self._limit))
        for index, row in enumerate(self._rows):
            if index < min(len(notices), self._limit):
                row.show_notice(notices[index])
                row.setVisible(True)
            else:
                row.setVisible(False)
        more = len(notices) - self._limit
        self.more_label.setText(f"and {more} more" if more > 0 else "")
        self.more_label.setVisible(more > 0)
        # A banner is part of a page, never a window of its own: one built
        # before its page shows itself once it has a parent.
        if not notices or self.parentWidget() is not None:
            self.setVisible(bool(notices))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            self.refresh()
        return super().event(event)
