"""The narrator's script: the article as spoken sentences, with the introduction and closing line."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import overload

from ..extract.metadata import spoken_site_name, without_site_name
from ..models import Article, Sentence, SpokenPart, primary_language
from .acronyms import ORDINARY_WORDS
from .lexicon import Lexicon
from .normalize import INVISIBLE, normalize_text, speakable
from .quotes import quoted_parts
from .sentences import split_sentences


@dataclass(frozen=True)
class Phrases:
    """The narrator's own words in one language (``data/narrator.toml``), as templates."""

    by: str
    and_: str
    published: str
    notice: str
    outro: str
    outro_site: str


@cache
def narrator_phrases() -> dict[str, Phrases]:
    """Every language the narrator speaks, by primary language subtag."""
    table = tomllib.loads(resources.files("articleaudio").joinpath("data/narrator.toml").read_text(encoding="utf-8"))
    return {
        code: Phrases(row["by"], row["and"], row["published"], row["notice"], row["outro"], row["outro_site"])
        for code, row in table.items()
    }


def _phrases(language: str | None) -> Phrases | None:
    """The narrator's words for the article's language; None for a language the table lacks, whose
    narration then has no phrases of the narrator's (English read by its voice would be worse)."""
    return narrator_phrases().get(primary_language(language))


def _fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def intro_lines(article: Article) -> list[str]:
    """What the narrator says before the article: title, byline, site and a voice notice, in the article's language."""
    # The site is named on its own line, so a "Headline - Site" title loses its last part when spoken.
    lines = [without_site_name(article.title, article.site_name, article.url, article.authors).rstrip(".!?") + "."]
    words = _phrases(article.language)
    if words is None:
        return lines
    if article.authors:
        names = list(article.authors)
        byline = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {words.and_} " + names[-1]
        lines.append(_fill(words.by, names=byline))
    if article.site_name:
        lines.append(_fill(words.published, site=spoken_site_name(article.site_name)))
    lines.append(words.notice)
    return lines


def outro_lines(article: Article) -> list[str]:
    """What the narrator says after the article, in the article's language (nothing in a language it lacks)."""
    words = _phrases(article.language)
    if words is None:
        return []
    title = without_site_name(article.title, article.site_name, article.url, article.authors).rstrip(".!?")
    if article.site_name:
        return [_fill(words.outro_site, title=title, site=spoken_site_name(article.site_name))]
    return [_fill(words.outro, title=title)]


_NAME_IN_SENTENCE = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]{2,})\b")
# Shown text drops them too: a transcript, a caption or a search in the player has no use for them, and some
# caption renderers show a soft hyphen as a hyphen.
_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))


def segment_article(
    article: Article,
    lexicon: Lexicon | None = None,
    intro: bool = True,
    outro: bool = False,
    quotes: bool = False,
    phonemes: bool = True,
) -> list[Sentence]:
    """Every sentence to narrate, in order: intro, then headings and paragraphs, then outro.

    Sentences with nothing speakable (a lone symbol, an emoji) are dropped here, so no
    engine is ever handed empty text. With ``quotes`` a sentence quoting speech (or in a block
    quotation) is given its parts, for the quote voice. ``phonemes`` says whether the engine reads
    espeak-ng phonemes (lexicon entries given as phonemes).
    """
    return list(iter_sentences(article, lexicon, intro, outro, quotes, phonemes))


