"""Sentences: where one sentence ends and the next begins, and pieces short enough for an engine."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..models import primary_language

MAX_CHUNK = 300
_CLAUSE_BREAKS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"\s+(?=[—–]\s)|(?<=\s[—–])\s+|(?<=,)\s+(?=(?:and|but|or|nor|so|yet|while|although|because|which|who|whereas)\b)"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
)


# A fronted time adverbial ("At 5 a.m.", "Before 9 p.m.") is not a sentence of its own: the
# abbreviation's full stop belongs to the clause that follows.
_TIME_ADVERBIAL = re.compile(
    r"^(?:at|by|before|after|until|till|around|about|from|since|circa|(?:shortly|just|soon) (?:before|after))"
    r"(?: [\w:]+){1,3} [ap]\.m\.$",
    re.I,
)


_WHITESPACE = re.compile(r"\s*")


@cache
def _segmenter(language: str = "en") -> Any:
    import pysbd
    from pysbd.languages import LANGUAGE_CODES

    return pysbd.Segmenter(language=language if language in LANGUAGE_CODES else "en", clean=False)


def segment(segmenter: Any, text: str) -> list[str]:
    """What ``segmenter.segment(text)`` returns (pySBD, ``clean=False``), found in the text without regular expressions.

    pySBD finds where each of its sentences lies by compiling a pattern of the sentence itself, a regular
    expression compiled once per sentence and never used again: that was most of the time pySBD took. A plain
    search gives the same pieces (each with the whitespace after it, a sentence left out when it is not in the
    text or overlaps the one before).
    """
    if not text:
        return []
    pieces: list[str] = []
    reached = 0
    for sentence in segmenter.processor(text).process():
        if not sentence:  # pySBD's pattern is then whitespace alone, which also matches nothing
            for match in _WHITESPACE.finditer(text):
                if match.end() > reached:
                    pieces.append(match.group())
                    reached = match.end()
                    break
            continue
        position = 0
        while (start := text.find(sentence, position)) >= 0:
            end = start + len(sentence)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > reached:
                pieces.append(text[start:end])
                reached = end
                break
            position = end
    return pieces


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Split one paragraph of the article's own text into sentences, keeping its characters as written.

    ``language`` (a BCP 47 tag) picks pySBD's rules for that language where it has them ("am 3. Oktober"
    is one sentence in German); English rules otherwise.
    """
    if not text.strip():
        return []
    segmenter = _segmenter(primary_language(language))
    spans: list[tuple[int, int]] = []
    position = 0
    # pySBD reads no boundary between a pair of double hyphens (a dash as typewriters set it), and in
    # prose that uses them every few lines a whole paragraph became one sentence; it is given commas of
    # the same length, so that its pieces still line up with the text as written.
    # Dot leaders (a table of contents' "Chapter one ........ 5") end no sentence: pySBD made sentences of dots.
    probe = _LEADERS.sub(lambda m: "·" * len(m.group()), text.replace("--", ", "))
    for piece in segment(segmenter, probe):
        core = piece.strip()
        if not core:
            continue
        start = probe.find(core, position)
        if start < 0:  # the segmenter changed the text; fall back to what it returned
            return [p.strip() for p in segment(segmenter, text) if p.strip()]
        end = start + len(core)
        if spans and _TIME_ADVERBIAL.match(" ".join(text[spans[-1][0] : spans[-1][1]].split())):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        position = end
    spans = _citations(text, _within_quotes(probe, _unglue(text, spans), segmenter))
    return [text[a:b] for a, b in _attributions(text, _wrapped_lines(text, spans))]


