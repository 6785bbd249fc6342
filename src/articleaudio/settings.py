"""Options for one conversion, with defaults a publisher can rely on."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

DEFAULT_ENGINE: Final = "pyttsx3"
DEFAULT_OUTPUT_DIR: Final = "audio"
DEFAULT_BITRATE: Final = 64
DEFAULT_RATE: Final = 175
DEFAULT_MAX_BYTES: Final = 10_000_000


@dataclass(frozen=True)
class Settings:
    """Everything that changes what a conversion produces."""

    engine: str = DEFAULT_ENGINE
    """Name of a registered speech engine."""
    voice: str | None = None
    """Engine voice id; None takes the engine's default for the article's language."""
    rate: int = DEFAULT_RATE
    """Speaking rate in words per minute."""
    bitrate: int = DEFAULT_BITRATE
    """MP3 bitrate in kbit/s (constant bitrate, mono)."""
    sentence_pause: float = 0.35
    """Seconds of silence between sentences of one paragraph."""
    paragraph_pause: float = 0.7
    """Seconds of silence between paragraphs."""
    section_pause: float = 1.2
    """Seconds of silence before a new section (heading)."""
    fade_ms: float = 5.0
    """Length of the fade applied at both edges of every clip, against clicks."""
    loudness: float | None = -16.0
    """Target integrated loudness in LUFS; None leaves levels as the engine made them."""
    true_peak: float = -2.0
    """Ceiling for the true peak in dBTP after limiting."""
    intro: bool = True
    """Speak a short introduction: title, byline, site and a synthetic-voice notice."""
    outro: bool = False
    """Speak a closing line naming the source."""
    lexicon: str | None = None
    """Path of a user pronunciation lexicon (TOML or PLS)."""
    output: str | None = None
    """A file or folder for the MP3; None means ``audio/`` in the working folder."""
    force: bool = False
    """Overwrite an existing output instead of keeping it."""
    id3_version: int = 3
    """ID3v2 minor version: 3 (widest player support) or 4."""
    write_manifest: bool = True
    """Write ``<stem>.json`` with metadata and per-sentence timings."""
    write_captions: bool = True
    """Write ``<stem>.vtt`` and ``<stem>.srt``."""
    write_chapters: bool = True
    """Write ``<stem>.chapters.json`` (Podcasting 2.0 chapters)."""
    write_player: bool = True
    """Write ``<stem>.html``, a self-contained read-along player."""
    cover_art: bool = True
    """Embed the article's lead image as front cover (fetched only for articles that came from the web)."""
    cover: str | None = None
    """An explicit cover image (path or URL) instead of the lead image."""
    synced_lyrics: bool = False
    """Also write a SYLT frame with the start of every sentence."""
    include_tables: bool = False
    """Read table cells aloud instead of leaving tables out."""
    max_bytes: int = DEFAULT_MAX_BYTES
    """Largest page or file accepted, in bytes."""
    timeout: float = 20.0
    """Seconds to wait for a web server to connect or send data."""
    engine_timeout: float = 30.0
    """Seconds one sentence may take in the engine before it is retried."""
    jobs: int = 0
    """Sentences synthesized at once (and sources converted at once in a batch); 0 means one per CPU core."""
    cache: bool = True
    """Reuse clips of sentences already spoken with the same engine, voice and rate."""
    device: str = "cpu"
    """Where neural engines run: ``cpu``, or ``cuda`` when onnxruntime offers a GPU provider."""

    @property
    def workers(self) -> int:
        """``jobs``, with 0 resolved to the number of CPU cores."""
        import os

        return self.jobs if self.jobs > 0 else max(1, os.cpu_count() or 1)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]  # dataclasses.replace is untyped here
