"""Stage 5: one validated clip per sentence from a speech engine, retried on failure."""

from __future__ import annotations

import logging
from array import array
from collections.abc import Callable, Sequence

from .engines import Engine
from .errors import EngineError
from .models import Clip, Sentence
from .segment import chunk_for_engine

LOGGER = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
BREATH_SECONDS = 0.12
RETRIES = 2


def expected_seconds(spoken: str, rate: int) -> float:
    """Roughly how long ``spoken`` lasts at ``rate`` words per minute."""
    words = max(1, len(spoken.split()))
    return words * 60.0 / max(rate, 1)


def validate_clip(clip: Clip, spoken: str, rate: int) -> str | None:
    """Why ``clip`` cannot be the narration of ``spoken``, or None when it can.

    Catches empty and truncated files, silent output, an implausible sample rate and a
    duration far from what the text needs (a clip for another sentence, or a runaway).
    """
    if clip.sample_width != 2 or clip.channels not in (1, 2):
        return f"unsupported format ({clip.sample_width * 8}-bit, {clip.channels} channels)"
    if not 8000 <= clip.sample_rate <= 96000:
        return f"implausible sample rate {clip.sample_rate} Hz"
    if clip.frames == 0:
        return "empty clip"
    samples = array("h")
    samples.frombytes(clip.pcm[: len(clip.pcm) // 2 * 2])
    if max(abs(min(samples)), abs(max(samples))) < 64:
        return "silent clip"
    expected = expected_seconds(spoken, rate)
    low, high = 0.25 * expected, 3.0 * expected + 1.5
    if not low <= clip.duration <= high:
        return f"duration {clip.duration:.2f} s is implausible for {len(spoken.split())} words (expected about {expected:.2f} s)"
    return None


def _join(clips: list[Clip]) -> Clip:
    first = clips[0]
    if len(clips) == 1:
        return first
    gap = b"\x00" * (int(first.sample_rate * BREATH_SECONDS) * first.sample_width * first.channels)
    for clip in clips[1:]:
        if (clip.sample_rate, clip.sample_width, clip.channels) != (first.sample_rate, first.sample_width, first.channels):
            raise EngineError("engine changed its audio format within one sentence")
    return Clip(gap.join(c.pcm for c in clips), first.sample_rate, first.sample_width, first.channels)


def synthesize_sentence(engine: Engine, sentence: Sentence, voice: str, rate: int, retries: int = RETRIES) -> Clip:
    """Speak one sentence (in clause-sized pieces when long), validating and retrying each piece."""
    pieces: list[Clip] = []
    for chunk in chunk_for_engine(sentence.spoken):
        problem = "not attempted"
        for attempt in range(retries + 1):
            try:
                clip = engine.synthesize(chunk, voice, rate)
            except EngineError as exc:
                problem = exc.message
            else:
                problem = validate_clip(clip, chunk, rate) or ""
                if not problem:
                    pieces.append(clip)
                    break
            LOGGER.warning("sentence %d, attempt %d: %s", sentence.index + 1, attempt + 1, problem)
        else:
            excerpt = sentence.text if len(sentence.text) <= 80 else sentence.text[:79] + "…"
            raise EngineError(f"{engine.name} failed on sentence {sentence.index + 1} ({excerpt!r}): {problem}")
    return _join(pieces)


def synthesize_sentences(
    sentences: Sequence[Sentence],
    engine: Engine,
    voice: str,
    rate: int,
    progress: Progress | None = None,
) -> list[Clip]:
    """One clip per sentence, in order."""
    clips: list[Clip] = []
    for done, sentence in enumerate(sentences, start=1):
        clips.append(synthesize_sentence(engine, sentence, voice, rate))
        if progress:
            progress("synthesize", done, len(sentences))
    return clips
