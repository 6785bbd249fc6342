"""articleaudio: published articles into narrated, tagged MP3s, offline."""

from __future__ import annotations

import logging

from .errors import (
    ArticleAudioError,
    EncodeError,
    EngineError,
    ExtractionError,
    LexiconError,
    OutputError,
    SourceError,
    TagError,
)
from .extract import extract_article
from .load import load_source
from .models import Article, Chapter, Clip, Cue, Episode, Programme, Section, Sentence, Source
from .normalize import normalize_text
from .pipeline import convert
from .segment import segment_article, split_sentences
from .settings import Settings

__version__ = "0.1.0"
__all__ = [
    "Article",
    "ArticleAudioError",
    "Chapter",
    "Clip",
    "Cue",
    "EncodeError",
    "EngineError",
    "Episode",
    "ExtractionError",
    "LexiconError",
    "OutputError",
    "Programme",
    "Section",
    "Sentence",
    "Settings",
    "Source",
    "SourceError",
    "TagError",
    "__version__",
    "convert",
    "extract_article",
    "load_source",
    "normalize_text",
    "segment_article",
    "split_sentences",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