# A line the source wrapped in the middle of a sentence ("expected to adhere to\nthe CORS protocol"): it
# ends in a letter or a comma and the next begins in lower case (or with a quote mark), or it ends in a word no
# sentence ends with ("begins in\nMarch"). A line the source
# sets apart (a heading, a byline, a dateline, a list's item) ends otherwise or is followed by a capital.
_WRAPPED = re.compile(r"[a-z,]\s*\n\s*[a-z“‘\"]")
# A line that ends in a word no sentence ends with ("begins in\nMarch") goes on into the next, whatever it begins with.
_OPEN_ENDED = re.compile(r"(?:^|\s)(?:in|of|the|a|an|to|and|or|but|for|with|at|by|from|on|as|that|which|than|its|their|our|his|her)\s*$")
# A quoted question or exclamation and who said it are one sentence: '“Same time next week, then?” Izuku offered'.
_SAID_BY = re.compile(
    r"^(?:[A-Z][a-z]+(?: [A-Z][a-z]+)?|he|she|they|I|we) (?:said|says|asked|asks|offered|replied|replies|added|adds|"
    r"shouted|yelled|whispered|wrote|writes|explained|continued|insisted|answered|cried|called|told)\b"
)


def _wrapped_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        between = text[out[-1][1] : start] if out else ""
        if (
            out
            and "\n" in between
            and (_WRAPPED.fullmatch(text[out[-1][1] - 1 : start + 1]) or _OPEN_ENDED.search(text[out[-1][0] : out[-1][1]]))
        ):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _attributions(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and text[out[-1][1] - 2 : out[-1][1]] in {'?"', "?”", '!"', "!”", "?’", "!’"} and _SAID_BY.match(text[start:end]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


_LEADERS = re.compile(r"\.{5,}|(?:\. ){4,}\.")

# A citation marker after a sentence's stop ("flooded in 1998.[17]", "disputed.[citation needed]", 'equality."[28]',
# with a page, "loop.[1]: 207") closes that sentence: pySBD either read on past it or opened the next sentence with it.
_MARKERS = re.compile(r"(?:\[(?:\d{1,3}|[a-z]|citation needed|note \d+)\](?::\s?\d+(?:[–-]\d+)?)?)+", re.I)
_LEAD = re.compile(r"[\"”’]?" + _MARKERS.pattern, re.I)  # a sentence the segmenter opened with the marker
_CITATION = re.compile(r"(?<=[.!?])" + _MARKERS.pattern + r"|(?<=[.!?][\"”’])" + _MARKERS.pattern, re.I)


def _citations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        lead = _LEAD.match(text[start:end])
        if out and lead and text[out[-1][1] - 1] in '.!?"”’':
            out[-1] = (out[-1][0], start + lead.end())
            start += lead.end()
            while start < end and text[start].isspace():
                start += 1
            if start >= end:
                continue
        for marker in _CITATION.finditer(text, start, end):
            following = marker.end()
            while following < end and text[following].isspace():
                following += 1
            if following < end and following > marker.end() and text[following].isupper():
                out.append((start, marker.end()))
                start = following
        out.append((start, end))
    return out


# A quotation (or an aside in brackets): an opening mark and its closing one, or the end of the paragraph
# when the quote runs on into the next (as a quote of several paragraphs does).
_QUOTATION = re.compile(r"[“\"«„]([^”\"»“]{20,})(?:[”\"»“]|$)|``(.{20,}?)(?:''|$)|\(([^()]{20,})(?:\)|$)")
# pySBD takes the pronoun "I" after a full stop for a Roman numeral and reads on: "in the man. I remembered".
_BEFORE_I = re.compile(r"(?<=[a-z]{2}[.!?])\s+(?=I\s+[a-z])")
_NOT_ENDS = frozenset({"vs", "cf", "viz", "approx", "ca"})


def _within_quotes(text: str, spans: list[tuple[int, int]], segmenter: Any) -> list[tuple[int, int]]:
    """Cut a sentence where a quotation inside it holds several sentences of its own.

    The segmenter keeps a quotation whole: a seven-sentence quote was one caption cue and one breath.
    The quote marks stay where they are, on its first and its last sentence.
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cuts: list[int] = []
        for quote in _QUOTATION.finditer(text, start, end):
            group = next(g for g in (1, 2, 3) if quote.group(g) is not None)
            position = quote.start(group)
            inner = [piece.strip() for piece in segment(segmenter, quote.group(group)) if piece.strip()]
            for piece in inner[:-1]:
                found = text.find(piece, position, quote.end(group))
                if found < 0:
                    break
                position = found + len(piece)
                if text[position - 1] in ".!?…":
                    cuts.append(position)
        for pronoun in _BEFORE_I.finditer(text, start, end):
            word = re.search(r"(\w+)[.!?]$", text[start : pronoun.start()])
            if word and word.group(1).lower() not in _NOT_ENDS:
                cuts.append(pronoun.start())
        for cut in sorted(set(cuts)):
            following = cut
            while following < end and text[following].isspace():
                following += 1
            if following >= end or following == cut:
                continue
            out.append((start, cut))
            start = following
        out.append((start, end))
    return out


# Sentences the page ran together with no space: "…phenomenon.”There was", "…Ginger Nut.These may".
# Without a quote mark, only a word that commonly starts a sentence marks the seam, so that
# "String.Format" and "U.S.Army" stay whole.
_SENTENCE_OPENERS = (
    "The|These|There|Then|They|This|That|Those|It|Its|He|She|We|I|In|But|And|A|An|So|Yet|When|While|After|"
    "Before|As|At|On|For|If|Now|Still|However|His|Her|Our|Their|One|Some|Many|Most|What|Why|How"
)
_GLUED = re.compile(r"(?<=[a-z0-9)][.!?][”’])(?=[A-Z])|(?<=[a-z)][.!?])(?=(?:" + _SENTENCE_OPENERS + r")\b)")
# A word in lower case, a stop and a capitalized word with no space between ("Hello world.Today is") is two
# sentences too; a capital inside the word before ("String.Format"), an abbreviation ("approx.") or code
# ("exports.Cow = Cow") is not: the capitalized word must go on into a sentence.
_RUN_ON = re.compile(r"(?<![\w.])([a-z]{2,})[.!?](?=[A-Z][a-z]+\s+[a-z])")
# A sentence in brackets after a quoted one ('“monitoring person.” (That being said, …)') begins a sentence.
_ASIDE = re.compile(r"(?<=[.!?][”\"’])(?=\s+\([A-Z][a-z])")
_ABBREVIATIONS = frozenset({"vs", "cf", "viz", "approx", "ca", "etc", "incl", "esp", "fig", "no", "vol", "pp", "dept", "est"})
_CLOSING_QUOTES = "”’"


def _unglue(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split sentences glued together at a full stop, and give a closing quote back to the sentence it ends."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and text[start] in _CLOSING_QUOTES and out[-1][1] == start and text[out[-1][1] - 1] in ".!?":
            out[-1] = (out[-1][0], start + 1)
            start += 1
            while start < end and text[start].isspace():
                start += 1
            if start >= end:
                continue
        cuts = [m.start() for m in _GLUED.finditer(text, start, end) if start < m.start() < end]
        cuts += [m.end() for m in _RUN_ON.finditer(text, start, end) if m.group(1) not in _ABBREVIATIONS and start < m.end() < end]
        cuts += [m.start() for m in _ASIDE.finditer(text, start, end) if start < m.start() < end]
        cuts = sorted(set(cuts))
        for cut in cuts:
            before = cut
            while before > start and text[before - 1].isspace():
                before -= 1
            out.append((start, before))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        out.append((start, end))
    return out


def chunk_for_engine(spoken: str, limit: int = MAX_CHUNK) -> list[str]:
    """Cut a long spoken sentence at clause boundaries so no piece exceeds ``limit`` characters.

    Semicolons and colons go first, then dashes and a comma before a conjunction, then any
    comma, and words only as a last resort. The pieces are joined later with a short
    breath, not a full-stop pause.
    """
    if len(spoken) <= limit:
        return [spoken]
    for pattern in _CLAUSE_BREAKS:
        parts = [p for p in pattern.split(spoken) if p.strip()]
        if len(parts) > 1:
            chunks: list[str] = []
            for part in parts:
                if chunks and len(chunks[-1]) + 1 + len(part) <= limit:
                    chunks[-1] = f"{chunks[-1]} {part}"
                else:
                    chunks.append(part)
            if all(len(c) <= limit for c in chunks):
                return chunks
            return [piece for c in chunks for piece in chunk_for_engine(c, limit)]
    return [spoken[i : i + limit] for i in range(0, len(spoken), limit)]
