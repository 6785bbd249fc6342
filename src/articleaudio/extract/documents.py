"""Markdown and plain text: the article in a document that has no page around it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..models import Article, Section, Source, public_source
from .byline import split_authors
from .clutter import Dropped
from .dates import iso_date
from .dom import squash as _squash
from .furniture import same_words, strip_footnote_markers
from .textblocks import Block
from .textpage import TextPage, first_sentence_title, is_page, read_text_page, rule_reasons


def fallback_title(source: Source) -> str:
    """A title made from the source's file name, for documents that declare none."""
    if source.name == "-":
        return "Untitled article"
    stem = Path(source.name.rstrip("/").split("?")[0]).stem
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled article"


def extract_markdown(text: str, source: Source, include_tables: bool = False) -> tuple[Article, list[Dropped]]:
    """The article in a Markdown document, and what was left out of it.

    Front matter gives the metadata and a first-level heading the title (read once, even when it repeats the
    front matter's title). Tables are left out, or read row by row with ``include_tables``, as in a web page;
    a document that carries page debris (copied from a site) loses it as a text page does.
    """
    from markdown_it import MarkdownIt

    front: dict[str, str] = {}
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            if value.strip():
                front[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end() :]
    blocks, dropped = _markdown_blocks(MarkdownIt("commonmark").enable("table").parse(text), include_tables)
    title = front.get("title")
    if blocks and blocks[0][0] == "h1" and (title is None or same_words(blocks[0][1], title)):
        title = title or blocks[0][1]
        blocks.pop(0)
    reasons = rule_reasons([Block(words, True, True) for _, words in blocks])
    if is_page(reasons):
        dropped += [Dropped(reason, words) for (_, words), reason in zip(blocks, reasons, strict=True) if reason]
        blocks = [block for block, reason in zip(blocks, reasons, strict=True) if not reason]
    article = Article(
        title=title or fallback_title(source),
        sections=_sections((kind.startswith("h"), words) for kind, words in blocks),
        authors=split_authors(front.get("author")),
        site_name=front.get("site") or front.get("site_name"),
        date=iso_date(front.get("date")),
        url=front.get("url") or source.url,
        language=front.get("lang") or front.get("language"),
        description=front.get("description"),
        image=front.get("image"),
        section=front.get("section") or front.get("category"),
        source=public_source(source.name),
        block_quotes=tuple(words for kind, words in blocks if kind == "quote"),
    )
    return article, dropped


def _markdown_blocks(tokens: list[Any], include_tables: bool) -> tuple[list[tuple[str, str]], list[Dropped]]:
    """(kind, words) per heading, paragraph (``quote`` inside a block quotation) or table row; a table's rows are
    read only with ``include_tables``."""
    blocks: list[tuple[str, str]] = []
    dropped: list[Dropped] = []
    kind = "p"
    quoting = 0
    cells: list[str] | None = None
    rows: list[str] = []
    for token in tokens:
        if token.type == "heading_open":
            kind = token.tag
        elif token.type == "paragraph_open":
            kind = "quote" if quoting else "p"
        elif token.type in {"blockquote_open", "blockquote_close"}:
            quoting += 1 if token.type == "blockquote_open" else -1
        elif token.type == "tr_open":
            cells = []
        elif token.type == "tr_close" and cells is not None:
            if any(cells):
                rows.append(", ".join(c for c in cells if c))
            cells = None
        elif token.type == "table_close":
            if include_tables:
                blocks.extend(("p", row) for row in rows)
            elif rows:
                table = "; ".join(rows)
                dropped.append(Dropped("table", table if len(table) <= 100 else table[:99] + "…"))
            rows = []
        elif token.type == "inline":
            words = _squash("".join(_inline_text(c) for c in token.children or []))
            if cells is not None:
                cells.append(words)
            elif words:
                blocks.append((kind, words))
    return blocks, dropped


def _inline_text(token: Any) -> str:
    if token.type in {"text", "code_inline"}:
        return str(token.content)
    if token.type in {"softbreak", "hardbreak"}:
        return " "
    if token.type == "html_inline":
        return ""
    return ""


def extract_plain(text: str, source: Source) -> tuple[Article, list[Dropped]]:
    """The article in plain text, and what was left out of it.

    A page copied as text (a menu, appeals, a feed around the story) is read by :mod:`.textpage`: the story
    only, with the headline, byline and date it sets apart. An authored text is read whole: blank lines
    part paragraphs, and a short first line without a full stop is the title.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    page = read_text_page(text)
    if page.page:
        return _article_from_page(page, source), page.dropped
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1 and text.count("\n") > 3:
        blocks = [b for b in text.split("\n") if b.strip()]
    paragraphs = [_squash(b) for b in blocks]
    title = None
    if len(paragraphs) > 1 and len(paragraphs[0]) <= 150 and not re.search(r"[.!?:;,]$", paragraphs[0]):
        title = paragraphs.pop(0)
    article = Article(
        title=title or fallback_title(source),
        sections=(Section(None, tuple(paragraphs)),) if paragraphs else (),
        url=source.url,
        source=public_source(source.name),
    )
    return article, []


def _sections(blocks: Iterable[tuple[bool, str]]) -> tuple[Section, ...]:
    """Sections from (is a heading, words) blocks, in order; a heading with nothing under it is left out."""
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    for is_heading, words in blocks:
        if is_heading:
            if heading is not None or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = words, []
        else:
            paragraphs.append(strip_footnote_markers(words))
    if heading is not None or paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return tuple(s for s in sections if s.paragraphs)


def _article_from_page(page: TextPage, source: Source) -> Article:
    kept = _sections((i in page.headings, block) for i, block in enumerate(page.paragraphs))
    first = kept[0].paragraphs[0] if kept else ""
    return Article(
        title=page.title or (first_sentence_title(first) if first else fallback_title(source)),
        sections=kept,
        authors=page.authors,
        date=page.date,
        description=page.description,
        url=source.url,
        source=public_source(source.name),
    )
