"""Frozen data passed from one pipeline stage to the next."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import BinaryIO

from .charsets import compatibility_letters, decode_bytes


def public_source(name: str) -> str:
    """How a source is named in published files: a URL as it is, a local file by its name alone (the folders
    above it say who made the narration, and where), stdin as ``-``."""
    if name == "-" or re.match(r"^[a-z][a-z0-9+.-]*://", name, re.I):
        return name
    return PurePath(name).name or name


def public_voice(voice: str) -> str:
    """How a voice is named in published files: a voice given as a model file (a Piper ``.onnx``) by its id,
    the file's stem (``en_US-joe-medium``), never by the path it was installed at."""
    if "/" in voice or "\\" in voice or voice.endswith(".onnx"):
        return PurePath(voice.replace("\\", "/")).stem
    return voice


def primary_language(tag: str | None) -> str:
    """The language of a tag, lower case: ``"es"`` for ``es-MX`` or ``es_MX``; ``"en"`` when there is none."""
    return (tag or "").replace("_", "-").split("-")[0].strip().lower() or "en"


@dataclass(frozen=True)
class Source:
    """Raw bytes of one source, as loaded."""

    name: str
    """What the user passed: a path, a URL or ``-``."""
    data: bytes
    """The body exactly as read."""
    kind: str
    """``html``, ``text`` or ``markdown``."""
    url: str | None = None
    """The final URL after redirects, for web sources."""
    charset: str | None = None
    """The declared or detected character set, when known."""

    def text(self) -> str:
        """Decode the body with the known charset, falling back to detection; letters in compatibility forms
        (Arabic presentation forms, full-width Latin) become the letters they show."""
        return compatibility_letters(decode_bytes(self.data, self.charset))


@dataclass(frozen=True)
class Section:
    """A run of paragraphs under one heading (the first may have no heading)."""

    heading: str | None
    """The heading text, or None for the text before the first heading."""
    paragraphs: tuple[str, ...]
    """Paragraph texts in reading order, as written in the article."""


@dataclass(frozen=True)
class Article:
    """An article's readable body and its metadata."""

    title: str
    """Headline; never empty (falls back to the source name)."""
    sections: tuple[Section, ...]
    """The body, in order."""
    authors: tuple[str, ...] = ()
    """Bylines, in page order."""
    site_name: str | None = None
    """Publication name."""
    date: str | None = None
    """Publication date as ISO 8601 (``YYYY-MM-DD``) when known."""
    url: str | None = None
    """Canonical URL of the article."""
    language: str | None = None
    """BCP 47 language tag, e.g. ``en`` or ``en-US``: the language the article is read in."""
    declared_language: str | None = None
    """The language the page declared, when its text is plainly in another (``language`` then says which)."""
    description: str | None = None
    """Standfirst or meta description."""
    image: str | None = None
    """URL of the lead image."""
    section: str | None = None
    """The section of the publication the article appears in ("Politics"), when the page declares one."""
    source: str = ""
    """The source as it may be published: its URL, a local file's name (never its folder) or ``-``."""
    block_quotes: tuple[str, ...] = ()
    """The paragraphs the page sets as block quotations (``<blockquote>``, Markdown's ``>``), as written in ``sections``."""

    @property
    def paragraphs(self) -> list[str]:
        """All paragraphs of all sections, in order."""
        return [p for s in self.sections for p in s.paragraphs]

    @property
    def word_count(self) -> int:
        """Number of words in the body."""
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass(frozen=True)
class Sentence:
    """One unit of narration."""

    index: int
    """Position in the programme, from 0."""
    text: str
    """The article's own words (shown in transcripts and captions)."""
    spoken: str
    """What the engine is asked to say (normalized text)."""
    paragraph: int
    """Index of the paragraph in the whole article, from 0."""
    section: int
    """Index of the section, from 0."""
    kind: str = "body"
    """``body``, ``heading``, ``title`` or ``intro``/``outro`` (spoken extras)."""
    parts: tuple[SpokenPart, ...] = ()
    """The sentence in the order it is spoken, when quoted speech in it is spoken in the quote voice; empty
    when the whole sentence is in the narrator's voice. The parts' texts and spoken forms, joined by spaces,
    are ``text`` and ``spoken``."""


@dataclass(frozen=True)
class SpokenPart:
    """A stretch of a sentence spoken in one voice."""

    text: str
    """The article's words."""
    spoken: str
    """What the engine is asked to say."""
    quoted: bool
    """True for quoted speech (the quote voice), False for the narrator's words."""


@dataclass(frozen=True)
class Clip:
    """Audio for one sentence, in the engine's own format."""

    pcm: bytes
    """Little-endian signed PCM samples, interleaved when stereo."""
    sample_rate: int
    """Frames per second."""
    sample_width: int = 2
    """Bytes per sample."""
    channels: int = 1
    """Interleaved channels."""
    marks: tuple[tuple[int, int], ...] = ()
    """Where the engine began saying each word, as (character offset in the text it was given, frame) pairs in
    order; empty when the engine does not say."""
    bounds: tuple[int, ...] = ()
    """For a sentence spoken in several voices, the frame at which each part after the first begins."""

    @property
    def frames(self) -> int:
        """Number of frames in the clip."""
        return len(self.pcm) // (self.sample_width * self.channels)

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate if self.sample_rate else 0.0


