"""Articles as plain text or JSON, for ``articleaudio extract``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..models import Article
from .clutter import Dropped


def article_text(article: Article) -> str:
    """The text that would be read: headings on their own lines, paragraphs separated by a blank line."""
    blocks: list[str] = []
    for section in article.sections:
        if section.heading:
            blocks.append(section.heading)
        blocks.extend(section.paragraphs)
    return "\n\n".join(blocks)


def article_json(article: Article, dropped: list[Dropped] | None = None) -> dict[str, Any]:
    """The Article (metadata, sections, paragraphs) as JSON-ready data."""
    data = asdict(article)
    data["authors"] = list(article.authors)
    data["sections"] = [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in article.sections]
    data["word_count"] = article.word_count
    if dropped is not None:
        data["dropped"] = [asdict(d) for d in dropped]
    return data
