"""Stage 4: one validated clip per sentence, from a pool of engines working in parallel, through the clip cache."""

from __future__ import annotations

import logging
import queue
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..charsets import UNSPACED
from ..engines import Engine, get_engine
from ..errors import EngineError
from ..models import Clip, Sentence, SkippedSentence, SpokenPart
from ..settings import Settings
from ..speech.sentences import chunk_for_engine
from .assemble import speech_bounds, to_mono16
from .cache import ClipCache, clip_key

LOGGER = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
# A clip whose loudest sample stays under this (of 32,767) is silence.
SILENT_PEAK = 64
# A clip is implausible shorter than this share of the time its words need, or longer than
# LONGEST_FACTOR times that plus LONGEST_SLACK seconds (a clip for another sentence, or a runaway).
SHORTEST_SHARE = 0.25
LONGEST_FACTOR = 3.0
LONGEST_SLACK = 1.5
# A clip up to this many times as long as its voice takes to spell the text letter by letter is still sound.
SPELLED_FACTOR = 1.5
# What a voice spells to measure how long it takes over a character: letters no language reads as a word.
SPELLING_PROBE = "q x z k w j v"
# Sentences submitted ahead of the one being assembled, per engine instance: enough to keep every lane busy.
AHEAD_PER_LANE = 4
BREATH_SECONDS = 0.12
RETRIES = 2


def word_count(spoken: str) -> int:
    """How many words ``spoken`` holds for timing: spaced words, a word for each character of unspaced script,
    and a word for each digit (text in a language whose numbers are left to its voice keeps its digits, and
    "0937-141993" is a dozen words in Chinese)."""
    # each character of Chinese and Japanese counts as a word: a Chinese character is a syllable, a Japanese
    # kanji often two or three, and espeak-ng's voices for both speak slower than its English one
    unspaced = len(UNSPACED.findall(spoken))
    spaced = sum(1 for word in UNSPACED.sub(" ", spoken).split() if re.search(r"[^\W_]", word))  # not a lone mark
    digits = sum(len(run) - 1 for run in re.findall(r"\d+", spoken))
    return max(1, spaced + unspaced + digits)


def expected_seconds(spoken: str, rate: int) -> float:
    """Roughly how long ``spoken`` lasts at ``rate`` words per minute."""
    return word_count(spoken) * 60.0 / max(rate, 1)


