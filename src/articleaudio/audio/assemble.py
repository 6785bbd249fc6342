"""Stage 5: the clips become one programme: trimmed edges, fades, structural pauses, exact cue timings.

Clips arrive in order and are written straight to a spill file, so memory does not grow
with the length of the article; the loudness of the programme is measured on the way.

Where a paragraph begins (or a long paragraph reaches a sentence after SEGMENT_SECONDS), the
pause is rounded to the nearest MP3 frame, by at most half a frame (13 ms at 22.05 kHz), so that
the encoder can start a new segment there (see audio.encode). Each segment then starts on the
frame grid whatever came before it, so an unchanged paragraph gives the encoder the same samples
as last time, and its frames come from the cache.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import BinaryIO

import numpy as np

from ..models import Chapter, Clip, Cue, PartTiming, Programme, Sentence, Word
from ..settings import Settings
from .encode import SEAM_SILENCE
from .loudness import LoudnessMeter, k_weighting_response
from .timing import spoken_spans, written_spans

Listener = Callable[[int, np.ndarray, bool], None]
"""Hears each clip as it is laid down: the silence before it (frames), its samples, and whether a segment ends in
that silence."""
SEGMENT_SECONDS = 30.0
"""Within a paragraph, a segment ends at the first sentence pause after this much of the programme."""
SILENCE_THRESHOLD = 200  # about -44 dBFS on 16-bit samples
TAIL_SECONDS = 0.5
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


def speech_bounds(samples: np.ndarray, rate: int) -> tuple[int, int]:
    """The frames of ``samples`` worth keeping: leading and trailing silence longer than 10 ms goes, but 15 ms of
    it stays so no onset or release is cut."""
    first = _first_loud(samples)
    if first is None:
        return 0, len(samples)
    keep = int(rate * _KEEP_MS / 1000)
    last = len(samples) - 1 - (_first_loud(samples[::-1]) or 0)
    start = max(0, first - keep) if first * 1000 >= _MIN_TRIM_MS * rate else 0
    tail = len(samples) - 1 - last
    end = min(len(samples), last + 1 + keep) if tail * 1000 >= _MIN_TRIM_MS * rate else len(samples)
    return start, end


def _first_loud(samples: np.ndarray) -> int | None:
    """The index of the first sample at or above the silence threshold, or None; looked for in windows that double,
    so a clip's speech, which starts within its first few thousand samples, is found without a pass over all of it."""
    start, size = 0, 4096
    while start < len(samples):
        piece = samples[start : start + size]
        loud = (piece >= SILENCE_THRESHOLD) | (piece <= -SILENCE_THRESHOLD)
        if loud.any():
            return start + int(np.argmax(loud))
        start, size = start + size, size * 2
    return None


def trim_edges(samples: np.ndarray, rate: int) -> np.ndarray:
    """Drop leading and trailing silence longer than 10 ms, keeping 15 ms so no onset or release is cut."""
    start, end = speech_bounds(samples, rate)
    return samples[start:end]


