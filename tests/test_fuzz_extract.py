"""Fuzzing the extractor: any HTML gives an Article or our ExtractionError, never another exception or a hang."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articleaudio.errors import ExtractionError
from articleaudio.extract.html import extract_article
from articleaudio.models import Source

from .conftest import SAMPLE

TAGS = ["p", "div", "article", "section", "span", "h1", "h2", "h3", "ul", "li", "table", "tr", "td", "a", "figure", "figcaption",
        "nav", "aside", "form", "script", "style", "br", "blockquote", "pre", "main", "header", "footer"]  # fmt: skip
CLASSES = ["", "related", "post", "content", "share-bar", "modal", "caption", "newsletter", "story-body", "ad", "x-y-z-w-v"]
HREFS = ["", " href='/other-story'", " href='#top'"]
# `ARTICLEAUDIO_FUZZ_SCALE=10 pytest tests/test_fuzz_extract.py` runs ten times the cases of the default run.
SCALE = max(1, int(os.environ.get("ARTICLEAUDIO_FUZZ_SCALE", "1")))
WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def html(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 1))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            cls = draw(st.sampled_from(CLASSES))
            closing = draw(st.sampled_from([f"</{tag}>", ""]))  # unclosed tags too
            href = draw(st.sampled_from(HREFS)) if tag == "a" else ""
            parts.append(f"<{tag} class='{cls}'{href}>{draw(html(depth + 1))}{closing}")
        else:
            parts.append(draw(WORDS))
    return "".join(parts)


SAMPLE_BYTES = SAMPLE.read_bytes()


@st.composite
def mutated_sample(draw: st.DrawFn) -> bytes:
    data = bytearray(SAMPLE_BYTES)
    for _ in range(draw(st.integers(1, 8))):
        start = draw(st.integers(0, len(data) - 1))
        length = draw(st.integers(0, 400))
        action = draw(st.sampled_from(["cut", "dup", "junk"]))
        if action == "cut":
            del data[start : start + length]
        elif action == "dup":
            data[start:start] = data[start : start + length]
        else:
            data[start:start] = draw(st.binary(max_size=30)).replace(b"\x00", b"")
    return bytes(data)


def _check(data: bytes) -> None:
    try:
        article = extract_article(Source("fuzz.html", data, "html"))
    except ExtractionError:
        pass
    else:
        assert article.title and all(p.strip() for p in article.paragraphs)


@settings(max_examples=1500 * SCALE, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(html())
def test_random_html(document: str) -> None:
    _check(f"<html><body>{document}</body></html>".encode())


@settings(max_examples=500 * SCALE, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sample())
def test_mutated_sample_page(data: bytes) -> None:
    _check(data)
