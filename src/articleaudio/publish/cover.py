"""Cover art: the article's lead image, when it can be had without surprises; never fails a conversion."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urljoin

from ..errors import ArticleAudioError
from ..models import Article, Source
from ..settings import Settings

LOGGER = logging.getLogger(__name__)
_MAX_IMAGE_BYTES = 5_000_000


def image_type(data: bytes) -> str | None:
    """MIME type of a JPEG or PNG image, or None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def _fetch(url: str, settings: Settings) -> bytes:
    import httpx

    limit = min(settings.max_bytes, _MAX_IMAGE_BYTES)
    with httpx.Client(follow_redirects=True, max_redirects=5, timeout=settings.timeout) as client, client.stream("GET", url) as response:
        response.raise_for_status()
        chunks, total = [], 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise ValueError(f"image over {limit:,} bytes")
            chunks.append(chunk)
    return b"".join(chunks)


def find_cover(article: Article, source: Source, settings: Settings, explicit: str | None = None) -> tuple[bytes, str] | None:
    """Image bytes and MIME type for the front cover, or None.

    An explicit path or URL wins. Otherwise the article's lead image is used: fetched over
    the network only when the article itself came from the network, and read from disk
    (relative to the page) for a saved page, so an offline conversion never goes online.
    """
    candidate = explicit or article.image
    if not candidate:
        return None
    target = candidate if explicit or not source.url else urljoin(source.url, candidate)
    try:
        if target.startswith(("http://", "https://")):
            if not explicit and not source.url:
                return None  # a saved page never pulls its images from the web
            data = _fetch(target, settings)
        else:
            path = Path(target)
            if not path.is_absolute() and not explicit and source.name not in {"-", ""}:
                path = Path(source.name).parent / target.lstrip("/")
            if not path.is_file() or path.stat().st_size > _MAX_IMAGE_BYTES:
                return None
            data = path.read_bytes()
    except (OSError, ValueError, ArticleAudioError) as exc:
        LOGGER.info("no cover art from %s: %s", candidate, exc)
        return None
    except Exception as exc:  # noqa: BLE001  # any HTTP client failure means no cover, never a failed conversion
        LOGGER.info("no cover art from %s: %s", candidate, exc)
        return None
    mime = image_type(data)
    if mime is None:
        LOGGER.info("no cover art from %s: not a JPEG or PNG image", candidate)
        return None
    return data, mime
