"""Stage 6: one programme from the clips: trimmed edges, fades, structural pauses, exact cue timings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .models import Chapter, Clip, Cue, Programme, Sentence
from .settings import Settings

SILENCE_THRESHOLD = 200  # about -44 dBFS on 16-bit samples
_MIN_TRIM_MS = 10
_KEEP_MS = 15


def to_mono16(clip: Clip, rate: int) -> Clip:
    """``clip`` as mono 16-bit PCM at ``rate``; converted once, with pydub, only when it differs."""
    if (clip.sample_rate, clip.sample_width, clip.channels) == (rate, 2, 1):
        return clip
    from pydub import AudioSegment

    segment = AudioSegment(data=clip.pcm, sample_width=clip.sample_width, frame_rate=clip.sample_rate, channels=clip.channels)
    segment = segment.set_channels(1).set_sample_width(2).set_frame_rate(rate)
    return Clip(segment.raw_data, rate, 2, 1)


def trim_edges(samples: np.ndarray, rate: int) -> np.ndarray:
    """Drop leading and trailing silence longer than 10 ms, keeping 15 ms so no onset or release is cut."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) >= SILENCE_THRESHOLD)
    if not len(loud):
        return samples
    keep = int(rate * _KEEP_MS / 1000)
    first, last = int(loud[0]), int(loud[-1])
    start = max(0, first - keep) if first * 1000 >= _MIN_TRIM_MS * rate else 0
    tail = len(samples) - 1 - last
    end = min(len(samples), last + 1 + keep) if tail * 1000 >= _MIN_TRIM_MS * rate else len(samples)
    return samples[start:end]


def fade_edges(samples: np.ndarray, rate: int, fade_ms: float) -> np.ndarray:
    """Linear fade in and out so no seam clicks."""
    n = min(int(rate * fade_ms / 1000), len(samples) // 2)
    if n <= 0:
        return samples
    out = samples.astype(np.float32)
    ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
    out[:n] *= ramp
    out[-n:] *= ramp[::-1]
    return np.round(out).astype("<i2")


def pause_before(previous: Sentence | None, sentence: Sentence, settings: Settings) -> float:
    """Seconds of silence between two sentences, by structure: sentence < paragraph < section."""
    if previous is None:
        return 0.0
    if sentence.section != previous.section or (sentence.kind == "heading" and previous.kind != "heading"):
        return settings.section_pause
    if sentence.paragraph != previous.paragraph or sentence.kind != previous.kind:
        return settings.paragraph_pause
    return settings.sentence_pause


def prepare_clip(clip: Clip, rate: int, fade_ms: float) -> np.ndarray:
    """A clip as trimmed, faded mono 16-bit samples at the programme rate."""
    samples = np.frombuffer(to_mono16(clip, rate).pcm, dtype="<i2")
    return fade_edges(trim_edges(samples, rate), rate, fade_ms)


def assemble_clips(sentences: Sequence[Sentence], clips: Sequence[Clip], settings: Settings, title: str = "") -> Programme:
    """Join clips with structural pauses into one programme; cues come from real sample counts."""
    if len(sentences) != len(clips) or not clips:
        raise ValueError("assemble_clips needs one clip per sentence, and at least one")
    rate = clips[0].sample_rate
    parts: list[bytes] = []
    cues: list[Cue] = []
    position = 0
    previous: Sentence | None = None
    for sentence, clip in zip(sentences, clips, strict=True):
        gap = round(pause_before(previous, sentence, settings) * rate)
        if gap:
            parts.append(b"\x00\x00" * gap)
            position += gap
        samples = prepare_clip(clip, rate, settings.fade_ms)
        parts.append(samples.tobytes())
        cues.append(Cue(sentence, frames_to_ms(position, rate), frames_to_ms(position + len(samples), rate)))
        position += len(samples)
        previous = sentence
    tail = round(0.5 * rate)
    parts.append(b"\x00\x00" * tail)
    position += tail
    pcm = b"".join(parts)
    return Programme(pcm, rate, tuple(cues), build_chapters(cues, frames_to_ms(position, rate), title))


def frames_to_ms(frames: int, rate: int) -> int:
    """Frame position as whole milliseconds."""
    return round(frames * 1000 / rate)


def build_chapters(cues: Sequence[Cue], total_ms: int, title: str = "") -> tuple[Chapter, ...]:
    """One chapter per section (its heading as title) plus the introduction; none when only one would result."""
    starts: list[tuple[str, int]] = []
    last_key: tuple[str, int] | None = None
    for cue in cues:
        s = cue.sentence
        if s.kind in {"intro", "outro"}:
            key, name = (s.kind, -1), ("Introduction" if s.kind == "intro" else "Closing")
        else:
            key, name = ("section", s.section), (s.text if s.kind == "heading" else title or "Article")
        if key != last_key:
            starts.append((name, cue.start_ms))
            last_key = key
    if len(starts) < 2:
        return ()
    chapters = []
    for i, (name, start) in enumerate(starts):
        begin = 0 if i == 0 else start
        end = starts[i + 1][1] if i + 1 < len(starts) else total_ms
        chapters.append(Chapter(name, begin, end))
    return tuple(chapters)
