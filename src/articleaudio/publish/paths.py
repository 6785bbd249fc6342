"""Where a narration is written: safe slugs, output folders, and never clobbering another article."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..charsets import UNSPACED
from ..errors import OutputError
from ..models import Article
from ..settings import DEFAULT_OUTPUT_DIR
from .claims import claimed_by_other
from .tags import read_provenance

MAX_SLUG = 80


def slugify(text: str) -> str:
    """A lowercase ASCII file stem, safe on every filesystem and in a URL: no separators, no dots, no path traversal.

    A headline in another script is transliterated (anyascii): "Новая линия метро" is ``novaya-liniya-metro``,
    "地铁线路" ``de-tie-xian-lu``, so that a folder of Korean, Chinese, Arabic or Russian narrations is not
    ``article.mp3``, ``article-2.mp3``, ``article-3.mp3``.
    """
    from anyascii import anyascii

    text = "".join(" " if unicodedata.category(c)[0] == "S" else c for c in unicodedata.normalize("NFC", text))  # no emoji names
    # scripts written without spaces: each character is a syllable or a word of its own when transliterated
    text = UNSPACED.sub(lambda m: f" {m.group(0)} ", text)
    ascii_text = anyascii(text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug or "article"


def source_identity(article: Article, source_name: str) -> str:
    """What tells two articles apart: the canonical URL; else, for a local file, a hash of its absolute path
    (two ``news.txt`` in two folders are two articles, and the published tag says nothing of the folders)."""
    if article.url:
        return article.url
    if source_name == "-" or "://" in source_name:
        return source_name
    digest = hashlib.sha256(str(Path(source_name).resolve()).encode("utf-8")).hexdigest()[:20]
    return f"file:{digest}"


def plan_output(
    article: Article,
    output: str | None,
    several: bool = False,
    identity: str | None = None,
    known: Mapping[str, dict[str, Any] | None] | None = None,
) -> tuple[Path, dict[str, Any] | None]:
    """The MP3 path for ``article`` and the provenance of a narration of it already there (else None).

    ``output`` is a folder (existing, or ending in a slash, or with no ``.mp3`` suffix) or an
    MP3 file name (only for a single source). A file of another article with the same slug
    is never replaced: the slug gets ``-2``, ``-3`` … instead. ``known`` stands in for the folder when it is
    on another machine (a cluster's client): each MP3 name there with its provenance (None for a file that is
    not a narration).
    """
    target = Path(output) if output else Path(DEFAULT_OUTPUT_DIR)
    is_file = output is not None and target.suffix.lower() == ".mp3" and not target.is_dir()
    if is_file and several:
        raise OutputError("is a file name, but several sources were given; pass a folder", str(target))
    identity = identity or article.url or article.source
    if is_file:
        if not target.exists():
            return target, None
        provenance = read_provenance(target)
        # A file that is not a narration of this article is never replaced without --force.
        return target, provenance if provenance and provenance.get("source") == identity else {"source": None}
    if target.exists() and not target.is_dir():
        raise OutputError("exists and is not a folder", str(target))
    slug = slugify(article.title)
    for n in range(1, 1000):
        candidate = target / (f"{slug}.mp3" if n == 1 else f"{slug}-{n}.mp3")
        if known is not None:
            if candidate.name not in known:
                return candidate, None
            if (provenance := known[candidate.name]) is not None and provenance.get("source") == identity:
                return candidate, provenance
            continue
        if claimed_by_other(candidate, identity):
            continue  # another run is writing another article under this name
        if not candidate.exists():
            return candidate, None
        provenance = read_provenance(candidate)
        if provenance is not None and provenance.get("source") == identity:
            return candidate, provenance
    raise OutputError(f"too many files named {slug}-N.mp3", str(target))


def check_writable(folder: Path) -> None:
    """Fail early, before any synthesis, when ``folder`` cannot take new files."""
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError("folder cannot be written", str(folder))
