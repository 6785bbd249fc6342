"""Quoted speech in a sentence: the stretches a second voice speaks, and the narrator's words around them."""

from __future__ import annotations

import re

from ..charsets import UNSPACED

# Opening mark → the marks that close it: English and most of Europe, German, French and Swiss, CJK corner brackets.
_PAIRS = {"“": "”", '"': '"', "„": "“”", "«": "»", "»": "«", "「": "」", "『": "』", "‘": "’"}
_OPENING = re.compile("[" + re.escape("".join(_PAIRS)) + "]")
_WORDS = re.compile(r"[^\W_]+")
# quoted speech is three words or more: "scare quotes" and a title in quotes stay with the narrator
MIN_WORDS = 3


def _words(text: str) -> int:
    return len(_WORDS.findall(UNSPACED.sub(" x ", text)))


def _quotations(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation of three words or more, marks included."""
    found: list[tuple[int, int]] = []
    position = 0
    while match := _OPENING.search(text, position):
        start = match.start()
        opening = match.group()
        if opening == "‘" and start and text[start - 1].isalnum():
            position = start + 1  # an apostrophe typed the wrong way round
            continue
        closing = _PAIRS[opening]
        end = -1
        for index in range(start + 1, len(text)):
            if text[index] in closing and (opening != "‘" or index + 1 >= len(text) or not text[index + 1].isalpha()):
                end = index + 1
                break
        if end < 0:
            break
        if _words(text[start + 1 : end - 1]) >= MIN_WORDS:
            found.append((start, end))
        position = end
    return found


def _at_space(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The quotation widened to the spaces around it (taking the marks attached to it, such as '",' or '(“');
    None when a word is attached to it (``said:"…"``), which a second voice cannot take from the narrator."""
    while end < len(text) and not text[end].isspace():
        if text[end].isalnum():
            return None
        end += 1
    while start > 0 and not text[start - 1].isspace():
        if text[start - 1].isalnum():
            return None
        start -= 1
    return start, end


def quoted_parts(text: str) -> list[tuple[str, bool]]:
    """``text`` cut at spaces into the narrator's words (False) and quoted speech (True), in order; one part
    (the whole text, False) when it quotes no speech."""
    cuts: list[tuple[int, int]] = []
    for start, end in _quotations(text):
        widened = _at_space(text, start, end)
        if widened and (not cuts or widened[0] >= cuts[-1][1]):
            cuts.append(widened)
    if not cuts:
        return [(text, False)]
    parts: list[tuple[str, bool]] = []
    position = 0
    for start, end in cuts:
        if text[position:start].strip():
            parts.append((text[position:start].strip(), False))
        parts.append((text[start:end].strip(), True))
        position = end
    if text[position:].strip():
        parts.append((text[position:].strip(), False))
    return parts
