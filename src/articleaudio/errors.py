"""Errors articleaudio raises; each names the source or file it concerns."""

from __future__ import annotations


class ArticleAudioError(Exception):
    """Base of every error the library raises on purpose.

    The CLI prints ``str(error)`` as one line and exits non-zero.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class SourceError(ArticleAudioError):
    """A source could not be read: missing file, HTTP error, wrong content type, too large."""


class ExtractionError(ArticleAudioError):
    """A source was read but holds no article text we can narrate."""


class EngineError(ArticleAudioError):
    """A speech engine is missing, unknown, misconfigured or failed on a sentence."""


class EncodeError(ArticleAudioError):
    """The MP3 could not be encoded or written."""


class TagError(ArticleAudioError):
    """The ID3 tags could not be written."""


class OutputError(ArticleAudioError):
    """An output file could not be written, or would overwrite another article's file."""


class LexiconError(ArticleAudioError):
    """A pronunciation lexicon file is malformed."""
