"""articleaudio: published articles into narrated, tagged MP3s, offline."""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public names and the module that defines each. They are imported on first use, so that
# `articleaudio --help` and `import articleaudio` stay fast (the pipeline pulls in numpy,
# lxml and trafilatura).
_EXPORTS = {
    "ArticleAudioError": "errors",
    "EncodeError": "errors",
    "EngineError": "errors",
    "ExtractionError": "errors",
    "LexiconError": "errors",
    "OutputError": "errors",
    "SourceError": "errors",
    "TagError": "errors",
    "Article": "models",
    "Chapter": "models",
    "Clip": "models",
    "Cue": "models",
    "Episode": "models",
    "Programme": "models",
    "Section": "models",
    "Sentence": "models",
    "Source": "models",
    "Settings": "settings",
    "convert": "pipeline",
    "extract_article": "extract.html",
    "load_source": "source.load",
    "normalize_text": "speech.normalize",
    "segment_article": "speech.script",
    "split_sentences": "speech.sentences",
}
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

if TYPE_CHECKING:
    from .errors import ArticleAudioError, EncodeError, EngineError, ExtractionError, LexiconError, OutputError, SourceError, TagError
    from .extract.html import extract_article
    from .models import Article, Chapter, Clip, Cue, Episode, Programme, Section, Sentence, Source
    from .pipeline import convert
    from .settings import Settings
    from .source.load import load_source
    from .speech.normalize import normalize_text
    from .speech.script import segment_article
    from .speech.sentences import split_sentences


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'articleaudio' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


logging.getLogger(__name__).addHandler(logging.NullHandler())
