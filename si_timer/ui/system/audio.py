"""Short cue sounds (tick, chimes) played through QSoundEffect.

The person is on a mat two metres away, so sounds carry the session as much as
the screen does; but a laptop with no working audio output must still run the
session, silently, after saying once why it is quiet.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

try:
    from PySide6.QtMultimedia import QtAudio
except ImportError:  # PySide6 < 6.7 (pyproject allows 6.6) calls it QAudio
    from PySide6.QtMultimedia import QAudio as QtAudio  # type: ignore[assignment]

from si_timer import assets
from si_timer.session.cues import Sound

log = logging.getLogger(__name__)


def sound_file(sound: Sound) -> str:
    """The bundled WAV file for a cue (made by ``tools/make_sounds.py``)."""
    return assets.sound_path(sound.value)


def missing_output_reason() -> str | None:
    """Why sounds cannot play at all, or ``None`` when an output device exists.

    A module function so that tests can pretend a device exists; the first
    call initialises the multimedia backend (tens of milliseconds), which is
    why :class:`SoundPlayer` only calls it when a sound is first needed.
    """
    if not QMediaDevices.audioOutputs():
        return "No audio output device was found, so sounds are off."
    return None


class SoundPlayer(QObject):
    """Plays :class:`Sound` cues; degrades to silence when audio does not work.

    No audio device is probed and no file is loaded until the first
    :meth:`play` or :meth:`preload`, so building the player costs nothing
    at startup.
    ``volume`` is perceived loudness from 0 to 1 (a slider position); it is
    mapped to QSoundEffect's linear gain on a logarithmic scale so that
    equal slider steps sound like equal steps.

    Signals:
        unavailable(str): sounds cannot be played; the argument is one
            sentence for the person. Emitted at most once per player, the
            first time a problem shows (no output device, or a sound that
            fails to load or play); after that affected sounds are skipped.
    """

    unavailable = Signal(str)

    def __init__(
        self, parent: QObject | None = None, *, volume: float = 0.8, muted: bool = False
    ) -> None:
        super().__init__(parent)
        self._volume = _clamp(volume)
        self._muted = muted
        self._effects: dict[Sound, QSoundEffect] = {}
        self._broken: set[Sound] = set()
        self._output_checked = False
        self._silent = False
        self._reported = False

    # -- public API -----------------------------------------------------------

    def preload(self) -> None:
        """Load every sound now so the first cue plays without delay.

        Call it once the window is up (e.g. from a zero-delay single-shot
        timer); decoding happens asynchronously inside Qt.
        """
        if self._ensure_output():
            for sound in Sound:
                self._effect(sound)

    def play(self, sound: Sound) -> None:
        """Start ``sound``; restarts it if it is already playing."""
        if self._muted or sound in self._broken or not self._ensure_output():
            return
        effect = self._effect(sound)
        if effect is not None:
            # QSoundEffect queues play() while the file is still loading.
            effect.play()

    def set_volume(self, volume: float) -> None:
        """Set the perceived loudness, from 0 (silent) to 1 (full); clamped."""
        self._volume = _clamp(volume)
        gain = self._linear_gain()
        for effect in self._effects.values():
            effect.setVolume(gain)

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute; muting also silences a sound that is playing."""
        self._muted = muted
        for effect in self._effects.values():
            effect.setMuted(muted)

    def volume(self) -> float:
        return self._volume

    def is_muted(self) -> bool:
        return self._muted

    def is_available(self) -> bool:
        """False once the player has found it cannot play anything."""
        return not self._silent

    # -- internals ------------------------------------------------------------

    def _ensure_output(self) -> bool:
        if not self._output_checked:
            self._output_checked = True
            reason = missing_output_reason()
            if reason is not None:
                self._silent = True
                self._report(reason)
        return not self._silent

    def _effect(self, sound: Sound) -> QSoundEffect | None:
        effect = self._effects.get(sound)
        if effect is None and sound not in self._broken:
            effect = QSoundEffect(self)
            effect.setVolume(self._linear_gain())
            effect.setMuted(self._muted)
            effect.statusChanged.connect(self._on_status_changed)
            effect.setSource(QUrl.fromLocalFile(sound_file(sound)))
            self._effects[sound] = effect
        return effect

    def _on_status_changed(self) -> None:
        for sound, effect in list(self._effects.items()):
            if effect.status() == QSoundEffect.Status.Error:
                # Drop it so play() does not retry a file that cannot work.
                self._broken.add(sound)
                del self._effects[sound]
                effect.deleteLater()
                self._report(
                    f"The sound {sound_file(sound)} could not be played, so that cue is silent."
                )

    def _linear_gain(self) -> float:
        return QtAudio.convertVolume(
            self._volume,
            QtAudio.VolumeScale.LogarithmicVolumeScale,
            QtAudio.VolumeScale.LinearVolumeScale,
        )

    def _report(self, message: str) -> None:
        if self._reported:
            log.debug("sound problem (already reported): %s", message)
            return
        self._reported = True
        log.info("%s", message)
        self.unavailable.emit(message)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, float(value)))
