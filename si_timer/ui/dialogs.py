"""The app's dialogs: safety guidance and settings."""

from __future__ import annotations

import enum
import html
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from si_timer.config.settings import Settings, Theme
from si_timer.library.safety import SafetyGuide
from si_timer.records import replace
from si_timer.session.reminders import ReminderSlot
from si_timer.session.verbosity import Verbosity
from si_timer.ui.reminder_editor import ReminderEditor


def safety_html(guide: SafetyGuide) -> str:
    principles = "".join(f"<li>{p}</li>" for p in guide.principles)
    signs = "".join(f"<li>{s}</li>" for s in guide.warning_signs)
    return (
        f"<ul style='margin-left:0px; -qt-list-indent:1'>{principles}</ul>"
        f"<p style='margin-top:14px; margin-bottom:4px'><b>{guide.see_intro}:</b></p>"
        f"<ul style='margin-left:0px; -qt-list-indent:1'>{signs}</ul>"
    )


def tips_html(guide: SafetyGuide) -> str:
    """The guides' advice for the rest of the day, one short section per tip."""
    return "".join(
        f"<p style='margin-top:10px; margin-bottom:2px'><b>{html.escape(tip.title)}</b></p>"
        f"<p style='margin-top:0px'>{html.escape(tip.text)}</p>"
        for tip in guide.tips
    )


class SafetyTab(enum.IntEnum):
    WARNING_SIGNS = 0
    TIPS = 1


class SafetyDialog(QDialog):
    """The warning signs and "pain means ease off", and beside them the guides' tips for
    your back; shown at first run and on demand (Help menu, the summary)."""

    def __init__(
        self,
        guide: SafetyGuide,
        *,
        first_run: bool,
        tab: SafetyTab = SafetyTab.WARNING_SIGNS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Safety — SI Timer")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        title = QLabel(guide.title if first_run else "Safety guidance")
        title.setProperty("role", "title")
        # A text browser wraps and sizes long rich text reliably (a word-wrapped
        # QLabel in a dialog gets its height wrong and clips the last lines).
        body = QTextBrowser()
        body.setHtml(safety_html(guide))
        body.setFrameShape(QFrame.Shape.NoFrame)
        body.setStyleSheet("font-size: 17px; background: transparent;")
        body.setAccessibleName("Safety guidance")
        body.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter goes to "I understand"
        self.tips = QTextBrowser()
        self.tips.setHtml(tips_html(guide))
        self.tips.setFrameShape(QFrame.Shape.NoFrame)
        self.tips.setStyleSheet("font-size: 17px; background: transparent;")
        self.tips.setAccessibleName("Tips for your back")
        self.tabs = QTabWidget()
        self.tabs.addTab(body, "Warning signs")
        self.tabs.addTab(self.tips, "Tips for your back")
        self.tabs.setCurrentIndex(int(tab))
        note = QFrame()
        note.setProperty("role", "notice")
        note_layout = QVBoxLayout(note)
        disclaimer = QLabel(guide.disclaimer)
        disclaimer.setWordWrap(True)
        note_layout.addWidget(disclaimer)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(
            "I understand" if first_run else "Close", QDialogButtonBox.ButtonRole.AcceptRole
        )
        ok.setProperty("role", "primary")
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)


