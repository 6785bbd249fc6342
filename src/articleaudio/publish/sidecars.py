"""The files beside the MP3: manifest, captions, chapters and the read-along player, staged with the MP3."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..models import SkippedSentence
from ..settings import Settings
from .atomic import OutputSet
from .captions import captions_of, to_srt, to_webvtt
from .manifest import build_manifest, content_hash, dumps, podcast_chapters
from .player import player_html
from .tags import TagData


def stage_sidecars(
    outputs: OutputSet,
    mp3_path: Path,
    tags: TagData,
    settings: Settings,
    *,
    engine_version: str,
    loudness: float | None,
    true_peak: float | None,
    mp3_bytes: int,
    left_out: Sequence[SkippedSentence] = (),
) -> None:
    """Stage every sidecar the settings ask for; nothing is in place until ``outputs`` is committed."""
    stem = mp3_path.with_suffix("")
    article, cues, chapters = tags.article, tags.cues, tags.chapters
    if settings.write_manifest:
        manifest = build_manifest(
            article, cues, chapters, settings, engine=tags.engine, engine_version=engine_version, voice=tags.voice,
            version=tags.version, mp3_name=mp3_path.name, duration_ms=tags.duration_ms, loudness=loudness,
            true_peak=true_peak, mp3_bytes=mp3_bytes, left_out=left_out, identity=tags.identity, fingerprint=tags.fingerprint,
            quote_voice=tags.quote_voice,
        )  # fmt: skip
        outputs.write_text(stem.with_suffix(".json"), dumps(manifest))
    if settings.write_captions:
        captions = captions_of(cues)
        outputs.write_text(stem.with_suffix(".vtt"), to_webvtt(cues, captions))
        outputs.write_text(stem.with_suffix(".srt"), to_srt(cues, captions))
    if settings.write_chapters and chapters:
        outputs.write_text(Path(f"{stem}.chapters.json"), dumps(podcast_chapters(chapters, article.title)))
    if settings.write_player:
        episode = content_hash(tags.identity or article.url or article.source)[:16]
        page = player_html(article, cues, mp3_path.name, stem.with_suffix(".vtt").name, tags.disclosure, f"articleaudio {tags.version}",
                           chapters, episode)  # fmt: skip
        outputs.write_text(stem.with_suffix(".html"), page)
