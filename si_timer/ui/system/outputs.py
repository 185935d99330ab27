"""Where a cue goes: the sound player and the voice, behind one object that follows settings.

Both are built when a session first needs them (QtMultimedia and QtTextToSpeech
load plugins, a third of start-up), and each pulls the settings fields it cares
about from :meth:`CueOutputs.apply_settings`, so the composition root never
pushes values into them by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from si_timer.config.settings import Settings
from si_timer.session.cues import Cue
from si_timer.session.verbosity import Verbosity

# What "Test voice" says at each level (at "off" too: the voice is being tested).
TEST_SPEECH = {
    Verbosity.OFF: "Left leg first: left knee to your chest. Hold for 20 seconds.",
    Verbosity.MINIMAL: "Left leg first. Hold.",
    Verbosity.COACH: "Knee-to-chest stretch. Left leg first: left knee to your chest. "
    "Hold for 20 seconds.",
    Verbosity.TEACH: "Knee-to-chest stretch. Lie on your back, legs long. Clasp your hands "
    "around one shin and ease that knee in toward your chest. Left leg first.",
}

if TYPE_CHECKING:
    from si_timer.ui.system.audio import SoundPlayer
    from si_timer.ui.system.speech import Speaker


class CueOutputs(QObject):
    """Plays sounds and says lines for a session; mute silences both.

    Signals:
        sound_unavailable(str): sounds cannot be played; one sentence for the person.
        voice_unavailable(str): the voice cannot speak; one sentence for the person.
        spoken(str): a line was handed to the speech engine.
        muted_changed(bool): mute was switched on or off.
    """

    sound_unavailable = Signal(str)
    voice_unavailable = Signal(str)
    spoken = Signal(str)
    muted_changed = Signal(bool)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._muted = False
        self._sounds: SoundPlayer | None = None
        self._speaker: Speaker | None = None

    # --- what a session uses -------------------------------------------------

    def prepare(self) -> None:
        """Load the sounds, then the voice, so the first cue of a session is on time.

        Sounds first: QtMultimedia and QtTextToSpeech both load plugins, and
        starting both at once (speech on its own thread) can deadlock on Qt's
        plugin-loader lock and Python's GIL.
        """
        self.sounds.preload()
        self.speaker.warm_up()

    def play(self, cue: Cue) -> None:
        """Hand a cue's sound and line to their outputs (a timed line queues, others cut in)."""
        if cue.sound is not None and not self._muted:
            self.sounds.play(cue.sound)
        if cue.speech:
            self.say(cue.speech, interrupt=cue.interrupt)

    def say(self, text: str, *, interrupt: bool = False) -> None:
        if self._speaker is not None and not self._muted and self._settings.voice:
            self._speaker.say(text, interrupt)

    def hush(self) -> None:
        """Stop what is being said (the person moved on: it is out of date)."""
        if self._speaker is not None:
            self._speaker.stop()

    def test_voice(self, settings: Settings) -> None:
        """Say a sample line of ``settings``' level at its volume, whatever mute and the
        voice switch say."""
        speaker = self.speaker
        speaker.set_volume(settings.volume)
        speaker.set_enabled(True)
        speaker.say(TEST_SPEECH[settings.verbosity], True)

    @property
    def speech_rate(self) -> float:
        """The voice's rate (-1 to 1), for the cue script's length estimate."""
        return self._speaker.rate() if self._speaker is not None else 0.0

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        if muted == self._muted:
            return
        self._muted = muted
        self._apply()
        self.muted_changed.emit(muted)

    def toggle_muted(self) -> None:
        self.set_muted(not self._muted)

    # --- settings ------------------------------------------------------------

    def apply_settings(self, new: Settings, old: Settings) -> None:
        """React to the fields that concern sound and voice."""
        self._settings = new
        if new.speech_engine != old.speech_engine and self._speaker is not None:
            # A different engine is a different plugin: the next session loads it.
            self._speaker.close()
            self._speaker.deleteLater()
            self._speaker = None
        self._apply()

    def _apply(self) -> None:
        s = self._settings
        if self._sounds is not None:
            self._sounds.set_volume(s.volume)
            self._sounds.set_muted(self._muted or not s.sounds)
        if self._speaker is not None:
            self._speaker.set_volume(s.volume)
            self._speaker.set_enabled(s.voice and not self._muted)

    # --- the parts, built on first use ---------------------------------------

    @property
    def sounds(self) -> SoundPlayer:
        if self._sounds is None:
            from si_timer.ui.system.audio import SoundPlayer

            s = self._settings
            self._sounds = SoundPlayer(self, volume=s.volume, muted=self._muted or not s.sounds)
            self._sounds.unavailable.connect(self.sound_unavailable)
        return self._sounds

    @property
    def speaker(self) -> Speaker:
        if self._speaker is None:
            from si_timer.ui.system.speech import Speaker

            s = self._settings
            self._speaker = Speaker(s.speech_engine or None, self)
            self._speaker.unavailable.connect(self.voice_unavailable)
            self._speaker.spoken.connect(self.spoken)
            self._speaker.set_volume(s.volume)
            self._speaker.set_enabled(s.voice and not self._muted)
        return self._speaker

    @property
    def has_speaker(self) -> bool:
        return self._speaker is not None

    def close(self) -> None:
        if self._speaker is not None:
            self._speaker.close()
