"""The language of an article, told from its text: when the page declares none, or declares one its text is not in."""

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


# Below this much text a declared language is kept whatever the text looks like.
_MIN_LETTERS_TO_OVERRIDE = 400
# Languages close enough that the detector confuses them: a page's declaration among them is believed.
_KIN = (
    frozenset({"no", "nb", "nn", "da"}),
    frozenset({"hr", "sr", "bs", "sh"}),
    frozenset({"ms", "id"}),
    frozenset({"gl", "pt"}),
    frozenset({"ca", "es"}),
    frozenset({"cs", "sk"}),
    frozenset({"ru", "uk", "be"}),
)


def language_of_text(paragraphs: list[str], declared: str) -> str | None:
    """The language the text is written in when it is plainly not ``declared``, or None to keep the declaration.

    Plainly: at least 400 letters, and the first and second half of the text each detected, with the
    detector sure, as the same other language. A short text, or one that mixes languages (an English
    quote in a German story), keeps the language the page declares.
    """
    text = " ".join(paragraphs)
    if len(re.findall(r"[^\W\d_]", text[:_SAMPLE_CHARS])) < _MIN_LETTERS_TO_OVERRIDE:
        return None
    middle = len(paragraphs) // 2
    halves = [" ".join(paragraphs[:middle]), " ".join(paragraphs[middle:])] if middle else [text[: len(text) // 2], text[len(text) // 2 :]]
    found = {detect_language(half) for half in halves}
    if len(found) != 1 or None in found:
        return None
    language = found.pop()
    said = declared.replace("_", "-").split("-")[0].lower()
    if language is None or language == said or any(language in kin and said in kin for kin in _KIN):
        return None
    return language
