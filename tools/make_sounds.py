"""Synthesise si-timer's cue sounds (tick, chimes, arpeggio) as small WAV files.

We make our own sounds so that every byte we ship has a known licence and can
be rebuilt: the script uses only the standard library, has no randomness and
writes 16-bit mono 44.1 kHz WAVs with soft attacks, fade-outs that end on
zero (no clicks) and a modest peak level.

Regenerate after changing a sound, from the repository root::

    python tools/make_sounds.py                 # writes resources/sounds/*.wav
    python tools/make_sounds.py --out-dir DIR   # writes elsewhere

``tests/ui/test_sounds.py`` imports this file, regenerates into a temporary
folder and fails if the result differs from the committed WAVs by one byte,
so commit the WAVs together with the change to this script.
"""

from __future__ import annotations

import argparse
import math
import sys
import wave
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_RATE = 44_100
SAMPLE_WIDTH = 2  # bytes: 16-bit PCM
FULL_SCALE = 32_767
DEFAULT_PEAK_DBFS = -6.0

DEFAULT_OUT_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"

Samples = list[float]


@dataclass(frozen=True)
class Partial:
    """One mode of a struck object: a sine at ``ratio`` × the note's pitch.

    Higher modes of real bells, bars and blocks die away faster; giving each
    partial its own ``decay`` (seconds to fall to 1/e) is what makes a sum of
    sines sound struck rather than electronic.
    """

    ratio: float
    amplitude: float
    decay: float


# Timbres.  Mostly harmonic ratios keep the chimes sweet; one slightly
# inharmonic partial gives the bell its shimmer without sounding sour.
BELL = (
    Partial(1.0, 1.0, 0.45),
    Partial(2.0, 0.32, 0.22),
    Partial(3.0, 0.10, 0.12),
    Partial(4.16, 0.05, 0.06),
)
SOFT_BELL = (
    Partial(1.0, 1.0, 0.60),
    Partial(2.0, 0.22, 0.30),
    Partial(3.0, 0.06, 0.15),
)
# Marimba bars are tuned so the first overtone sits two octaves up.
MARIMBA = (
    Partial(1.0, 1.0, 0.20),
    Partial(4.0, 0.16, 0.04),
    Partial(10.0, 0.02, 0.012),
)
WARM = (
    Partial(1.0, 1.0, 0.70),
    Partial(2.0, 0.35, 0.35),
    Partial(3.0, 0.12, 0.20),
    Partial(4.0, 0.04, 0.10),
)
# A wood block's modes are strongly inharmonic and very short.
WOOD = (
    Partial(1.0, 1.0, 0.014),
    Partial(2.47, 0.35, 0.008),
    Partial(4.1, 0.12, 0.005),
)

# Equal-tempered pitches (Hz).
C4, D4, G4 = 261.63, 293.66, 392.00
A4, C5, E5, G5, A5 = 440.00, 523.25, 659.26, 783.99, 880.00


def silence(seconds: float) -> Samples:
    return [0.0] * round(seconds * SAMPLE_RATE)


def strike(
    signal: Samples,
    at: float,
    pitch: float,
    timbre: Sequence[Partial],
    *,
    level: float = 1.0,
    attack: float = 0.004,
) -> None:
    """Add one struck note to ``signal`` starting ``at`` seconds.

    The raised-cosine ``attack`` (a few milliseconds) is what keeps the onset
    from clicking: a sine that starts at full amplitude is a step in its slope.
    """
    start = round(at * SAMPLE_RATE)
    attack_samples = max(1, round(attack * SAMPLE_RATE))
    for i in range(len(signal) - start):
        t = i / SAMPLE_RATE
        value = 0.0
        for partial in timbre:
            frequency = pitch * partial.ratio
            if frequency >= SAMPLE_RATE / 2:
                continue  # would alias into a harsh low whistle
            value += (
                partial.amplitude
                * math.exp(-t / partial.decay)
                * math.sin(2.0 * math.pi * frequency * t)
            )
        if i < attack_samples:
            value *= 0.5 - 0.5 * math.cos(math.pi * i / attack_samples)
        signal[start + i] += level * value


def knock(signal: Samples, *, level: float, decay: float, cutoff: float) -> None:
    """Add a short low-passed noise burst: the 'wood' in a wood-block tick.

    The noise comes from a fixed linear congruential generator, not
    :mod:`random`, so the bytes never change between Python versions.
    """
    state = 0x2545F491
    smoothed = 0.0
    # One-pole low-pass: takes the hiss off the noise, leaving a soft knock.
    alpha = 1.0 - math.exp(-2.0 * math.pi * cutoff / SAMPLE_RATE)
    attack_samples = round(0.001 * SAMPLE_RATE)
    for i in range(min(len(signal), round(decay * 8 * SAMPLE_RATE))):
        state = (1_103_515_245 * state + 12_345) & 0x7FFF_FFFF
        noise = state / 0x3FFF_FFFF - 1.0
        smoothed += alpha * (noise - smoothed)
        envelope = math.exp(-i / SAMPLE_RATE / decay)
        if i < attack_samples:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * i / attack_samples)
        signal[i] += level * envelope * smoothed