def validate_clip(clip: Clip, spoken: str, rate: int, spelling: float | Callable[[], float | None] | None = None) -> str | None:
    """Why ``clip`` cannot be the narration of ``spoken``, or None when it can.

    Catches empty and truncated files, silent output, an implausible sample rate and a
    duration far from what the text needs (a clip for another sentence, or a runaway).
    ``spelling`` is the voice's own measured seconds per character when it spells letter by letter
    (see :func:`spelling_rate`): a clip no longer than the voice would take to spell the whole text
    is long but sound (a link or a code read out by a voice of another language), and is accepted. It may be
    given as a function, called only for a clip longer than the text alone allows.
    """
    if clip.sample_width != 2 or clip.channels not in (1, 2):
        return f"unsupported format ({clip.sample_width * 8}-bit, {clip.channels} channels)"
    if not 8000 <= clip.sample_rate <= 96000:
        return f"implausible sample rate {clip.sample_rate} Hz"
    if clip.frames == 0:
        return "empty clip"
    samples = np.frombuffer(clip.pcm, dtype="<i2", count=len(clip.pcm) // 2)
    if max(-int(samples.min()), int(samples.max())) < SILENT_PEAK:
        return "silent clip"
    expected = expected_seconds(spoken, rate)
    low, high = SHORTEST_SHARE * expected, LONGEST_FACTOR * expected + LONGEST_SLACK
    if clip.duration > high and spelling is not None:
        per_character = spelling() if callable(spelling) else spelling
        if per_character:
            high = max(high, SPELLED_FACTOR * per_character * len(spoken) + LONGEST_SLACK)
    if not low <= clip.duration <= high:
        return f"duration {clip.duration:.2f} s is implausible for {word_count(spoken)} words (expected about {expected:.2f} s)"
    return None


def spelling_rate(engine: Engine, voice: str, rate: int, cache: ClipCache | None = None, voicing: Voicing | None = None) -> float | None:
    """Seconds per character when this voice spells letters one by one, measured on :data:`SPELLING_PROBE`
    (kept in the clip cache, or for the process without one); None when the engine gives no sound clip for it."""
    if cache is not None or voicing is None:
        return _measure_spelling(engine, voice, rate, cache, voicing)
    known = (voicing.engine, voicing.engine_version, voice, rate)
    if known not in _SPELLING_RATES:
        _SPELLING_RATES[known] = _measure_spelling(engine, voice, rate, None, voicing)
    return _SPELLING_RATES[known]


class SpellingRate:
    """A voice's spelling rate (see :func:`spelling_rate`), measured the first time a clip is long enough to need it:
    most narrations never do, and then no engine call is spent on it before the first sentence."""

    def __init__(self, cache: ClipCache | None, voicing: Voicing) -> None:
        self.cache, self.voicing = cache, voicing
        self.lock = threading.Lock()
        self.measured = False
        self.rate: float | None = None

    def __call__(self, engine: Engine) -> float | None:
        """The rate, measured with ``engine`` (the calling lane's own) the first time."""
        with self.lock:
            if not self.measured:
                self.rate = spelling_rate(engine, self.voicing.voice, self.voicing.rate, self.cache, self.voicing)
                self.measured = True
            return self.rate


# Without a clip cache (--no-cache), spelling rates measured in this process, by engine, engine version, voice and
# rate: a batch would otherwise measure again for every article.
_SPELLING_RATES: dict[tuple[str, str, str, int], float | None] = {}


def _measure_spelling(engine: Engine, voice: str, rate: int, cache: ClipCache | None, voicing: Voicing | None) -> float | None:
    key = clip_key(voicing.engine, voicing.engine_version, voice, rate, SPELLING_PROBE) if cache and voicing else None
    clip = cache.get(key) if cache and key else None
    if clip is None:
        try:
            clip = engine.synthesize(SPELLING_PROBE, voice, rate)
        except EngineError:
            return None
        if cache and key and clip.frames:
            cache.put(key, clip)
    return clip.duration / len(SPELLING_PROBE) if clip.frames else None


@dataclass(frozen=True)
class _Piece:
    clip: Clip
    offset: int
    """Where the piece's text begins in the sentence's spoken text."""
    part: int
    """Which part of the sentence (which voice) it belongs to."""


def _join(pieces: list[_Piece]) -> Clip:
    """One clip for the sentence: a sentence's pieces with a short breath between them, its parts (voices)
    back to back with the silence at their seam trimmed; the engines' word marks carried along."""
    first = pieces[0].clip
    if len(pieces) == 1:
        return replace(first, marks=tuple((pieces[0].offset + c, f) for c, f in first.marks))
    rate = first.sample_rate
    same = all((p.clip.sample_rate, p.clip.sample_width, p.clip.channels) == (rate, first.sample_width, first.channels) for p in pieces)
    width, channels = (first.sample_width, first.channels) if same else (2, 1)
    frame_bytes = width * channels
    gap = b"\x00" * (int(rate * BREATH_SECONDS) * frame_bytes)
    chunks: list[bytes] = []
    marks: list[tuple[int, int]] = []
    bounds: list[int] = []
    position = 0
    for i, piece in enumerate(pieces):
        clip = piece.clip if same else to_mono16(piece.clip, rate)
        scale = rate / piece.clip.sample_rate
        begin, end = 0, clip.frames
        if i and piece.part != pieces[i - 1].part:  # a new voice: no pause, only the speech
            begin = speech_bounds(_samples(clip), rate)[0]
        if i + 1 < len(pieces) and pieces[i + 1].part != piece.part:
            end = speech_bounds(_samples(clip), rate)[1]
        if i:
            if piece.part != pieces[i - 1].part:
                bounds.append(position)
            else:
                chunks.append(gap)
                position += len(gap) // frame_bytes
        chunks.append(clip.pcm[begin * frame_bytes : end * frame_bytes])
        marks += [(piece.offset + c, position + round(f * scale) - begin) for c, f in piece.clip.marks if begin <= round(f * scale) <= end]
        position += end - begin
    return Clip(b"".join(chunks), rate, width, channels, tuple(marks), tuple(bounds))


def _samples(clip: Clip) -> Any:
    return np.frombuffer(clip.pcm[: clip.frames * clip.sample_width * clip.channels], dtype="<i2")[:: clip.channels]


@dataclass
class SynthesisStats:
    """How a conversion's clips were obtained."""

    synthesized: int = 0
    """Sentences the engine spoke (all or some of their pieces)."""
    cached: int = 0
    """Sentences taken whole from the clip cache."""
    left_out: list[SkippedSentence] = field(default_factory=list)
    """Sentences no attempt could speak, left out of the audio."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def leave_out(self, sentence: Sentence, reason: str) -> None:
        with self._lock:
            self.left_out.append(SkippedSentence(sentence, reason))

    def count(self, cached: bool) -> None:
        with self._lock:
            if cached:
                self.cached += 1
            else:
                self.synthesized += 1


@dataclass(frozen=True)
class Voicing:
    """What, besides the text, decides how a clip sounds."""

    engine: str
    engine_version: str
    voice: str
    rate: int
    spelling: float | SpellingRate | None = None
    """The voice's measured seconds per character when spelling (see :func:`spelling_rate`), or how to measure it
    when first needed; not part of the cache key."""
    quote_voice: str | None = None
    """The voice quoted speech is spoken in, or None to speak it in ``voice``."""


def synthesize_sentence(
    engine: Engine,
    sentence: Sentence,
    voice: str,
    rate: int,
    retries: int = RETRIES,
    cache: ClipCache | None = None,
    voicing: Voicing | None = None,
    stats: SynthesisStats | None = None,
    quote_voice: str | None = None,
) -> Clip:
    """Speak one sentence (in clause-sized pieces when long, its quoted speech in ``quote_voice`` when given),
    from the cache or the engine, validating and retrying."""
    pieces: list[_Piece] = []
    spoken = False  # whether the engine had to speak any piece: the sentence then counts as synthesized
    parts = sentence.parts if sentence.parts and quote_voice else (SpokenPart(sentence.text, sentence.spoken, False),)
    offset = 0
    for part_index, part in enumerate(parts):
        part_voice = quote_voice if part.quoted and quote_voice else voice
        cursor = 0
        for chunk in chunk_for_engine(part.spoken):
            found = part.spoken.find(chunk.strip(), cursor)
            at = found if found >= 0 else cursor
            cursor = at + len(chunk.strip())
            clip, from_engine = _speak(engine, sentence, chunk, part_voice, rate, retries, cache, voicing)
            spoken = spoken or from_engine
            pieces.append(_Piece(clip, offset + at, part_index))
        offset += len(part.spoken) + 1
    if stats:
        stats.count(cached=not spoken)
    return _join(pieces)


def _speak(
    engine: Engine, sentence: Sentence, chunk: str, voice: str, rate: int, retries: int, cache: ClipCache | None, voicing: Voicing | None
) -> tuple[Clip, bool]:
    """One piece's clip and whether the engine had to speak it (False when it came from the cache)."""
    key = clip_key(voicing.engine, voicing.engine_version, voice, rate, chunk) if cache and voicing else None
    cached = cache.get(key) if cache and key else None
    known = voicing.spelling if voicing else None
    spelling = (lambda: known(engine)) if isinstance(known, SpellingRate) else known
    if cached is not None and validate_clip(cached, chunk, rate, spelling) is None:
        return cached, False
    problem = "not attempted"
    for attempt in range(retries + 1):
        try:
            clip = engine.synthesize(chunk, voice, rate)
        except EngineError as exc:
            problem = exc.message
        else:
            problem = validate_clip(clip, chunk, rate, spelling) or ""
            if not problem:
                if cache and key:
                    cache.put(key, clip)
                return clip, True
        LOGGER.warning("sentence %d, attempt %d: %s", sentence.index + 1, attempt + 1, problem)
    excerpt = sentence.text if len(sentence.text) <= 80 else sentence.text[:79] + "…"
    raise EngineError(f"{engine.name} failed on sentence {sentence.index + 1} ({excerpt!r}): {problem}")


class EnginePool:
    """Up to ``size`` instances of one engine, one per synthesis thread, created on first use.

    Engines that do their work in another process (espeak-ng's program, pyttsx3's worker)
    run truly in parallel this way; each instance keeps its own state, created where it runs.
    """

    def __init__(self, name: str, size: int = 1, factory: Callable[[], Engine] | None = None, **options: Any) -> None:
        self.name = name
        self.size = max(1, size)
        self._factory = factory or (lambda: get_engine(name, **options))
        self._free: queue.SimpleQueue[Engine] = queue.SimpleQueue()
        self._all: list[Engine] = []
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None

    @classmethod
    def for_settings(cls, settings: Settings, size: int | None = None) -> EnginePool:
        """A pool of the settings' engine, on their device and with their per-sentence timeout."""
        return cls(settings.engine, settings.workers if size is None else size, device=settings.device, timeout=settings.engine_timeout)

    def acquire(self) -> Engine:
        """A free engine, created when none is free and fewer than ``size`` exist (after the warm-up, if one runs)."""
        warming = self._warming
        if warming is not None and warming is not threading.current_thread():
            warming.join()
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._all) < self.size:
                engine = self._factory()
                self._all.append(engine)
                return engine
        return self._free.get()

    def release(self, engine: Engine) -> None:
        """Give an engine back for the next sentence."""
        self._free.put(engine)

    def first(self) -> Engine:
        """An engine to ask about voices and version (created if need be, then returned to the pool)."""
        engine = self.acquire()
        self.release(engine)
        return engine

    def close(self) -> None:
        """Close every engine the pool created, all at once (a worker process takes a moment to exit)."""
        if self._warming is not None and self._warming is not threading.current_thread():
            self._warming.join()
        engines, self._all = list(self._all), []
        if len(engines) > 1:
            with ThreadPoolExecutor(max_workers=len(engines)) as closing:
                list(closing.map(lambda engine: engine.close(), engines))
        elif engines:
            engines[0].close()

    def warm_up(self) -> threading.Thread:
        """Start the first engine, its voice list and its version in the background: an engine's worker process
        starts while the article is read and extracted. The pool's own calls wait for it to finish."""

        def warm() -> None:
            try:
                engine = self.first()
                engine.voices()
                engine.version()
            except Exception:  # the same call fails again, and is reported, when the pool is used
                LOGGER.debug("engine warm-up failed", exc_info=True)

        thread = threading.Thread(target=warm, name="articleaudio-warm-up", daemon=True)
        self._warming = thread
        thread.start()
        return thread


