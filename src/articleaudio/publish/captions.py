"""WebVTT and SubRip captions a caption track can show: a sentence, or a phrase of a long one, per cue.

A cue holds at most two lines of 42 characters (16 in Chinese and Japanese script) and lasts at most 7
seconds (broadcasters' subtitle guidelines). A longer sentence is cut at a phrase boundary (after a comma, a semicolon or a dash, else
before a conjunction), and each cue is timed by the words it shows, so the cue on screen is what is heard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..audio.timing import unspaced, words_of
from ..models import Cue, Word

MAX_LINE = 42
MAX_LINE_UNSPACED = 16
MAX_LINES = 2
MAX_MS = 7000
# Words a phrase may begin with, so a cue may end before them (punctuation is preferred).
_CONJUNCTIONS = frozenset(
    " ".join(
        (
            "and but or nor so yet because which who whom whose that while although though when where whereas after before",
            "since until unless if as than whether",  # English
            "et mais ou donc car qui que dont lorsque quand puis",  # French
            "und aber oder denn sondern weil dass wenn als ob",  # German
            "y e pero o u porque cuando donde mientras",  # Spanish
            "ma però perché mentre",  # Italian
            "mas quando enquanto",  # Portuguese
        )
    ).split()
)
_PHRASE_END = (",", ";", ":", "—", "–", ")", "»", "”", '"', "，", "、", "；", "：", "）", "」", "』")


@dataclass(frozen=True)
class Caption:
    """One caption cue."""

    id: str
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]


def _long_word(word: str, width: int) -> list[str]:
    """A word longer than a line (a link), broken after a slash, dot, hyphen or other mark of it, else anywhere."""
    lines: list[str] = []
    while len(word) > width:
        cut = max((i + 1 for i, ch in enumerate(word[:width]) if ch in "/.-_#?&=:"), default=width)
        lines.append(word[:cut])
        word = word[cut:]
    return [*lines, word] if word else lines


def lines_of(text: str, width: int = MAX_LINE) -> list[str]:
    """``text`` on as few lines of ``width`` characters as it needs, broken between words (a word longer than a
    line, such as a link, inside itself); two lines are balanced."""
    return [piece for line in _lines(text, width) for piece in (_long_word(line, width) if " " not in line else [line])]


def _lines(text: str, width: int) -> list[str]:
    spans = words_of(text)
    if len(text) <= width or len(spans) < 2:
        return [text]
    best: tuple[int, list[str]] | None = None
    for cut in range(1, len(spans)):
        first, second = text[: spans[cut - 1][1]].strip(), text[spans[cut][0] :].strip()
        if len(first) <= width and len(second) <= width:
            score = abs(len(first) - len(second))
            if best is None or score < best[0]:
                best = (score, [first, second])
    if best is not None:
        return best[1]
    lines: list[str] = []
    start = spans[0][0]
    for i, (_, end) in enumerate(spans):
        if i + 1 < len(spans) and len(text[start : spans[i + 1][1]].strip()) > width:
            lines.append(text[start:end].strip())
            start = spans[i + 1][0]
    lines.append(text[start:].strip())
    return lines


def _words(cue: Cue, spans: Sequence[tuple[int, int]]) -> list[Word]:
    """The cue's timed words; without them, its words laid out over it by characters."""
    if cue.words and len(cue.words) == len(spans):
        return list(cue.words)
    text = cue.sentence.text
    total = sum(b - a + 1 for a, b in spans) or 1
    span = cue.end_ms - cue.start_ms
    out, position = [], 0
    for a, b in spans:
        start = cue.start_ms + span * position // total
        position += b - a + 1
        out.append(Word(text[a:b], start, cue.start_ms + span * position // total))
    return out


def _break(words: Sequence[Word], start: int, end: int) -> int:
    """Where to end a cue that may run from ``start`` up to ``end`` (exclusive): after the last phrase-ending
    mark, else before the last conjunction, else as late as it fits; never leaving a sliver of a cue."""
    shortest = start + max(2, (end - start) // 3)
    for k in range(end - 1, shortest - 1, -1):
        if words[k - 1].text.endswith(_PHRASE_END):
            return k
    for k in range(end - 1, shortest - 1, -1):
        if words[k].text.lower() in _CONJUNCTIONS:
            return k
    return end


def split_cue(cue: Cue) -> list[Caption]:
    """The cue as captions of two lines (of 42 characters, 16 in Chinese and Japanese script) and 7 seconds at most."""
    text = cue.sentence.text
    spans = words_of(text)
    ident = f"s{cue.sentence.index + 1}"
    if not spans:
        return [Caption(ident, cue.start_ms, cue.end_ms, (text,))]
    words = _words(cue, spans)
    width = MAX_LINE_UNSPACED if unspaced(text) else MAX_LINE

    def piece(a: int, b: int) -> str:
        return text[spans[a][0] : spans[b - 1][1]]

    def fits(a: int, b: int) -> bool:
        if b - a == 1:
            return True
        if words[b - 1].end_ms - words[a].start_ms > MAX_MS:
            return False
        text_ab = piece(a, b)
        # One line when it is short enough; never two when its words alone are longer than two lines.
        if len(text_ab) <= width:
            return True
        if sum(spans[k][1] - spans[k][0] for k in range(a, b)) > 2 * width:
            return False
        return len(lines_of(text_ab, width)) <= 2

    pieces: list[tuple[int, int]] = []
    start = 0
    while start < len(words):
        end = start + 1
        while end < len(words) and fits(start, end + 1):
            end += 1
        if end < len(words):
            end = _break(words, start, end)
        pieces.append((start, end))
        start = end
    captions: list[Caption] = []
    for number, (a, b) in enumerate(pieces):
        begin = cue.start_ms if number == 0 else max(words[a].start_ms, captions[-1].end_ms)
        finish = cue.end_ms if number == len(pieces) - 1 else words[b - 1].end_ms
        ident_n = ident if number == 0 else f"{ident}-{number + 1}"
        captions.append(Caption(ident_n, begin, max(finish, begin + 1), tuple(lines_of(piece(a, b), width))))
    return captions


def _stamp(ms: int, comma: bool) -> str:
    hours, rest = divmod(max(ms, 0), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{',' if comma else '.'}{millis:03d}"


def _clean(line: str) -> str:
    # "-->" would end a WebVTT timing line early; blank lines would end the cue.
    return " ".join(line.replace("-->", "→").split())


def captions_of(cues: Sequence[Cue]) -> list[Caption]:
    """Every cue's captions, in order: split once, then written as WebVTT and as SRT."""
    return [caption for cue in cues for caption in split_cue(cue)]


def to_webvtt(cues: Sequence[Cue], captions: Sequence[Caption] | None = None) -> str:
    """A WebVTT document: each sentence's first cue has the id ``s1``, ``s2``, …, the cues a long sentence
    continues in ``s1-2``, ``s1-3``, … (``captions``, when given, are ``captions_of(cues)``)."""
    lines = ["WEBVTT", ""]
    for caption in captions_of(cues) if captions is None else captions:
        lines += [caption.id, f"{_stamp(caption.start_ms, False)} --> {_stamp(caption.end_ms, False)}"]
        lines += [_clean(line).replace("&", "&amp;").replace("<", "&lt;") for line in caption.lines]
        lines.append("")
    return "\n".join(lines)


def to_srt(cues: Sequence[Cue], captions: Sequence[Caption] | None = None) -> str:
    """A SubRip document with the same cues, numbered."""
    lines: list[str] = []
    for number, caption in enumerate(captions_of(cues) if captions is None else captions, start=1):
        lines += [str(number), f"{_stamp(caption.start_ms, True)} --> {_stamp(caption.end_ms, True)}"]
        lines += [_clean(line) for line in caption.lines]
        lines.append("")
    return "\n".join(lines)
