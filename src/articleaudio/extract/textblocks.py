"""Plain text as blocks (its lines, wrapped paragraphs joined again) and the features that tell story from page.

A page copied as text keeps little of its structure, but enough: a paragraph of the story stands
between blank lines (a browser puts them around ``<p>``), reads as prose (words of its language's
grammar, a final stop) and sits among other such paragraphs; a menu, a feed or a form is a run of short
lines without them. :func:`block_features` measures these for :mod:`.textpage`'s classifier.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from ..charsets import UNSPACED
from .furniture import line_reason

WORD = re.compile(r"\w+")
# The line rules, remembered for the lines of one text: the features and the rules both ask of every line.
line_furniture = lru_cache(maxsize=1 << 16)(line_reason)
# A line that ends as a sentence or a quotation does (or a lead-in's colon).
_TERMINAL = re.compile(r"[.!?:;\"”’)\]。！？」』）]$")
# Chinese and Japanese, written without spaces: their words are counted by characters (about two a word).
_CHARACTERS_PER_WORD = 2
# jusText has no stopword lists for them: a sentence-like line gets the stopword share typical of prose.
_UNSPACED_PROSE_STOPWORDS = 0.45
_UNSPACED_OTHER_STOPWORDS = 0.1
_BULLET = re.compile(r"^([-*•·▪◦‣+]|\d{1,3}[.)]|\(?[a-z0-9]\))\s+")
# Words of page furniture that a sentence of a story seldom holds; a hint to the classifier, not a verdict.
PAGE_WORDS = re.compile(
    r"(?i)(all rights reserved|©|\bcopyright\b|privacy policy|terms (of|&) (use|service)|terms and conditions|cookie|trademark|"
    r"subscribe|newsletter|sign up|opens in new window|click to (share|email|print)|share this|log ?in|sign in|advertis|sponsored|"
    r"powered by|follow us|share (this|on)|click here|indicates required|email address|read more|related:|most (read|popular)|"
    r"listen to this|personal data|enable javascript|your (consent|privacy)|we use cookies|\bmin read\b|skip to|back to top|"
    r"^image$|^photo|^credit|getty images|\bAP Photo\b)"
)
# The heading of a comments section.
_COMMENTS = re.compile(
    r"(?i)^((\d+|no) )?(comments?|responses?|replies)( \(\d+\))?:?$|^there (are|is) \d+ comments?|^view (all )?comments|"
    r"^(show|hide|load) comments|^leave a (reply|comment)|^(join|add to) the (discussion|conversation)|^post a comment|"
    r"^comments are closed|^\d+ thoughts on|^(write|add) (a|your) comment|^discussion$|^reader comments"
)
# The controls under each comment; two of them after a comments heading mark the comments section.
_COMMENT_CONTROLS = frozenset({"reply", "report", "flag", "permalink", "report abuse"})
_WHEN = re.compile(
    r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}\b|\b\d{1,2}:\d{2} ?([ap]\.?m\.?)?\b|"
    r"\b\d+ (minutes?|hours?|days?) ago\b"
)
_LINK = re.compile(r"https?://|www\.|\.com\b")
# Languages whose stopword lists (from jusText) tell prose from furniture; the text's own is the one it uses most.
_STOPLISTS = ("English", "Spanish", "French", "German", "Italian", "Portuguese", "Dutch", "Swedish", "Danish", "Norwegian_Bokmal",
              "Polish", "Czech", "Russian", "Ukrainian", "Turkish", "Indonesian", "Romanian", "Hungarian", "Finnish", "Greek")  # fmt: skip
# A line this long or longer that ends mid-sentence is a line wrapped at a fixed width (60 to 80 columns, less the
# word that did not fit) when the next one starts in lower case.
_WRAPPED_MIN_CHARS = 50
# Text wrapped at a fixed width has no line longer than this; a broken line falls at most _WRAP_SLACK short of the widest.
_WRAP_MAX_COLUMNS = 100
_WRAP_SLACK = 20
# A prose line has this many words or more, a stopword share of at least _PROSE_STOPWORDS, and a final stop.
_PROSE_MIN_WORDS = 8
_PROSE_STOPWORDS = 0.25
# A short line between two runs of paragraphs (a sub-heading) does not break the run.
_RUN_GAP_WORDS = 12

FEATURES = (
    "log_words", "stopwords", "terminal", "capital_start", "alone", "blank_before", "blank_after", "page_words", "furniture",
    "repeated", "ellipsis", "digits", "link", "position", "capitalized_words", "colon", "prose", "date_or_time", "comments_heading",
    "prose_around_2", "prose_around_5", "prose_around_15", "prose_before", "prose_after", "main_region", "log_block_lines",
    "block_mean_words", "log_run_words", "run_share", "in_long_block", "comments_section",
)  # fmt: skip
"""The name of each column :func:`block_features` returns."""


@dataclass(frozen=True)
class Block:
    """One line of a text (or one paragraph that was wrapped over several), with the blank lines around it."""

    text: str
    """Its words, spaces squeezed."""
    blank_before: bool
    """A blank line (or the start of the text) comes before it."""
    blank_after: bool
    """A blank line (or the end of the text) comes after it."""

    @property
    def alone(self) -> bool:
        """Set apart by blank lines on both sides, as a browser sets a paragraph."""
        return self.blank_before and self.blank_after


def _continues(line: str, following: str, width: int) -> bool:
    """Whether ``following`` carries on the sentence ``line`` broke off: text wrapped at a fixed ``width``
    (a text-mode browser's dump, an e-mail, an RFC), where every broken line comes close to that width."""
    return (
        _WRAPPED_MIN_CHARS <= len(line) <= _WRAP_MAX_COLUMNS
        and len(line) >= width - _WRAP_SLACK
        and not _TERMINAL.search(line)
        and following[:1].islower()
        and not _BULLET.match(following)
    )


def text_blocks(text: str) -> list[Block]:
    """The blocks of ``text``: one per line, except that a sentence wrapped over several lines is joined again."""
    runs: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            runs[-1].append(" ".join(line.split()))
        elif runs[-1]:
            runs.append([])
    blocks: list[Block] = []
    for run in runs:
        width = max((len(line) for line in run), default=0)
        pieces: list[str] = []
        for k, line in enumerate(run):
            if pieces and width <= _WRAP_MAX_COLUMNS and _continues(run[k - 1], line, width):
                pieces[-1] += " " + line
            else:
                pieces.append(line)
        blocks.extend(Block(piece, k == 0, k == len(pieces) - 1) for k, piece in enumerate(pieces))
    return blocks


@cache
def _stoplist(name: str) -> frozenset[str]:
    import justext

    return frozenset(w.casefold() for w in justext.get_stoplist(name))


def stopwords_of(blocks: list[Block]) -> frozenset[str]:
    """The stopword list of the language the text uses most (by how many of its words each list holds)."""
    words = Counter(w.casefold() for b in blocks[:400] for w in WORD.findall(b.text))
    return max((_stoplist(name) for name in _STOPLISTS), key=lambda stop: sum(n for w, n in words.items() if w in stop))


def _line_features(block: Block, repeats: int, index: int, count: int, stopwords: frozenset[str]) -> list[float]:
    text = block.text
    words = WORD.findall(text)
    n = len(words)
    stop = sum(w.casefold() in stopwords for w in words) / n if n else 0.0
    terminal = bool(_TERMINAL.search(text))
    unspaced = len(UNSPACED.findall(text))
    if unspaced * 3 > len(text):
        n = max(n, unspaced // _CHARACTERS_PER_WORD)
        stop = _UNSPACED_PROSE_STOPWORDS if terminal else _UNSPACED_OTHER_STOPWORDS
    return [
        math.log1p(n), stop, float(terminal), float(text[:1].isupper() or text[:1] in "\"“‘'("),
        float(block.alone), float(block.blank_before), float(block.blank_after), float(bool(PAGE_WORDS.search(text))),
        float(bool(line_furniture(text))), float(repeats > 1), float(text.endswith(("…", "..."))),
        sum(ch.isdigit() for ch in text) / max(1, len(text)), float(bool(_LINK.search(text))), index / max(1, count - 1),
        sum(w[:1].isupper() for w in words) / len(words) if words else 0.0, float(text.endswith(":")),
        float(n >= _PROSE_MIN_WORDS and stop >= _PROSE_STOPWORDS and terminal), float(bool(_WHEN.search(text))),
        float(bool(_COMMENTS.search(text))),
    ]  # fmt: skip


def main_region(values: np.ndarray) -> tuple[int, int]:
    """The stretch of blocks whose values add up to the most (first and last index; (0, -1) when none is positive)."""
    best = current = 0.0
    start = best_start = 0
    best_end = -1
    for i, value in enumerate(values):
        if current <= 0:
            current, start = float(value), i
        else:
            current += float(value)
        if current > best:
            best, best_start, best_end = current, start, i
    return best_start, best_end


def block_features(blocks: list[Block]) -> np.ndarray:
    """One row of :data:`FEATURES` per block: the block itself, the blocks around it, its run of paragraphs."""
    count = len(blocks)
    if not count:
        return np.zeros((0, len(FEATURES)))
    stopwords = stopwords_of(blocks)
    repeats = Counter(b.text for b in blocks)
    own = np.array([_line_features(b, repeats[b.text], i, count, stopwords) for i, b in enumerate(blocks)])
    log_words, prose_flag = own[:, 0], own[:, 16]
    prose = prose_flag * log_words
    index = np.arange(count)
    around = [window_means(prose, np.maximum(0, index - w), np.minimum(count, index + w + 1)) for w in (2, 5, 15)]
    around.append(window_means(prose, np.maximum(0, index - 5), index))
    around.append(window_means(prose, np.minimum(count, index + 1), np.minimum(count, index + 6)))
    first, last = main_region(np.where(prose_flag > 0, log_words * 3, -1.0))
    region = ((index >= first) & (index <= last)).astype(float)
    # blocks of lines: what stands between two blank lines (each a contiguous stretch of blocks)
    block_of = np.cumsum([b.blank_before for b in blocks])
    lines_in = np.bincount(block_of)[block_of]
    group_start = np.searchsorted(block_of, block_of, side="left")
    group_end = np.searchsorted(block_of, block_of, side="right")
    group_words = window_means(log_words, np.maximum(group_start, index - 40), np.minimum(group_end, index + 41))
    runs = _run_words(blocks, prose_flag, log_words)
    top = max(float(runs.max()), 1.0)
    columns = [*around, region, np.log1p(lines_in), group_words, np.log1p(runs), runs / top, (lines_in >= 3).astype(float)]
    return np.hstack([own, np.column_stack(columns), _comments_section(blocks, own).reshape(-1, 1)])


def window_means(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The mean of ``values[start:end]`` for each pair (0 for an empty window), from one running sum."""
    sums = np.concatenate([[0.0], np.cumsum(values)])
    widths = ends - starts
    return np.where(widths > 0, (sums[ends] - sums[starts]) / np.maximum(widths, 1), 0.0)


def _run_words(blocks: list[Block], prose_flag: np.ndarray, log_words: np.ndarray) -> np.ndarray:
    """For each block in a run of paragraphs (prose blocks set apart, short sub-headings between them), the run's words."""
    count = len(blocks)
    paragraph = [blocks[i].alone and prose_flag[i] > 0 for i in range(count)]
    runs = np.zeros(count)
    i = 0
    while i < count:
        if not paragraph[i]:
            i += 1
            continue
        j = i
        while j < count and (
            paragraph[j] or (blocks[j].alone and log_words[j] < math.log1p(_RUN_GAP_WORDS) and j + 1 < count and paragraph[j + 1])
        ):
            j += 1
        runs[i:j] = sum(math.expm1(log_words[k]) for k in range(i, j))
        i = j
    return runs


def _comments_section(blocks: list[Block], own: np.ndarray) -> np.ndarray:
    """1 for every block from a comments heading on (one that follows some prose and has reply controls after it)."""
    zone = np.zeros(len(blocks))
    seen = 0.0
    for i in range(len(blocks)):
        if own[i, 16]:
            seen += own[i, 0]
        if own[i, 18] and seen > 10:
            controls = sum(b.text.casefold() in _COMMENT_CONTROLS for b in blocks[i + 1 : i + 100])
            if controls >= 2:
                zone[i:] = 1.0
                break
    return zone
