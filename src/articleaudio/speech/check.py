"""``articleaudio check``: what will be said, beside what is written, and what may be read wrongly."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Article
from .acronyms import SPELLED_OUT, SPOKEN_ACRONYMS, is_shouting, say_capitals
from .lexicon import PHONEME_BLOCK, Lexicon
from .normalize import clean_unicode
from .script import segment_article

_ACRONYM = re.compile(r"\b[A-Z]{2,10}s?\b")
_YEARLIKE = re.compile(r"(?<![\d,.$£€])\b(1[1-9]\d\d|20\d\d)\b(?![\d,%]|\.\d|\s?(?:-|–)\s?\d)")
# Words before a four-digit number that settle it as a year.
_YEAR_CUE = re.compile(
    r"(?:\b(?:in|since|by|from|until|till|of|during|before|after|year|early|late|mid|spring|summer|autumn|fall|winter)"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?|'s|\d,)\s*$",
    re.I,
)
_SLASH = re.compile(r"\b\d{1,2}/\d{1,2}\b(?!/)")
_RANGE = re.compile(r"\b\d{1,3}-\d{1,3}\b")
_MIXED = re.compile(r"\b(?=\w*\d)(?=\w*[A-Za-z])\w+\b")
_ALLOWED_SPOKEN = re.compile(r"[\w\s.,;:!?'\"()-]")


@dataclass(frozen=True)
class Unsure:
    """A token the normalizer was not sure how to say."""

    token: str
    reason: str


@dataclass(frozen=True)
class CheckedSentence:
    """One sentence as written and as it will be spoken."""

    id: str
    text: str
    spoken: str
    unsure: tuple[Unsure, ...] = field(default=())

    @property
    def changed(self) -> bool:
        """True when the words spoken differ from the words written (typography aside)."""
        return " ".join(clean_unicode(self.text).split()) != self.spoken


def _unsure(text: str, spoken: str, lexicon: Lexicon | None) -> list[Unsure]:
    found: list[Unsure] = []
    spoken = PHONEME_BLOCK.sub(" ", spoken)  # a lexicon's phonemes are what the user asked for
    known = {e.text for e in lexicon.entries} if lexicon else set()
    source = clean_unicode(text)
    shouting = is_shouting(source)
    for m in _ACRONYM.finditer(source):
        word = m.group(0)[:-1] if len(m.group(0)) > 2 and m.group(0).endswith("s") else m.group(0)
        if word in SPOKEN_ACRONYMS or word in SPELLED_OUT or word in known:
            continue
        said = say_capitals(word, shouting)
        if said == " ".join(word):
            found.append(Unsure(m.group(0), f'unknown acronym, spelled out as "{said}"; add a lexicon entry if it is said as a word'))
        elif said == word.capitalize():
            found.append(Unsure(m.group(0), f'unknown acronym, said as the word "{said}"; add a lexicon entry if it is spelled'))
    for m in _YEARLIKE.finditer(source):
        if _YEAR_CUE.search(source[max(0, m.start() - 12) : m.start()]) or re.match(r"\s+[a-z]+s\b", source[m.end() : m.end() + 15]):
            continue  # "in 1995" is a year and "1500 people" a count: nothing to review
        found.append(Unsure(m.group(0), "read as a year; could be a number"))
    for m in _SLASH.finditer(source):
        found.append(Unsure(m.group(0), "read as a fraction; could be a date or a score"))
    for m in _RANGE.finditer(source):
        found.append(Unsure(m.group(0), 'read as a range or score ("to")'))
    for m in _MIXED.finditer(spoken):
        found.append(Unsure(m.group(0), "letters and digits mixed; the engine will guess"))
    leftovers = sorted({ch for ch in spoken if not _ALLOWED_SPOKEN.match(ch)})
    if leftovers:
        found.append(Unsure("".join(leftovers), "symbols left in the spoken text"))
    return found


def check_article(article: Article, lexicon: Lexicon | None = None) -> list[CheckedSentence]:
    """Every body sentence with its spoken form and the tokens worth a look."""
    checked = []
    for sentence in segment_article(article, lexicon, intro=False):
        checked.append(
            CheckedSentence(
                f"s{sentence.index + 1}", sentence.text, sentence.spoken, tuple(_unsure(sentence.text, sentence.spoken, lexicon))
            )
        )
    return checked
