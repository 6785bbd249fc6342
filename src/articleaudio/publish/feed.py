"""A podcast feed (RSS 2.0 + iTunes + Podcasting 2.0) for a folder of narrations, built with feedgen."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import OutputError

LOGGER = logging.getLogger(__name__)
PODCAST_NS = "https://podcastindex.org/namespace/1.0"


@dataclass(frozen=True)
class Channel:
    """What describes the feed as a whole."""

    title: str
    base_url: str
    description: str = "Narrated articles"
    link: str | None = None
    image: str | None = None
    author: str | None = None
    language: str = "en"


def _podcast_extensions() -> tuple[type, type]:
    from feedgen.ext.base import BaseEntryExtension, BaseExtension
    from lxml import etree

    class PodcastIndex(BaseExtension):
        """Declares the Podcasting 2.0 namespace."""

        def extend_ns(self) -> dict[str, str]:
            return {"podcast": PODCAST_NS}

    class PodcastIndexEntry(BaseEntryExtension):
        """``podcast:transcript`` and ``podcast:chapters`` for one item."""

        def __init__(self) -> None:
            self.links: list[tuple[str, dict[str, str]]] = []

        def add(self, tag: str, **attributes: str) -> None:
            self.links.append((tag, attributes))

        def extend_rss(self, item: Any) -> Any:
            for tag, attributes in self.links:
                etree.SubElement(item, f"{{{PODCAST_NS}}}{tag}", attributes)
            return item

    return PodcastIndex, PodcastIndexEntry


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _url(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + quote(name)


def read_manifests(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every articleaudio manifest in ``folder`` whose MP3 is present, oldest article first."""
    found = []
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".chapters.json"):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or "manifest_version" not in data:
            continue
        if not (folder / data["audio"]["file"]).is_file():
            LOGGER.warning("%s: its MP3 is missing; left out of the feed", path)
            continue
        found.append((path, data))
    return sorted(found, key=lambda pair: (pair[1]["article"].get("date") or "", pair[0].name))


def guid_for(manifest: dict[str, Any]) -> str:
    """A guid that stays the same across rebuilds and re-narrations of one article."""
    article = manifest["article"]
    identity = article.get("url") or article.get("source") or manifest["audio"]["file"]
    return "urn:articleaudio:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]


def _published(manifest: dict[str, Any], mp3: Path) -> datetime:
    date = manifest["article"].get("date")
    if date:
        try:
            return datetime.fromisoformat(date).replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(mp3.stat().st_mtime, tz=UTC)


def build_feed(folder: Path, channel: Channel) -> bytes:
    """RSS bytes with one item per narration in ``folder``."""
    from feedgen.feed import FeedGenerator

    manifests = read_manifests(folder)
    if not manifests:
        raise OutputError("holds no narrations (no <stem>.json manifests with their MP3s)", str(folder))
    ext, entry_ext = _podcast_extensions()
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", ext, entry_ext, rss=True, atom=False)
    fg.title(channel.title)
    fg.link(href=channel.link or channel.base_url, rel="alternate")
    fg.description(channel.description)
    fg.language(channel.language)
    fg.generator("articleaudio")
    fg.podcast.itunes_category("News")
    fg.podcast.itunes_explicit("no")
    if channel.author:
        fg.podcast.itunes_author(channel.author)
    if channel.image:
        fg.image(url=channel.image, title=channel.title, link=channel.link or channel.base_url)
        fg.podcast.itunes_image(channel.image)
    for manifest_path, manifest in manifests:
        article, audio = manifest["article"], manifest["audio"]
        mp3 = folder / audio["file"]
        stem = mp3.stem
        entry = fg.add_entry(order="append")
        entry.title(article["title"])
        entry.guid(guid_for(manifest), permalink=False)
        if article.get("url"):
            entry.link(href=article["url"])
        summary = article.get("description") or next((p for s in article["sections"] for p in s["paragraphs"]), article["title"])
        entry.description(f"{summary}\n\n{manifest['voice'].get('engine')} synthetic voice narration.")
        entry.pubDate(_published(manifest, mp3))
        entry.enclosure(_url(channel.base_url, mp3.name), str(mp3.stat().st_size), "audio/mpeg")
        entry.podcast.itunes_duration(_duration(int(audio["duration_ms"])))
        if article.get("authors"):
            entry.podcast.itunes_author(", ".join(article["authors"]))
        vtt = folder / f"{stem}.vtt"
        if vtt.is_file():
            entry.podcastindex.add(
                "transcript", url=_url(channel.base_url, vtt.name), type="text/vtt", language=article.get("language") or "en"
            )
        chapters = folder / f"{stem}.chapters.json"
        if chapters.is_file():
            entry.podcastindex.add("chapters", url=_url(channel.base_url, chapters.name), type="application/json+chapters")
        LOGGER.debug("feed item from %s", manifest_path)
    rss: bytes = fg.rss_str(pretty=True)
    return rss