def fade_edges(samples: np.ndarray, rate: int, fade_ms: float) -> np.ndarray:
    """Linear fade in and out so no seam clicks."""
    n = min(int(rate * fade_ms / 1000), len(samples) // 2)
    if n <= 0:
        return samples
    out = samples.astype("<i2")  # a copy; only the edges change
    ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
    out[:n] = np.round(samples[:n].astype(np.float32) * ramp)
    out[-n:] = np.round(samples[-n:].astype(np.float32) * ramp[::-1])
    return out


def pause_kind(previous: Sentence | None, sentence: Sentence) -> str | None:
    """What separates two sentences: "sentence", "paragraph" or "section" (None before the first)."""
    if previous is None:
        return None
    if sentence.section != previous.section or (sentence.kind == "heading" and previous.kind != "heading"):
        return "section"
    if sentence.paragraph != previous.paragraph or sentence.kind != previous.kind:
        return "paragraph"
    return "sentence"


def pause_before(previous: Sentence | None, sentence: Sentence, settings: Settings) -> float:
    """Seconds of silence between two sentences, by structure: sentence < paragraph < section."""
    kind = pause_kind(previous, sentence)
    if kind is None:
        return 0.0
    return {"section": settings.section_pause, "paragraph": settings.paragraph_pause}.get(kind, settings.sentence_pause)


def seam_gap(position: int, gap: int, grid: int, rate: int) -> int | None:
    """``gap`` rounded so that the next clip starts on the frame ``grid`` with a seam's silence before it, or None
    when the pause is too short for a seam (or for the loudness filter to come to rest in it)."""
    target = round((position + gap) / grid) * grid
    return target - position if target - position >= shortest_seam(rate) else None


def shortest_seam(rate: int) -> int:
    """The least silence a cut needs: the encoder's seam, and the time the loudness filter takes to come to rest."""
    return max(SEAM_SILENCE, len(k_weighting_response(rate)))


def frames_to_ms(frames: int, rate: int) -> int:
    """Frame position as whole milliseconds."""
    return round(frames * 1000 / rate)


class ProgrammeWriter:
    """Receives (sentence, clip) pairs in order and lays them out as one programme in a spill file."""

    def __init__(
        self,
        settings: Settings,
        spill: BinaryIO | None = None,
        listener: Listener | None = None,
        voices: tuple[str, str | None] = ("", None),
        grid: Callable[[int], int | None] | None = None,
        measure: bool = True,
    ) -> None:
        self.settings = settings
        self.grid = grid
        """The encoder's frame grid for a sample rate (None: no segments); see seam_gap."""
        self.measure = measure
        """Measure the programme's loudness on the way (a streaming encoder measures what it encodes instead)."""
        self.frame_grid: int | None = None
        self.segment_start = 0
        self.cuts: list[int] = []
        self.voices = voices
        """The narrator's voice and the quote voice (None without one), as the manifest names them."""
        self.listener = listener
        self.spill = spill if spill is not None else tempfile.TemporaryFile(prefix="articleaudio-")  # noqa: SIM115  # closed by the caller via Programme.spill
        self.rate: int | None = None
        self.meter: LoudnessMeter | None = None
        self.position = 0
        self.previous: Sentence | None = None
        self.cues: list[Cue] = []
        self.spans: list[tuple[int, int]] = []

    def _silence(self, frames: int) -> None:
        if frames <= 0:
            return
        self.spill.write(b"\x00\x00" * frames)
        if self.meter is not None:
            self.meter.feed_silence(frames)
        self.position += frames

    def _gap(self, sentence: Sentence) -> tuple[int, bool]:
        """Frames of silence before ``sentence``, and whether a segment ends in them."""
        assert self.rate is not None
        kind = pause_kind(self.previous, sentence)
        gap = round(pause_before(self.previous, sentence, self.settings) * self.rate)
        if self.frame_grid is None or kind is None:
            return gap, False
        if kind == "sentence" and self.position - self.segment_start < SEGMENT_SECONDS * self.rate:
            return gap, False
        seam = seam_gap(self.position, gap, self.frame_grid, self.rate)
        if seam is None and self.position - self.segment_start >= 2 * SEGMENT_SECONDS * self.rate:
            # Pauses too short for a seam (a user's choice): after a minute one is lengthened to the shortest seam
            # (under 0.1 s), so that no segment, and nothing the encoder holds, grows with the article.
            end = self.position + max(gap, shortest_seam(self.rate))
            seam = -(-end // self.frame_grid) * self.frame_grid - self.position
        return (gap, False) if seam is None else (seam, True)

    def add(self, sentence: Sentence, clip: Clip) -> None:
        """Append one sentence's clip after the pause its place in the structure calls for."""
        if self.rate is None:
            self.rate = clip.sample_rate
            self.meter = LoudnessMeter(self.rate) if self.measure else None
            self.frame_grid = self.grid(self.rate) if self.grid is not None else None
        gap, cut = self._gap(sentence)
        self._silence(gap)
        if cut:
            self.cuts.append(self.position)
            self.segment_start = self.position
        whole = np.frombuffer(to_mono16(clip, self.rate).pcm, dtype="<i2")
        begin, end = speech_bounds(whole, self.rate)
        samples = fade_edges(whole[begin:end], self.rate, self.settings.fade_ms)
        if self.listener is not None:
            self.listener(gap, samples, cut)
        self.spill.write(samples.tobytes())
        if self.meter is not None:
            self.meter.feed(samples.astype(np.float32) / 32768.0)
        self.cues.append(self._cue(sentence, clip, begin, len(samples)))
        self.spans.append((self.position, len(samples)))
        self.position += len(samples)
        self.previous = sentence

    def _cue(self, sentence: Sentence, clip: Clip, begin: int, frames: int) -> Cue:
        """The sentence's cue, its words and its parts, placed where the trimmed clip lies in the programme."""
        assert self.rate is not None
        scale = self.rate / clip.sample_rate

        def trimmed(frame: int) -> int:  # a frame of the clip as a frame of what was kept of it
            return min(max(round(frame * scale) - begin, 0), frames)

        def at(frame: int) -> int:  # a frame of what was kept as a time in the programme
            return frames_to_ms(self.position + frame, self.rate or 1)

        heard = spoken_spans(sentence.spoken, [(char, trimmed(f)) for char, f in clip.marks], frames)
        words = tuple(Word(text, at(a), at(b)) for text, (a, b) in written_spans(sentence.text, sentence.spoken, heard))
        parts: tuple[PartTiming, ...] = ()
        narrator, quote = self.voices
        if quote and sentence.parts and len(sentence.parts) == len(clip.bounds) + 1:
            edges = [0, *(trimmed(b) for b in clip.bounds), frames]
            parts = tuple(
                PartTiming(p.text, p.spoken, (quote if p.quoted and quote else narrator), at(edges[i]), at(edges[i + 1]))
                for i, p in enumerate(sentence.parts)
            )
        start, end = frames_to_ms(self.position, self.rate), frames_to_ms(self.position + frames, self.rate)
        return Cue(sentence, start, end, words, "engine" if clip.marks else "interpolated", parts)

    def finish(self, title: str = "") -> Programme:
        """Close the programme with a short tail of silence."""
        if self.rate is None:
            raise ValueError("a programme needs at least one clip")
        self._silence(round(TAIL_SECONDS * self.rate))
        self.spill.flush()
        total_ms = frames_to_ms(self.position, self.rate)
        loudness = self.meter.integrated() if self.meter is not None else None
        return Programme(self.spill, self.rate, self.position, tuple(self.cues), tuple(self.spans),
                         build_chapters(self.cues, total_ms, title), loudness, tuple(self.cuts))  # fmt: skip


def assemble_stream(
    pairs: Iterable[tuple[Sentence, Clip]],
    settings: Settings,
    title: str = "",
    spill: BinaryIO | None = None,
    listener: Listener | None = None,
    voices: tuple[str, str | None] = ("", None),
    grid: Callable[[int], int | None] | None = None,
    measure: bool = True,
) -> Programme:
    """Join clips, as they arrive, into one programme with structural pauses; cues come from real sample counts.

    ``listener(gap_frames, samples, cut)`` hears each clip as it is laid down (the streaming encoder);
    ``grid(rate)`` gives the encoder's frame grid, where pauses that end a segment are rounded to.
    """
    writer = ProgrammeWriter(settings, spill, listener, voices, grid, measure)
    for sentence, clip in pairs:
        writer.add(sentence, clip)
    return writer.finish(title)


def assemble_clips(sentences: Sequence[Sentence], clips: Sequence[Clip], settings: Settings, title: str = "") -> Programme:
    """The same as assemble_stream, for clips already in hand."""
    if len(sentences) != len(clips) or not clips:
        raise ValueError("assemble_clips needs one clip per sentence, and at least one")
    return assemble_stream(zip(sentences, clips, strict=True), settings, title)


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