@dataclass(frozen=True)
class Word:
    """When one of the article's words is heard."""

    text: str
    """The word as the article writes it, with its punctuation."""
    start_ms: int
    """When it begins, in milliseconds from the start of the file."""
    end_ms: int
    """When the next word begins (the end of the speech for the last)."""


@dataclass(frozen=True)
class PartTiming:
    """When one part of a sentence spoken in several voices is heard."""

    text: str
    """The article's words."""
    spoken: str
    """What the engine said."""
    voice: str
    """The voice that said it."""
    start_ms: int
    """Start, in milliseconds from the start of the file."""
    end_ms: int
    """End, in milliseconds."""


@dataclass(frozen=True)
class Cue:
    """Where one sentence is heard in the final programme."""

    sentence: Sentence
    """The sentence heard."""
    start_ms: int
    """Start of the speech, in milliseconds from the start of the file."""
    end_ms: int
    """End of the speech, in milliseconds."""
    words: tuple[Word, ...] = ()
    """When each of the sentence's written words is heard."""
    word_timing: str = "interpolated"
    """``engine`` when the engine said where each word began, ``interpolated`` when the times are shared out
    over the clip by characters (between the starts of its pieces)."""
    parts: tuple[PartTiming, ...] = ()
    """For a sentence spoken in more than one voice, each part and when it is heard."""

    def shifted(self, delta_ms: int) -> Cue:
        """The same cue, every time moved by ``delta_ms``."""
        return replace(
            self,
            start_ms=self.start_ms + delta_ms,
            end_ms=self.end_ms + delta_ms,
            words=tuple(Word(w.text, w.start_ms + delta_ms, w.end_ms + delta_ms) for w in self.words),
            parts=tuple(replace(p, start_ms=p.start_ms + delta_ms, end_ms=p.end_ms + delta_ms) for p in self.parts),
        )


@dataclass(frozen=True)
class Chapter:
    """A titled stretch of the programme (one per section)."""

    title: str
    """Shown in players."""
    start_ms: int
    """Start in milliseconds."""
    end_ms: int
    """End in milliseconds."""


@dataclass(frozen=True)
class Programme:
    """The assembled narration, kept in a spill file rather than in memory, with its timings."""

    spill: BinaryIO
    """Seekable file holding the programme as mono 16-bit PCM, from frame 0."""
    sample_rate: int
    """Frames per second."""
    frames: int
    """Length of the programme in frames."""
    cues: tuple[Cue, ...]
    """One cue per sentence, in order."""
    spans: tuple[tuple[int, int], ...] = ()
    """(first frame, frame count) of each clip; everything else is silence."""
    chapters: tuple[Chapter, ...] = ()
    """One per section with a heading; empty when there is nothing to navigate."""
    loudness_lufs: float | None = None
    """Integrated loudness of the programme as assembled (before any gain); None when it was not measured."""
    cuts: tuple[int, ...] = ()
    """Frames where the encoder may start a new segment: each lies on the MP3 frame grid, after a pause."""

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate

    @property
    def pcm(self) -> bytes:
        """The whole programme as bytes (reads the spill file; for short programmes and tests)."""
        self.spill.seek(0)
        return self.spill.read(self.frames * 2)


@dataclass(frozen=True)
class SkippedSentence:
    """A sentence left out of the audio because no engine attempt gave a sound clip for it."""

    sentence: Sentence
    """The sentence."""
    reason: str
    """What went wrong on the last attempt."""


@dataclass(frozen=True)
class Episode:
    """What a conversion produced."""

    article: Article
    """What was read."""
    mp3_path: str
    """Where the MP3 was written."""
    duration: float
    """Length of the MP3's audio in seconds."""
    sentences: tuple[Sentence, ...]
    """Everything spoken, in order."""
    cues: tuple[Cue, ...]
    """Timings of each sentence."""
    engine: str
    """Engine name."""
    voice: str
    """Voice used."""
    sidecars: tuple[str, ...] = field(default=())
    """Other files written next to the MP3."""
    loudness_lufs: float | None = None
    """Measured integrated loudness of the programme."""
    true_peak_db: float | None = None
    """Measured true peak of the programme."""
    chapters: tuple[Chapter, ...] = ()
    """Chapters as written into the MP3."""
    status: str = "converted"
    """``converted`` (new), ``updated`` (replaced an out-of-date narration), ``up to date`` (a current
    narration was kept) or ``kept`` (the output file belongs to something else and was left alone)."""
    synthesized: int = 0
    """Sentences the engine spoke in this run (all or some of their pieces)."""
    cached: int = 0
    """Sentences taken whole from the clip cache instead."""
    segments_encoded: int = 0
    """MP3 segments (paragraphs) LAME encoded in this run."""
    segments_reused: int = 0
    """MP3 segments whose frames came from the clip cache (their samples had been encoded before)."""
    left_out: tuple[SkippedSentence, ...] = ()
    """Sentences left out of the audio (each with the reason), unless ``--strict`` made them fail the article."""
    warnings: tuple[str, ...] = ()
    """What the listener may miss: the page's story containers hold clearly more prose than was read."""

    @property
    def skipped(self) -> bool:
        """True when a current narration of this article was already there and was kept."""
        return self.status in {"up to date", "kept"}
