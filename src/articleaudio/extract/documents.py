"""Markdown and plain text: the article in a document that has no page around it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..models import Article, Section, Source
from .byline import split_authors
from .dates import iso_date
from .dom import squash as _squash
from .furniture import strip_footnote_markers


def fallback_title(source: Source) -> str:
    """A title made from the source's file name, for documents that declare none."""
    if source.name == "-":
        return "Untitled article"
    stem = Path(source.name.rstrip("/").split("?")[0]).stem
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled article"


def extract_markdown(text: str, source: Source) -> Article:
    """The article in a Markdown document: front matter for metadata, a first-level heading as the title."""
    from markdown_it import MarkdownIt

    front: dict[str, str] = {}
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            if value.strip():
                front[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end() :]
    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[tuple[str, str]] = []
    kind = "p"
    for token in tokens:
        if token.type == "heading_open":
            kind = token.tag
        elif token.type == "paragraph_open":
            kind = "p"
        elif token.type == "inline":
            words = _squash("".join(_inline_text(c) for c in token.children or []))
            if words:
                blocks.append((kind, words))
    title = front.get("title")
    if title is None and blocks and blocks[0][0] == "h1":
        title = blocks.pop(0)[1]
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    for kind, words in blocks:
        if kind.startswith("h"):
            if heading is not None or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = words, []
        else:
            paragraphs.append(strip_footnote_markers(words))
    if heading is not None or paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return Article(
        title=title or fallback_title(source),
        sections=tuple(s for s in sections if s.paragraphs),
        authors=split_authors(front.get("author")),
        site_name=front.get("site") or front.get("site_name"),
        date=iso_date(front.get("date")),
        url=front.get("url") or source.url,
        language=front.get("lang") or front.get("language"),
        description=front.get("description"),
        image=front.get("image"),
        source=source.name,
    )


def _inline_text(token: Any) -> str:
    if token.type in {"text", "code_inline"}:
        return str(token.content)
    if token.type in {"softbreak", "hardbreak"}:
        return " "
    if token.type == "html_inline":
        return ""
    return ""


def extract_plain(text: str, source: Source) -> Article:
    """The article in plain text: blank lines part paragraphs; a short first line without a full stop is the title."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1 and text.count("\n") > 3:
        blocks = [b for b in text.split("\n") if b.strip()]
    paragraphs = [_squash(b) for b in blocks]
    title = None
    if len(paragraphs) > 1 and len(paragraphs[0]) <= 150 and not re.search(r"[.!?:;,]$", paragraphs[0]):
        title = paragraphs.pop(0)
    return Article(
        title=title or fallback_title(source),
        sections=(Section(None, tuple(paragraphs)),) if paragraphs else (),
        url=source.url,
        source=source.name,
    )
