"""When each word is heard, from the engine's word marks or the clip shared out by characters.

The times of the spoken words are then carried over to the article's own words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from difflib import SequenceMatcher

from ..charsets import UNSPACED, UNSPACED_LETTERS

_RUN = re.compile(r"\S+")
_NOT_LETTER = re.compile(r"[\W_]+")
# In Chinese and Japanese each character is a word for timing, highlighting and captions (a sentence is not one).
_PIECE = re.compile(rf"[^\w]*(?:[{UNSPACED_LETTERS}]|(?:(?![{UNSPACED_LETTERS}])\w)+)[^\w]*")

Span = tuple[int, int]
"""(first frame, end frame) of a word within a clip."""


def words_of(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each word of ``text``: what stands between spaces, with its
    punctuation; in Chinese and Japanese script each character (with the punctuation after it) is a word."""
    spans: list[tuple[int, int]] = []
    for run in _RUN.finditer(text):
        if not UNSPACED.search(run.group()):
            spans.append((run.start(), run.end()))
            continue
        pieces = [(run.start() + m.start(), run.start() + m.end()) for m in _PIECE.finditer(run.group())]
        if not pieces:
            spans.append((run.start(), run.end()))
            continue
        # punctuation the pieces did not take (a run that ends in marks) stays with the piece before it
        pieces[0] = (run.start(), pieces[0][1])
        pieces[-1] = (pieces[-1][0], run.end())
        spans += [(a, pieces[i + 1][0] if i + 1 < len(pieces) else b) for i, (a, b) in enumerate(pieces)]
    return spans


def unspaced(text: str) -> bool:
    """Whether ``text`` is (partly) in a script written without spaces."""
    return bool(UNSPACED.search(text))


def spoken_spans(spoken: str, marks: Sequence[tuple[int, int]], frames: int) -> list[Span]:
    """When each word of ``spoken`` is heard in a clip of ``frames`` frames.

    A word the engine marked begins at its mark (a mark anywhere inside the word counts); the others are
    placed between the nearest known points in proportion to their characters. Each word ends where the
    next begins, the last at the end of the clip.
    """
    words = words_of(spoken)
    if not words:
        return []
    # known points: (character offset, frame), always including both ends of the clip
    points: dict[int, int] = {}
    starts = [s for s, _ in words]
    for char, frame in marks:
        i = bisect_right(starts, char) - 1
        if i >= 0 and char < words[i][1] and 0 <= frame <= frames:
            points.setdefault(words[i][0], frame)
    points.setdefault(0, 0)
    points[len(spoken)] = frames
    known = sorted(points.items())
    chars = [c for c, _ in known]
    begins: list[float] = []
    for start, _ in words:
        j = bisect_right(chars, start) - 1
        c0, f0 = known[j]
        if c0 == start or j + 1 >= len(known):
            begins.append(f0)
            continue
        c1, f1 = known[j + 1]
        begins.append(f0 + (f1 - f0) * (start - c0) / max(c1 - c0, 1))
    # marks are in order, but an engine may report one a little early: times never run backwards
    spans: list[Span] = []
    floor = 0
    for i, begin in enumerate(begins):
        first = max(floor, min(round(begin), frames))
        spans.append((first, first))
        floor = first
        if i:
            spans[i - 1] = (spans[i - 1][0], first)
    spans[-1] = (spans[-1][0], frames)
    return spans


def _key(word: str) -> str:
    return _NOT_LETTER.sub("", word.casefold())


def written_spans(text: str, spoken: str, heard: Sequence[Span]) -> list[tuple[str, Span]]:
    """The article's words of ``text``, each with when it is heard, from the times of the words of ``spoken``.

    Words written as they are said ("Minister", "said,") take the time of their spoken word; a stretch that
    normalization rewrote ("$5" said "five dollars") shares out the time of what was said in its place, by
    characters; a word not said at all (a link left unread) takes no time, where it stands.
    """
    written = [text[a:b] for a, b in words_of(text)]
    said = [spoken[a:b] for a, b in words_of(spoken)]
    if not written:
        return []
    if not said or not heard:
        return [(w, (0, 0)) for w in written]
    matcher = SequenceMatcher(None, [_key(w) for w in written], [_key(w) for w in said], autojunk=False)
    out: list[tuple[str, Span]] = []
    i = j = 0
    for block in matcher.get_matching_blocks():
        # the unmatched stretch before this block: written[i:block.a] said as said[j:block.b]
        if block.a > i:
            if block.b > j:
                begin, end = heard[j][0], heard[block.b - 1][1]
            else:  # nothing said for these words: they sit at the boundary
                begin = end = heard[j][0] if j < len(heard) else heard[-1][1]
            out += _share(written[i : block.a], begin, end)
        for k in range(block.size):
            out.append((written[block.a + k], heard[block.b + k]))
        i, j = block.a + block.size, block.b + block.size
    return out


def _share(words: Sequence[str], begin: int, end: int) -> list[tuple[str, Span]]:
    """``words`` laid end to end over ``begin``..``end`` in proportion to their lengths."""
    total = sum(len(w) + 1 for w in words)
    out: list[tuple[str, Span]] = []
    position = 0
    for word in words:
        first = begin + (end - begin) * position // total
        position += len(word) + 1
        out.append((word, (first, begin + (end - begin) * position // total)))
    return out
