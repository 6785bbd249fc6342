"""The language of an article that does not declare one, told from its text."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Below this much text a guess is noise ("OK thanks" is not English with any certainty).
_MIN_LETTERS = 60
_MIN_PROBABILITY = 0.9
_SAMPLE_CHARS = 6000
# English words so common, and so rarely words of another language, that a text made one tenth of them is
# plainly English: it is settled without loading the language model (0.5 s and 100 MB).
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "is",
        "that",
        "was",
        "with",
        "for",
        "this",
        "have",
        "from",
        "were",
        "which",
        "would",
        "been",
        "their",
        "there",
        "said",
    ]
)
_ENGLISH_SHARE = 0.10
_FOREIGN_LETTERS = 0.01
_WORDS = re.compile(r"[^\W\d_]+")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)  # loaded once, on first need (0.8 s)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, or None when the text is too short to tell
    or no language is clearly ahead (probability under 0.9)."""
    sample = text[:_SAMPLE_CHARS]
    if len(re.findall(r"[^\W\d_]", sample)) < _MIN_LETTERS:
        return None
    words = [w.casefold() for w in _WORDS.findall(sample)]
    letters = [c for c in sample if c.isalpha()]
    foreign = sum(not c.isascii() for c in letters)  # letters English does not use: accented, another script
    if words and sum(w in _ENGLISH for w in words) >= _ENGLISH_SHARE * len(words) and foreign <= _FOREIGN_LETTERS * len(letters):
        return "en"
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= _MIN_PROBABILITY else None
