"""Stage 7: ID3 tags with mutagen: text frames from one table, transcript, provenance, chapters."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TagError
from ..models import Article, Chapter, Cue, primary_language

DISCLOSURE = "Narrated by a synthetic voice ({engine}, voice {voice}) with articleaudio {version}; not a human reading."
_LANGS = {
    "en": "eng",
    "de": "deu",
    "fr": "fra",
    "es": "spa",
    "it": "ita",
    "pt": "por",
    "nl": "nld",
    "uk": "ukr",
    "ru": "rus",
    "pl": "pol",
    "cs": "ces",
    "sv": "swe",
    "da": "dan",
    "fi": "fin",
    "no": "nor",
    "ja": "jpn",
    "zh": "zho",
    "ko": "kor",
}


@dataclass(frozen=True)
class TagData:
    """Everything written into the MP3's ID3 tag."""

    article: Article
    engine: str
    voice: str
    version: str
    transcript: str
    duration_ms: int
    chapters: tuple[Chapter, ...] = ()
    cues: tuple[Cue, ...] = ()
    cover: tuple[bytes, str] | None = None
    """Image bytes and MIME type of the cover, when one could be had."""
    content_hash: str = ""
    fingerprint: str = ""
    """Hash of the source and the settings; equal fingerprints mean the narration is up to date."""
    identity: str = ""
    """What tells this article from others (its URL, or a hash of a local file's path); the article's URL when empty."""
    quote_voice: str | None = None
    """The voice quoted speech is spoken in, when not the narrator's."""

    @property
    def disclosure(self) -> str:
        return DISCLOSURE.format(engine=self.engine, voice=self.voice, version=self.version)

    @property
    def language(self) -> str:
        return _LANGS.get(primary_language(self.article.language), "eng")


def _comment(d: TagData) -> str:
    return "\n\n".join(x for x in (d.article.description, d.disclosure) if x)


def _provenance(d: TagData) -> str:
    return json.dumps(
        {
            "generator": f"articleaudio {d.version}",
            "engine": d.engine,
            "voice": d.voice,
            "source": d.identity or d.article.url or d.article.source,
            "content_sha256": d.content_hash,
            "fingerprint": d.fingerprint,
        },
        sort_keys=True,
    )


# Each ID3 frame articleaudio writes, declared once: frame id, how to build it from TagData.
def _frames() -> list[tuple[str, Callable[[TagData], Any]]]:
    from mutagen import id3

    def text(cls: Any, value: Callable[[TagData], str | None]) -> Callable[[TagData], Any]:
        return lambda d: cls(encoding=id3.Encoding.UTF16, text=[v]) if (v := value(d)) else None

    return [
        ("TIT2", text(id3.TIT2, lambda d: d.article.title)),
        ("TPE1", text(id3.TPE1, lambda d: "; ".join(d.article.authors) or d.article.site_name)),
        ("TALB", text(id3.TALB, lambda d: d.article.site_name)),
        ("TPUB", text(id3.TPUB, lambda d: d.article.site_name)),
        ("TDRC", text(id3.TDRC, lambda d: d.article.date)),
        ("TCON", text(id3.TCON, lambda d: "Speech")),
        ("TLAN", text(id3.TLAN, lambda d: d.language)),
        ("TLEN", text(id3.TLEN, lambda d: str(d.duration_ms))),
        ("TENC", text(id3.TENC, lambda d: f"articleaudio {d.version}")),
        ("WOAS", lambda d: id3.WOAS(url=d.article.url) if d.article.url else None),
        ("COMM", lambda d: id3.COMM(encoding=id3.Encoding.UTF16, lang=d.language, desc="", text=[_comment(d)])),
        ("USLT", lambda d: id3.USLT(encoding=id3.Encoding.UTF16, lang=d.language, desc="transcript", text=d.transcript)),
        ("TXXX:articleaudio", lambda d: id3.TXXX(encoding=id3.Encoding.UTF8, desc="articleaudio", text=[_provenance(d)])),
        ("TXXX:synthetic_voice", lambda d: id3.TXXX(encoding=id3.Encoding.UTF8, desc="synthetic_voice", text=[d.disclosure])),
        (
            "APIC",
            lambda d: (
                id3.APIC(encoding=id3.Encoding.UTF8, mime=d.cover[1], type=id3.PictureType.COVER_FRONT, desc="cover", data=d.cover[0])
                if d.cover
                else None
            ),
        ),
    ]


def _text_units(text: str, id3_version: int) -> int:
    # ID3v2.3 stores these strings as UTF-16, ID3v2.4 as UTF-8.
    return len(text.encode("utf-16-le")) // 2 if id3_version == 3 else len(text.encode("utf-8"))


def _chapter_frames(chapters: tuple[Chapter, ...], id3_version: int) -> list[Any]:
    from mutagen import id3

    if not chapters:
        return []
    ids = [f"ch{i:03d}" for i in range(len(chapters))]
    frames: list[Any] = [
        id3.CTOC(
            element_id="toc",
            flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[id3.TIT2(encoding=id3.Encoding.UTF8, text=["Chapters"])],
        )
    ]
    # mutagen orders frames of one kind by encoded size when saving; padding every CHAP
    # to the same size keeps them in time order in the file, for players that ignore CTOC.
    width = max(_text_units(c.title, id3_version) for c in chapters)
    for element_id, chapter in zip(ids, chapters, strict=True):
        pad = " " * (width + 1 - _text_units(chapter.title, id3_version))
        frames.append(
            id3.CHAP(
                element_id=element_id,
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                sub_frames=[
                    id3.TIT2(encoding=id3.Encoding.UTF8, text=[chapter.title]),
                    id3.TXXX(encoding=id3.Encoding.UTF8, desc="pad", text=[pad]),
                ],
            )
        )
    return frames


def _sylt(cues: tuple[Cue, ...], lang: str) -> Any:
    from mutagen import id3

    return id3.SYLT(
        encoding=id3.Encoding.UTF8, lang=lang, format=2, type=1, desc="sentences", text=[(c.sentence.text + " ", c.start_ms) for c in cues]
    )


def write_tags(path: str | Path, data: TagData, id3_version: int = 3, synced_lyrics: bool = False) -> None:
    """Replace any tag in ``path`` with ours."""
    from mutagen import MutagenError, id3

    if id3_version not in (3, 4):
        raise TagError(f"unsupported ID3 version 2.{id3_version} (choose 3 or 4)", str(path))
    tag = id3.ID3()
    for _, build in _frames():
        frame = build(data)
        if frame is not None:
            tag.add(frame)
    for frame in _chapter_frames(data.chapters, id3_version):
        tag.add(frame)
    if synced_lyrics and data.cues:
        tag.add(_sylt(data.cues, data.language))
    try:
        tag.save(str(path), v2_version=id3_version, v1=id3.ID3v1SaveOptions.REMOVE)
    except (MutagenError, OSError) as exc:
        raise TagError(f"cannot write ID3 tags ({exc})", str(path)) from None


def read_provenance(path: str | Path) -> dict[str, Any] | None:
    """The provenance record of an MP3 articleaudio wrote, or None for any other file."""
    from mutagen import MutagenError, id3

    try:
        frames = id3.ID3(str(path)).getall("TXXX:articleaudio")
    except (MutagenError, OSError):
        return None
    if not frames:
        return None
    try:
        value = json.loads(str(frames[0].text[0]))
    except (ValueError, IndexError):
        return None
    return value if isinstance(value, dict) else None