def finish_signal(signal: Samples, fade_out: float, peak_dbfs: float) -> array[int]:
    """Fade the tail to exactly zero, scale to the peak level and quantise."""
    fade_samples = min(len(signal), round(fade_out * SAMPLE_RATE))
    for i in range(fade_samples):
        # Raised cosine from 1 down to 0 on the last sample.
        gain = 0.5 + 0.5 * math.cos(math.pi * (i + 1) / fade_samples)
        signal[len(signal) - fade_samples + i] *= gain
    peak = max(abs(value) for value in signal)
    scale = FULL_SCALE * 10 ** (peak_dbfs / 20) / peak
    return array("h", (round(value * scale) for value in signal))


def make_tick() -> array[int]:
    """~60 ms soft wood-block tick for the last seconds of a hold."""
    signal = silence(0.060)
    strike(signal, 0.0, 1_150.0, WOOD, attack=0.0015)
    knock(signal, level=0.25, decay=0.003, cutoff=2_500.0)
    # Slightly under the others: it repeats once a second near the end of a hold.
    return finish_signal(signal, fade_out=0.015, peak_dbfs=-8.0)


def make_chime() -> array[int]:
    """~0.6 s two-note bell 'ding-dong' (E5 down to C5) for a change of phase."""
    signal = silence(0.60)
    strike(signal, 0.0, E5, BELL)
    strike(signal, 0.16, C5, BELL, level=0.9)
    return finish_signal(signal, fade_out=0.12, peak_dbfs=DEFAULT_PEAK_DBFS)


def make_chime_back() -> array[int]:
    """~0.6 s two-note bell rising C5 up to E5: the way back in a paced rep (release, cow)."""
    signal = silence(0.60)
    strike(signal, 0.0, C5, BELL, level=0.9)
    strike(signal, 0.16, E5, BELL)
    return finish_signal(signal, fade_out=0.12, peak_dbfs=DEFAULT_PEAK_DBFS)


def make_switch() -> array[int]:
    """~0.5 s rising marimba fifth (A4 up to E5): 'switch sides'."""
    signal = silence(0.50)
    strike(signal, 0.0, A4, MARIMBA)
    strike(signal, 0.14, E5, MARIMBA)
    strike(signal, 0.28, E5, MARIMBA, level=0.35)  # soft echo makes it read as 'over here'
    return finish_signal(signal, fade_out=0.10, peak_dbfs=DEFAULT_PEAK_DBFS)


def make_rest() -> array[int]:
    """~0.8 s calm low descending chime (G4 down to C4) as a rest begins."""
    signal = silence(0.80)
    strike(signal, 0.0, G4, SOFT_BELL, attack=0.012)
    strike(signal, 0.24, C4, SOFT_BELL, attack=0.012)
    return finish_signal(signal, fade_out=0.20, peak_dbfs=DEFAULT_PEAK_DBFS)


def make_finish() -> array[int]:
    """~1.5 s warm rising C-major arpeggio (C5, E5, G5) when the session ends."""
    signal = silence(1.50)
    strike(signal, 0.0, C5, WARM, level=0.8, attack=0.008)
    strike(signal, 0.18, E5, WARM, level=0.75, attack=0.008)
    strike(signal, 0.36, G5, WARM, level=0.75, attack=0.008)
    strike(signal, 0.36, C4, SOFT_BELL, level=0.25, attack=0.02)  # quiet root to close warmly
    return finish_signal(signal, fade_out=0.45, peak_dbfs=DEFAULT_PEAK_DBFS)


def make_start() -> array[int]:
    """~0.3 s 'go' cue: a quick grace note (D4) into a bright A5."""
    signal = silence(0.30)
    strike(signal, 0.0, D4 * 2, MARIMBA, level=0.5)
    strike(signal, 0.05, A5, BELL, attack=0.003)
    return finish_signal(signal, fade_out=0.08, peak_dbfs=DEFAULT_PEAK_DBFS)


SOUNDS: dict[str, Callable[[], array[int]]] = {
    "tick": make_tick,
    "chime": make_chime,
    "chime-back": make_chime_back,
    "switch": make_switch,
    "rest": make_rest,
    "finish": make_finish,
    "start": make_start,
}


def write_wav(path: Path, samples: array[int]) -> None:
    """Write ``samples`` as 16-bit mono PCM; WAV data is little-endian."""
    data = array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(data.tobytes())


def write_all(out_dir: Path) -> list[Path]:
    """Synthesise every sound into ``out_dir``; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in SOUNDS.items():
        path = out_dir / f"{name}.wav"
        write_wav(path, make())
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help=f"where to write the WAV files (default: {DEFAULT_OUT_DIR})",
    )
    args = parser.parse_args(argv)
    for path in write_all(args.out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
