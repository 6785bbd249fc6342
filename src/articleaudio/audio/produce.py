"""Stages 4 to 6 as one stream: clips from the engines, joined into a programme, encoded as the MP3 grows."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EngineError
from ..models import Chapter, Clip, Cue, Programme, Sentence, public_voice
from ..settings import Settings
from .assemble import assemble_stream
from .cache import ClipCache
from .encode import Encoded, StreamingEncoder, encode_programme, frame_grid
from .loudness import LoudnessMeter, plan_gain
from .synthesize import EnginePool, Progress, SynthesisStats, Voicing, synthesize_stream

LOGGER = logging.getLogger(__name__)

# LAME puts 1,105 frames (576 encoder + 529 decoder delay) of silence before the audio and
# lameenc writes no gapless header to announce it, so players hear everything that much later.
ENCODER_DELAY_FRAMES = 1105
# How far the loudness planned on the opening may miss the target before the whole is encoded again.
LOUDNESS_TOLERANCE = 0.5


@dataclass(frozen=True)
class Produced:
    """The encoded MP3's measurements and its timings, as heard (after the encoder's delay)."""

    encoded: Encoded
    """Loudness and true peak of the encoded programme."""
    cues: tuple[Cue, ...]
    """One per sentence."""
    chapters: tuple[Chapter, ...]
    """One per section with a heading."""
    duration_ms: int
    """Length of the MP3's audio."""


class _EncoderFeed:
    """Starts a streaming encoder at the first clip's sample rate and hands it the programme as it is assembled."""

    def __init__(self, path: Path, settings: Settings, progress: Progress, cache: ClipCache | None) -> None:
        self.path = path
        self.settings = settings
        self.progress = progress
        self.cache = cache
        self.rate: int | None = None
        self.encoder: StreamingEncoder | None = None

    def note_rate(self, pairs: Iterable[tuple[Sentence, Clip | None]], stats: SynthesisStats) -> Iterator[tuple[Sentence, Clip]]:
        """The sentences that have a clip (a sentence left out has None), noting the first clip's sample rate."""
        for sentence, clip in pairs:
            if clip is None:
                continue
            if self.rate is None:
                self.rate = clip.sample_rate
            yield sentence, clip
        if self.rate is None:
            reason = stats.left_out[0].reason if stats.left_out else "there was nothing to say"
            raise EngineError(f"no sentence could be spoken ({reason})")

    def listen(self, gap: int, samples: Any, cut: bool) -> None:
        if self.encoder is None:
            assert self.rate is not None
            self.progress("encode", 0, 1)
            self.encoder = StreamingEncoder(self.rate, self.path, self.settings.bitrate, self.settings.loudness, _ceiling(self.settings),
                                            cache=self.cache)  # fmt: skip
        self.encoder.add(gap, samples, cut)


def _ceiling(settings: Settings) -> float | None:
    return settings.true_peak if settings.loudness is not None else None


def produce_mp3(
    sentences: Sequence[Sentence],
    pool: EnginePool,
    voicing: Voicing,
    settings: Settings,
    path: Path,
    *,
    title: str,
    cache: ClipCache | None,
    stats: SynthesisStats,
    progress: Progress,
    overlap_encoding: bool = True,
) -> Produced:
    """Synthesize ``sentences``, assemble them with pauses and encode the MP3 at ``path``.

    With ``overlap_encoding`` the encoder starts on the opening while the rest is still being
    spoken (its gain planned on the opening); an engine that keeps every core busy by itself
    passes False, and the whole programme is measured first.
    """
    feed = _EncoderFeed(path, settings, progress, cache)
    try:
        clips = synthesize_stream(
            sentences, pool, voicing.voice, settings.rate, cache=cache, voicing=voicing, stats=stats, progress=progress,
            strict=settings.strict, quote_voice=voicing.quote_voice,
        )  # fmt: skip
        pairs = feed.note_rate(zip(sentences, clips, strict=True), stats)
        programme = assemble_stream(
            pairs,
            settings,
            title=title,
            listener=feed.listen if overlap_encoding else None,
            voices=(public_voice(voicing.voice), public_voice(voicing.quote_voice) if voicing.quote_voice else None),
            grid=lambda rate: frame_grid(rate, settings.bitrate),
            measure=not overlap_encoding,
        )
    except BaseException:
        if feed.encoder is not None:
            feed.encoder.abandon()
        raise
    if cache is not None:
        cache.trim()
    with programme.spill:
        encoded = _encode(programme, feed.encoder, settings, path, cache)
    return _as_heard(programme, encoded)


def _encode(programme: Programme, encoder: StreamingEncoder | None, settings: Settings, path: Path, cache: ClipCache | None) -> Encoded:
    """Finish the streamed MP3 (or encode the whole programme), then encode again if the loudness missed."""
    if encoder is None:  # not streamed: plan the gain on the whole programme and encode it
        encoded = encode_programme(programme, path, settings.bitrate, _gain(programme, settings), _ceiling(settings), cache)
    else:
        last_start, last_frames = programme.spans[-1]
        encoded = encoder.finish(programme.frames - last_start - last_frames)
    if settings.loudness is not None and abs(encoded.loudness_lufs - settings.loudness) > LOUDNESS_TOLERANCE:
        # The opening was not representative: plan on the whole programme and encode again.
        LOGGER.info("loudness %.2f LUFS missed the target; encoding again", encoded.loudness_lufs)
        gain = _gain(programme, settings, again=True)
        encoded = encode_programme(programme, path, settings.bitrate, gain, _ceiling(settings), cache)
    return encoded


def _gain(programme: Programme, settings: Settings, again: bool = False) -> float:
    """The gain that brings the whole programme to the target loudness under the true-peak ceiling."""
    if settings.loudness is None or (programme.loudness_lufs is None and not again):
        return 0.0
    loudness = programme.loudness_lufs if programme.loudness_lufs is not None else programme_loudness(programme)
    return plan_gain(programme.spill, programme.sample_rate, programme.spans, loudness, settings.loudness, settings.true_peak)


def programme_loudness(programme: Programme) -> float:
    """Integrated loudness of the programme as assembled, measured from its spill file."""
    meter = LoudnessMeter(programme.sample_rate)
    position = 0
    for start, frames in programme.spans:
        meter.feed_silence(start - position)
        programme.spill.seek(start * 2)
        meter.feed(np.frombuffer(programme.spill.read(frames * 2), dtype="<i2").astype(np.float32) / np.float32(32768.0))
        position = start + frames
    meter.feed_silence(programme.frames - position)
    return meter.integrated()


def _as_heard(programme: Programme, encoded: Encoded) -> Produced:
    """Timings moved by the encoder's delay, which players hear as silence before the first sample."""
    delay_ms = round(ENCODER_DELAY_FRAMES * 1000 / programme.sample_rate)
    cues = tuple(c.shifted(delay_ms) for c in programme.cues)
    chapters = tuple(
        replace(c, start_ms=0 if i == 0 else c.start_ms + delay_ms, end_ms=c.end_ms + delay_ms) for i, c in enumerate(programme.chapters)
    )
    duration_ms = round(programme.frames * 1000 / programme.sample_rate) + delay_ms
    return Produced(encoded, cues, chapters, duration_ms)
