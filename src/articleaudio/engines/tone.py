"""The ``tone`` engine: a deterministic stand-in whose clip length is fixed by the text.

Every character lasts exactly ``FRAMES_PER_CHAR`` frames at 175 words per minute (scaled
by the rate), so tests can assert exact sample counts and timings without a real voice.
"""

from __future__ import annotations

import math
import re
from array import array
from typing import Any

from ..errors import EngineError
from ..models import Clip
from .base import UNLIMITED_LANES, Register, Voice

SAMPLE_RATE = 22050
FRAMES_PER_CHAR = 1323  # 60 ms at 22,050 Hz
_PITCH = {"low": 220.0, "high": 440.0}


def tone_frames(text: str, rate: int) -> int:
    """How many frames the tone engine makes for ``text`` at ``rate``."""
    return len(text) * FRAMES_PER_CHAR * 175 // rate


class ToneEngine:
    """Sine tones, one per sentence, at a constant level."""

    name = "tone"
    max_lanes = UNLIMITED_LANES
    overlap_encoding = True
    reads_phonemes = True

    def __init__(self, timeout: float = 30.0, **_: Any) -> None:
        self.timeout = timeout
        """Accepted like every engine's; a tone is made at once and never comes near it."""

    def voices(self) -> list[Voice]:
        return [Voice(id=k, name=f"{v:g} Hz sine", language=None, sample_rate=SAMPLE_RATE) for k, v in _PITCH.items()]

    def resolve_voice(self, voice: str | None, language: str | None = None) -> str:
        if voice is None:
            return "low"
        if voice not in _PITCH:
            raise EngineError(f"unknown voice {voice!r} for engine tone (choose low or high)")
        return voice

    def version(self) -> str:
        return "tone 2"

    def synthesize(self, text: str, voice: str, rate: int) -> Clip:
        if not text.strip():
            raise EngineError("empty text given to the tone engine")
        frames = tone_frames(text, rate)
        step = 2 * math.pi * _PITCH[voice] / SAMPLE_RATE
        samples = array("h", (int(8000 * math.sin(step * i)) for i in range(frames)))
        # each character lasts the same time, so each word begins exactly where its first character does
        marks = tuple((m.start(), tone_frames(text[: m.start()], rate)) for m in re.finditer(r"\S+", text))
        return Clip(samples.tobytes(), SAMPLE_RATE, 2, 1, marks)

    def close(self) -> None:
        return None


def register(register_engine: Register) -> None:
    """Entry point: add the tone engine to the registry."""
    register_engine("tone", ToneEngine)
