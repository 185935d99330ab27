"""No audio output and no speech engine: the session runs on visuals, told once each.

The settings ask for a speech engine that does not exist, and the environment
points PulseAudio and PipeWire at sockets that do not exist, so the test means
the same on a machine that does have sound.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.realapp import Launcher, offscreen_env, prepare_data_dir

pytestmark = pytest.mark.slow  # real processes: kept out of the inner loop

NO_AUDIO = "No audio output device was found, so sounds are off."
NO_SPEECH = "The speech engine 'no-such-engine' is not installed"


def test_session_completes_without_sound_or_voice_and_says_so_once(
    launcher: Launcher, tmp_path: Path
) -> None:
    root = prepare_data_dir(tmp_path / "quiet", speech_engine="no-such-engine")
    env = offscreen_env(
        PULSE_SERVER=f"unix:{tmp_path}/no-pulse",
        PIPEWIRE_REMOTE=str(tmp_path / "no-pipewire"),
    )
    run = launcher.start(
        root, "start", "pelvic-rotation", "--time-scale", "30", name="quiet", env=env
    )
    ended = run.wait_session_ended(timeout=30)
    assert ended["status"] == "completed", run.describe()
    assert ended["done"] == ended["total"], run.describe()
    run.assert_no_traceback()
    events = run.events()
    started = [e["index"] for e in events if e["event"] == "segment_started"]
    assert started == sorted(set(started)), "every step shown once, in order"
    # The cues still come (the screen shows them); only the voice stays silent.
    assert any(e["event"] == "cue" for e in events)
    assert not any(e["event"] == "spoken" for e in events)
    messages = run.messages()
    audio = [m for m in messages if m == NO_AUDIO]
    speech = [m for m in messages if m.startswith(NO_SPEECH)]
    assert len(audio) == 1, f"one notice about sound, not {len(audio)}{run.describe()}"
    assert len(speech) == 1, f"one notice about the voice, not {len(speech)}{run.describe()}"
    assert speech[0].endswith("so spoken cues are off.")