class SettingsDialog(QDialog):
    """Voice, sound, timing and look; returns a new Settings from :meth:`settings`.

    ``test_voice`` says a sample line with the settings as they stand in the
    dialog (the "Test voice" button); without it the button is not shown.
    """

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        routines: Mapping[str, str] | None = None,
        default_reminders: tuple[ReminderSlot, ...] = (),
        test_voice: Callable[[Settings], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings — SI Timer")
        self.setMinimumWidth(520)
        self._base = settings
        form = QFormLayout()
        form.setVerticalSpacing(12)
        form.setHorizontalSpacing(18)

        self.voice = QCheckBox("Speak instructions")
        self.voice.setChecked(settings.voice)
        self.verbosity = QComboBox()
        for value, text in (
            (Verbosity.COACH, "Coach: name, position, side, hold, every phase, counts"),
            (Verbosity.TEACH, "Teach: also the steps, every time"),
            (Verbosity.MINIMAL, "Minimal: side, phase and counts only"),
            (Verbosity.OFF, "Off: sounds only"),
        ):
            self.verbosity.addItem(text, value.value)
        self.verbosity.setCurrentIndex(self.verbosity.findData(settings.verbosity.value))
        self.sounds = QCheckBox("Play chimes and ticks")
        self.sounds.setChecked(settings.sounds)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(round(settings.volume * 100))
        self.volume.setAccessibleName("Volume")

        self.lead_in = self._seconds(settings.lead_in, 0, 60, "Each routine's own")
        self.switch = self._seconds(settings.switch, 0, 60, "Each routine's own")
        self.rest_between = self._seconds(settings.rest_between, 0, 600, "Each routine's own")
        self.first_lead_in = self._plain_seconds(settings.first_lead_in, 0, 120)
        self.change_lead_in = self._plain_seconds(settings.change_lead_in, 0, 120)
        self.start_wait = self._plain_seconds(settings.start_wait, 0, 300)

        self.theme = QComboBox()
        for theme, label in (
            (Theme.SYSTEM, "Follow the system"),
            (Theme.LIGHT, "Light"),
            (Theme.DARK, "Dark"),
            (Theme.HIGH_CONTRAST, "High contrast"),
        ):
            self.theme.addItem(label, theme.value)
        self.theme.setCurrentIndex(self.theme.findData(settings.theme.value))
        self.fullscreen = QCheckBox("Start sessions in full screen")
        self.fullscreen.setChecked(settings.start_fullscreen)

        form.addRow(self._section("VOICE AND SOUND"))
        form.addRow("Voice", self.voice)
        form.addRow("What to say", self.verbosity)
        teach_note = QLabel("At Coach, an exercise is taught step by step the first 3 times.")
        teach_note.setWordWrap(True)
        teach_note.setProperty("role", "hint")
        form.addRow("", teach_note)
        form.addRow("Sounds", self.sounds)
        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume, 1)
        self.test_voice = QPushButton("Test voice")
        self.test_voice.setVisible(test_voice is not None)
        if test_voice is not None:
            self.test_voice.clicked.connect(lambda: test_voice(self.settings()))
        volume_row.addWidget(self.test_voice)
        form.addRow("Volume", volume_row)
        form.addRow(self._section("TIMING"))
        form.addRow("Get into position (s)", self.lead_in)
        form.addRow("Switch sides (s)", self.switch)
        form.addRow("Rest between exercises (s)", self.rest_between)
        form.addRow("Get into the first position (s)", self.first_lead_in)
        form.addRow("Get there after a change of position (s)", self.change_lead_in)
        form.addRow("Start by itself, from the command line (s)", self.start_wait)
        form.addRow(self._section("LOOK"))
        form.addRow("Theme", self.theme)
        form.addRow("", self.fullscreen)

        # Reminders: the person's own times, else the favourite routine's goal.
        self._default_reminders = default_reminders
        self.reminders_on = QCheckBox("Remind me to exercise")
        self.reminders_on.setChecked(settings.reminders_on)
        self.reminder_times = ReminderEditor(
            settings.reminders or default_reminders, routines or {}, self
        )
        self.start_at_login = QCheckBox("Start at login, in the background, for reminders")
        self.start_at_login.setChecked(settings.start_at_login)
        self.run_in_background = QCheckBox("Keep reminding when the window is closed")
        self.run_in_background.setChecked(settings.run_in_background)
        for follower in (self.reminder_times, self.run_in_background):
            follower.setEnabled(settings.reminders_on)
            self.reminders_on.toggled.connect(follower.setEnabled)
        form.addRow(self._section("REMINDERS"))
        form.addRow("", self.reminders_on)
        form.addRow("Times", self.reminder_times)
        form.addRow("", self.run_in_background)
        form.addRow("", self.start_at_login)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "section")
        return label

    @staticmethod
    def _seconds(value: int | None, low: int, high: int, special: str) -> QSpinBox:
        box = QSpinBox()
        # One below the range stands for "the routine decides" (shown as text).
        box.setRange(low - 1, high)
        box.setSpecialValueText(special)
        box.setValue(value if value is not None else low - 1)
        return box

    @staticmethod
    def _plain_seconds(value: int, low: int, high: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setValue(value)
        return box

    @staticmethod
    def _value(box: QSpinBox) -> int | None:
        return None if box.value() < box.minimum() + 1 else box.value()

    def settings(self) -> Settings:
        return replace(
            self._base,
            voice=self.voice.isChecked(),
            verbosity=Verbosity(self.verbosity.currentData()),
            sounds=self.sounds.isChecked(),
            volume=self.volume.value() / 100,
            lead_in=self._value(self.lead_in),
            switch=self._value(self.switch),
            rest_between=self._value(self.rest_between),
            first_lead_in=self.first_lead_in.value(),
            change_lead_in=self.change_lead_in.value(),
            start_wait=self.start_wait.value(),
            theme=Theme(self.theme.currentData()),
            start_fullscreen=self.fullscreen.isChecked(),
            reminders_on=self.reminders_on.isChecked(),
            # The suggested times are saved only once they differ from the suggestion.
            reminders=()
            if (times := self.reminder_times.slots()) == self._default_reminders
            else times,
            start_at_login=self.start_at_login.isChecked(),
            run_in_background=self.run_in_background.isChecked(),
        )
