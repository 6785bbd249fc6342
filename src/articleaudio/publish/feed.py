"""A podcast feed (RSS 2.0 + iTunes + Podcasting 2.0) for a folder of narrations, built with feedgen."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import OutputError

LOGGER = logging.getLogger(__name__)
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
DCTERMS_NS = "http://purl.org/dc/terms/"
# The namespace of podcast:guid (a UUIDv5 of the feed's URL without its scheme), fixed by the Podcasting 2.0 spec.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
COVER_NAME = "feed-cover.png"
COVER_PIXELS = 1400


@dataclass(frozen=True)
class Channel:
    """What describes the feed as a whole."""

    title: str
    base_url: str
    description: str = "Narrated articles"
    link: str | None = None
    image: str | None = None
    """URL of a square cover (1400 to 3000 pixels); articleaudio makes one when there is none."""
    author: str | None = None
    language: str = "en"
    owner_email: str | None = None
    """The owner's e-mail address (itunes:owner, podcast:locked); directories use it to verify the owner."""
    locked: bool = True
    """podcast:locked: other platforms may not import the feed as their own."""
    file_name: str = "feed.xml"

    @property
    def feed_url(self) -> str:
        return _url(self.base_url, self.file_name)


def _podcast_extensions() -> tuple[type, type]:
    from feedgen.ext.base import BaseEntryExtension, BaseExtension
    from lxml import etree

    class PodcastIndex(BaseExtension):
        """The Podcasting 2.0 namespace, and its channel elements (``podcast:guid``, ``podcast:locked``)."""

        def __init__(self) -> None:
            self.elements: list[tuple[str, str, dict[str, str]]] = []

        def add(self, tag: str, text: str, **attributes: str) -> None:
            self.elements.append((tag, text, attributes))

        def extend_ns(self) -> dict[str, str]:
            return {"podcast": PODCAST_NS, "dcterms": DCTERMS_NS}

        def extend_rss(self, rss: Any) -> Any:
            channel = rss[0]
            for tag, text, attributes in self.elements:
                etree.SubElement(channel, f"{{{PODCAST_NS}}}{tag}", attributes).text = text
            return rss

    class PodcastIndexEntry(BaseEntryExtension):
        """``podcast:transcript``, ``podcast:chapters`` and ``dcterms:modified`` for one item."""

        def __init__(self) -> None:
            self.links: list[tuple[str, dict[str, str]]] = []
            self.modified: str | None = None

        def add(self, tag: str, **attributes: str) -> None:
            self.links.append((tag, attributes))

        def extend_rss(self, item: Any) -> Any:
            for tag, attributes in self.links:
                etree.SubElement(item, f"{{{PODCAST_NS}}}{tag}", attributes)
            if self.modified:
                etree.SubElement(item, f"{{{DCTERMS_NS}}}modified").text = self.modified
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
    """A guid that stays the same across rebuilds and re-narrations of one article: a re-narrated story is the same
    episode (its URL, or its local file's path, hashed; manifests of older versions: the URL or the source)."""
    article = manifest["article"]
    digest = manifest.get("hashes", {}).get("identity_sha256")
    if not digest or article.get("url"):
        identity = article.get("url") or article.get("source") or manifest["audio"]["file"]
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()
    return "urn:articleaudio:" + digest[:32]


def podcast_guid(feed_url: str) -> str:
    """``podcast:guid``: a UUIDv5 of the feed's URL without its scheme and trailing slashes, as the spec defines."""
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, re.sub(r"^[a-z]+://", "", feed_url).rstrip("/")))


_READ_MORE = re.compile(r"\[\s*(?:…|\.\.\.|more|read more|continue reading|weiterlesen|leer más|lire la suite)?\s*\]", re.I)


def plain_text(text: str) -> str:
    """A description as directories want it: markup removed, entities decoded (twice-escaped ones too)."""
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = re.sub(r"<[^>]*>", " ", text)
    text = _READ_MORE.sub(" ", text)
    return " ".join(text.split())


def cover_png(title: str) -> bytes:
    """A square cover: the feed's title, centred in white on a plain background of a colour the title chooses."""
    import io
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    hue = int(hashlib.sha256(title.encode("utf-8")).hexdigest()[:2], 16) / 255
    import colorsys

    background = tuple(round(c * 255) for c in colorsys.hsv_to_rgb(hue, 0.55, 0.35))
    image = Image.new("RGB", (COVER_PIXELS, COVER_PIXELS), background)
    draw = ImageDraw.Draw(image)
    for size, width in ((150, 14), (120, 18), (96, 22), (72, 30), (56, 40)):
        lines = textwrap.wrap(title, width=width) or [title]
        font = ImageFont.load_default(size=size)
        heights = [draw.textbbox((0, 0), line, font=font)[3] for line in lines]
        widths = [draw.textlength(line, font=font) for line in lines]
        if max(widths) <= COVER_PIXELS * 0.84 and sum(heights) * 1.25 <= COVER_PIXELS * 0.8:
            break
    top = (COVER_PIXELS - sum(heights) * 1.25) / 2
    for line, height, line_width in zip(lines, heights, widths, strict=True):
        draw.text(((COVER_PIXELS - line_width) / 2, top), line, font=font, fill=(255, 255, 255))
        top += height * 1.25
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _published(manifest: dict[str, Any], mp3: Path) -> datetime:
    date = manifest["article"].get("date")
    if date:
        try:
            return datetime.fromisoformat(date).replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(mp3.stat().st_mtime, tz=UTC)