def synthesize_stream(
    sentences: Sequence[Sentence],
    pool: EnginePool,
    voice: str,
    rate: int,
    *,
    cache: ClipCache | None = None,
    voicing: Voicing | None = None,
    stats: SynthesisStats | None = None,
    progress: Progress | None = None,
    strict: bool = True,
    quote_voice: str | None = None,
) -> Iterator[Clip | None]:
    """Clips in sentence order, synthesized ``pool.size`` at a time, at most a few sentences ahead of the consumer.

    A sentence that fails after its retries raises EngineError with ``strict``; without it (and with ``stats``
    to record it) it is left out: None stands in its place and ``stats.left_out`` says why.
    """

    def work(sentence: Sentence) -> Clip | None:
        engine = pool.acquire()
        try:
            return synthesize_sentence(engine, sentence, voice, rate, cache=cache, voicing=voicing, stats=stats, quote_voice=quote_voice)
        except EngineError as exc:
            if strict or stats is None:
                raise
            LOGGER.warning("sentence %d left out: %s", sentence.index + 1, exc.message)
            stats.leave_out(sentence, exc.message)
            return None
        finally:
            pool.release(engine)

    ahead = pool.size * AHEAD_PER_LANE
    with ThreadPoolExecutor(max_workers=pool.size, thread_name_prefix="articleaudio-synth") as executor:
        pending: deque[Future[Clip | None]] = deque()
        upcoming = iter(sentences)
        done = 0
        try:
            for sentence in upcoming:
                pending.append(executor.submit(work, sentence))
                if len(pending) >= ahead:
                    break
            while pending:
                clip = pending.popleft().result()
                nxt = next(upcoming, None)
                if nxt is not None:
                    pending.append(executor.submit(work, nxt))
                done += 1
                if progress and (total := _count(sentences)) is not None:
                    progress("synthesize", done, total)
                yield clip
        finally:
            for future in pending:
                future.cancel()


def _count(sentences: Sequence[Sentence]) -> int | None:
    """How many sentences there are, or None while a sequence made as it is read is not all made (counting it
    would make them all at once, and hold up the engine)."""
    return None if getattr(sentences, "complete", True) is False else len(sentences)


def synthesize_sentences(
    sentences: Sequence[Sentence], engine: Engine, voice: str, rate: int, progress: Progress | None = None
) -> list[Clip]:
    """One clip per sentence, in order, with one engine and no cache; a sentence that fails raises EngineError."""
    pool = EnginePool(engine.name, 1, factory=lambda: engine)
    return [clip for clip in synthesize_stream(sentences, pool, voice, rate, progress=progress, strict=True) if clip is not None]
