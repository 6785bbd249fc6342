"""Helpers shared by the extraction passes: inline tags, prose containers, whitespace."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import Tag


# Blocks that hold sentences: an inline element inside one with words of its own around it is part of a sentence.
SENTENCE_BLOCKS = frozenset({"p", "li", "blockquote"})
INLINE_TAGS = frozenset({"a", "span", "em", "strong", "b", "i", "u", "abbr", "cite", "q", "mark", "small", "sup", "sub", "time"})


def inside_prose(tag: Tag, lengths: dict[int, int] | None = None) -> bool:
    """True when ``tag`` sits in a paragraph that has words of its own around it.

    ``lengths`` keeps each paragraph's text length once measured, for callers that ask of many tags.
    """
    parent = next((p for p in tag.parents if p.name in SENTENCE_BLOCKS), None)
    if parent is None:
        return False
    if lengths is None:
        lengths = {}
    if id(parent) not in lengths:
        lengths[id(parent)] = len(parent.get_text(" ", strip=True))
    return lengths[id(parent)] > len(tag.get_text(" ", strip=True)) + 20


def was_removed(tag: Tag) -> bool:
    """Whether ``tag`` went with an element removed earlier.

    bs4's own ``Tag.decomposed`` looks the flag up with getattr, which on a tag that was never removed
    falls through to a search of its whole subtree for a child named "_decomposed": asked of every
    element of a page, that walk made pruning quadratic in the page's size.
    """
    return bool(vars(tag).get("_decomposed", False))


def squash(text: str) -> str:
    """``text`` with every run of white space made one space, trimmed."""
    return " ".join(text.split())