def build_feed(folder: Path, channel: Channel, manifests: list[tuple[Path, dict[str, Any]]] | None = None) -> bytes:
    """RSS bytes with one item per narration in ``folder`` (or per one of ``manifests``), with what podcast
    directories require of a channel: artwork, owner, category, explicit flag, a self link, podcast:guid and
    podcast:locked; and of an item: a plain-text description, an enclosure, a guid, a date and a duration."""
    from feedgen.feed import FeedGenerator

    manifests = read_manifests(folder) if manifests is None else manifests
    if not manifests:
        raise OutputError("holds no narrations (no <stem>.json manifests with their MP3s)", str(folder))
    ext, entry_ext = _podcast_extensions()
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", ext, entry_ext, rss=True, atom=False)
    fg.title(channel.title)
    fg.link(href=channel.link or channel.base_url, rel="alternate")
    fg.link(href=channel.feed_url, rel="self")
    fg.description(plain_text(channel.description))
    fg.language(channel.language)
    fg.generator("articleaudio")
    fg.podcast.itunes_category("News")
    fg.podcast.itunes_explicit("no")
    fg.podcast.itunes_type("episodic")
    owner = channel.author or channel.title
    fg.podcast.itunes_author(owner)
    if channel.owner_email:
        fg.podcast.itunes_owner(name=owner, email=channel.owner_email)
    image = channel.image or _url(channel.base_url, COVER_NAME)
    fg.image(url=image, title=channel.title, link=channel.link or channel.base_url)
    fg.podcast.itunes_image(image)
    fg.podcastindex.add("guid", podcast_guid(channel.feed_url))
    locked = {"owner": channel.owner_email} if channel.owner_email else {}
    fg.podcastindex.add("locked", "yes" if channel.locked else "no", **locked)
    for manifest_path, manifest in manifests:
        article, audio = manifest["article"], manifest["audio"]
        mp3 = folder / audio["file"]
        stem = mp3.stem
        entry = fg.add_entry(order="append")
        entry.title(plain_text(article["title"]))
        entry.guid(guid_for(manifest), permalink=False)
        if article.get("url"):
            entry.link(href=article["url"])
        summary = article.get("description") or next((p for s in article["sections"] for p in s["paragraphs"]), article["title"])
        entry.description(f"{plain_text(summary)}\n\n{manifest['voice'].get('engine')} synthetic voice narration.")
        entry.pubDate(_published(manifest, mp3))
        # A re-narrated story stays the same episode (its guid) but its audio gets a new address, so that apps fetch it.
        version = (manifest.get("hashes", {}).get("fingerprint") or str(int(mp3.stat().st_mtime)))[:12]
        entry.enclosure(_url(channel.base_url, mp3.name) + f"?v={version}", str(mp3.stat().st_size), "audio/mpeg")
        entry.podcast.itunes_duration(_duration(int(audio["duration_ms"])))
        entry.podcast.itunes_explicit("no")
        if isinstance(article.get("image"), str) and article["image"].startswith(("http://", "https://")):
            entry.podcast.itunes_image(article["image"])
        if article.get("authors"):
            entry.podcast.itunes_author(", ".join(article["authors"]))
        entry.podcastindex.modified = datetime.fromtimestamp(mp3.stat().st_mtime, tz=UTC).isoformat(timespec="seconds")
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


def feed_files(folder: Path, channel: Channel, by: str | None = None) -> dict[str, bytes]:
    """Every file a feed needs, by name: ``feed.xml``, the generated cover when the channel has no image, and with
    ``by`` (``author`` or ``section``) one more feed per author or section (``feed-author-jane-roe.xml`` …)."""
    from .paths import slugify

    manifests = read_manifests(folder)
    files = {channel.file_name: build_feed(folder, channel, manifests)}
    if not channel.image:
        files[COVER_NAME] = cover_png(channel.title)
    if by:
        groups: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
        for path, manifest in manifests:
            article = manifest["article"]
            names = article.get("authors") or [] if by == "author" else [article["section"]] if article.get("section") else []
            for name in names:
                groups.setdefault(name, []).append((path, manifest))
        for name, members in sorted(groups.items()):
            file_name = f"feed-{by}-{slugify(name)}.xml"
            group = replace(channel, title=f"{channel.title}: {name}", file_name=file_name,
                            image=channel.image or _url(channel.base_url, COVER_NAME))  # fmt: skip
            files[file_name] = build_feed(folder, group, members)
    return files