def iter_sentences(
    article: Article,
    lexicon: Lexicon | None = None,
    intro: bool = True,
    outro: bool = False,
    quotes: bool = False,
    phonemes: bool = True,
) -> Iterator[Sentence]:
    """The sentences of :func:`segment_article`, each made when it is asked for."""
    # the names the article writes in ordinary case (capitalized inside a sentence: "Burns said"): the same name
    # set in capitals elsewhere ("By Robert BURNS") is read, not spelled; a common word ("act") is not a name
    ordinary = frozenset(m.group(1).casefold() for text in article.paragraphs for m in _NAME_IN_SENTENCE.finditer(text))
    index = 0
    for piece, paragraph, section, kind, quoted in _pieces(article, intro, outro):
        text = piece.translate(_INVISIBLE).strip()
        token = ORDINARY_WORDS.set(ordinary)  # set around each sentence: the caller's code runs between them
        try:
            parts = spoken_parts(text, lexicon, article.language, quoted, phonemes) if quotes and kind == "body" else ()
            spoken = " ".join(p.spoken for p in parts) if parts else normalize_text(text, lexicon, article.language, phonemes)
        finally:
            ORDINARY_WORDS.reset(token)
        if speakable(spoken):
            yield Sentence(index, text, spoken, paragraph, section, kind, parts)
            index += 1


def _pieces(article: Article, intro: bool, outro: bool) -> Iterator[tuple[str, int, int, str, bool]]:
    """Each sentence's text as written, with its paragraph, section and kind, and whether it stands in a block quotation."""
    block_quotes = set(article.block_quotes)
    if intro:
        for line in intro_lines(article):
            yield line, -1, 0, "intro", False
    paragraph_index = 0
    for section_index, section in enumerate(article.sections):
        if section.heading:
            yield section.heading, paragraph_index, section_index, "heading", False
        for paragraph in section.paragraphs:
            for sentence in split_sentences(paragraph, article.language):
                yield sentence, paragraph_index, section_index, "body", paragraph in block_quotes
            paragraph_index += 1
    if outro:
        for line in outro_lines(article):
            yield line, paragraph_index, max(len(article.sections) - 1, 0), "outro", False


class LazySentences(Sequence[Sentence]):
    """Sentences made as they are first read: synthesis starts on the first ones while the rest are made.

    Iterating makes them one at a time; ``len`` and indexing make every one up to what they need.
    """

    def __init__(self, made: Iterator[Sentence]) -> None:
        self._made: Iterator[Sentence] | None = made
        self._have: list[Sentence] = []

    def _more(self) -> bool:
        if self._made is None:
            return False
        sentence = next(self._made, None)
        if sentence is None:
            self._made = None
            return False
        self._have.append(sentence)
        return True

    @property
    def complete(self) -> bool:
        """Whether every sentence has been made."""
        return self._made is None

    def __iter__(self) -> Iterator[Sentence]:
        position = 0
        while position < len(self._have) or self._more():
            yield self._have[position]
            position += 1

    def __len__(self) -> int:
        while self._more():
            pass
        return len(self._have)

    @overload
    def __getitem__(self, index: int) -> Sentence: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Sentence]: ...

    def __getitem__(self, index: int | slice) -> Sentence | Sequence[Sentence]:
        if isinstance(index, slice) or index < 0:
            len(self)
        else:
            while index >= len(self._have) and self._more():
                pass
        return self._have[index]


def spoken_parts(
    text: str, lexicon: Lexicon | None, language: str | None, quoted: bool = False, phonemes: bool = True
) -> tuple[SpokenPart, ...]:
    """The sentence as the narrator's words and quoted speech, each with its spoken form; the whole sentence is
    quoted speech when it stands in a block quotation (``quoted``). Empty when it quotes no speech. A part with
    nothing to say (a lone dash) goes with the part before it."""
    pieces = [(text, True)] if quoted else quoted_parts(text)
    if not any(is_quote for _, is_quote in pieces):
        return ()
    merged: list[tuple[str, bool]] = []
    for piece, is_quote in pieces:
        if merged and not speakable(normalize_text(piece, lexicon, language)):
            merged[-1] = (f"{merged[-1][0]} {piece}", merged[-1][1])
        else:
            merged.append((piece, is_quote))
    if len(merged) > 1 and not speakable(normalize_text(merged[0][0], lexicon, language)):
        merged[1:2] = [(f"{merged[0][0]} {merged[1][0]}", merged[1][1])]
        merged.pop(0)
    return tuple(SpokenPart(piece, normalize_text(piece, lexicon, language, phonemes), is_quote) for piece, is_quote in merged)
