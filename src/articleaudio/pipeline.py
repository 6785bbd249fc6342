"""The conversion pipeline: each stage called once, in order, data flowing one way."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from .assemble import assemble_clips
from .atomic import staged_outputs
from .config import default_lexicon_path
from .cover import find_cover
from .encode import encode_mp3
from .engines import Engine, get_engine
from .extract import extract_article
from .lexicon import Lexicon, load_lexicon
from .load import load_source
from .loudness import normalize_programme
from .models import Chapter, Cue, Episode
from .outputs.captions import to_srt, to_webvtt
from .outputs.manifest import build_manifest, content_hash, dumps, podcast_chapters
from .outputs.player import player_html
from .paths import check_writable, plan_output
from .segment import segment_article
from .settings import Settings
from .synthesize import synthesize_sentences
from .tags import TagData, write_tags

LOGGER = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
# LAME puts 1,105 frames (576 encoder + 529 decoder delay) of silence before the audio and
# lameenc writes no gapless header to announce it, so players hear everything that much later.
ENCODER_DELAY_FRAMES = 1105


def _shift(cues: tuple[Cue, ...], chapters: tuple[Chapter, ...], ms: int) -> tuple[tuple[Cue, ...], tuple[Chapter, ...]]:
    moved = tuple(replace(c, start_ms=c.start_ms + ms, end_ms=c.end_ms + ms) for c in cues)
    shifted = tuple(replace(c, start_ms=0 if i == 0 else c.start_ms + ms, end_ms=c.end_ms + ms) for i, c in enumerate(chapters))
    return moved, shifted


def convert(
    source: str,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    engine: Engine | None = None,
    several: bool = False,
    stdin: BinaryIO | None = None,
) -> Episode:
    """Narrate one source (URL, path or ``-``) into an MP3 with tags and sidecar files.

    Stages: 1. load, 2. extract, 3. normalize, 4. segment, 5. synthesize, 6. assemble,
    7. encode, 8. tag, 9. outputs. Nothing is written until every stage has succeeded.
    Pass ``engine`` to reuse one engine across several conversions (the caller closes it).
    """
    from . import __version__

    settings = settings or Settings()
    step = progress or (lambda stage, done, total: None)
    # 1. load
    step("load", 0, 1)
    loaded = load_source(source, settings, stdin=stdin)
    # 2. extract
    article = extract_article(loaded, include_tables=settings.include_tables)
    mp3_path, exists = plan_output(article, settings.output, several)
    if exists and not settings.force:
        LOGGER.info("%s exists; keeping it", mp3_path)
        return Episode(article, str(mp3_path), 0.0, (), (), settings.engine, settings.voice or "", skipped=True)
    check_writable(mp3_path.parent)
    cover = find_cover(article, loaded, settings, settings.cover) if settings.cover_art or settings.cover else None
    # 3. normalize (the user's lexicon applies before our rules)
    lexicon_path = settings.lexicon or default_lexicon_path()
    lexicon: Lexicon | None = load_lexicon(lexicon_path) if lexicon_path else None
    # 4. segment (each sentence keeps the article's words and gets its spoken form)
    sentences = segment_article(article, lexicon, intro=settings.intro, outro=settings.outro)
    own_engine = engine is None
    engine = engine or get_engine(settings.engine)
    try:
        voice = engine.resolve_voice(settings.voice, article.language)
        engine_version = engine.version()
        # 5. synthesize
        clips = synthesize_sentences(sentences, engine, voice, settings.rate, progress=step)
    finally:
        if own_engine:
            engine.close()
    # 6. assemble
    step("assemble", 0, 1)
    programme = assemble_clips(sentences, clips, settings, title=article.title)
    pcm, lufs, peak = programme.pcm, None, None
    if settings.loudness is not None:
        pcm, lufs, peak = normalize_programme(programme.pcm, programme.sample_rate, settings.loudness, settings.true_peak)
    delay_ms = round(ENCODER_DELAY_FRAMES * 1000 / programme.sample_rate)
    cues, chapters = _shift(programme.cues, programme.chapters, delay_ms)
    duration_ms = round(len(pcm) / 2 * 1000 / programme.sample_rate) + delay_ms
    stem = mp3_path.with_suffix("")
    transcript = "\n\n".join(article.paragraphs)
    with staged_outputs() as outputs:
        # 7. encode
        step("encode", 0, 1)
        temp_mp3 = outputs.temp_for(mp3_path)
        encode_mp3(pcm, programme.sample_rate, temp_mp3, settings.bitrate)
        # 8. tag
        tag_data = TagData(
            article,
            engine.name,
            voice,
            __version__,
            transcript,
            duration_ms,
            chapters,
            cues,
            cover=cover,
            content_hash=content_hash(transcript),
        )
        write_tags(temp_mp3, tag_data, settings.id3_version, synced_lyrics=settings.synced_lyrics)
        size = temp_mp3.stat().st_size
        # 9. outputs
        if settings.write_manifest:
            manifest = build_manifest(
                article,
                cues,
                chapters,
                settings,
                engine=engine.name,
                engine_version=engine_version,
                voice=voice,
                version=__version__,
                mp3_name=mp3_path.name,
                duration_ms=duration_ms,
                loudness=lufs,
                true_peak=peak,
                mp3_bytes=size,
            )
            outputs.write_text(stem.with_suffix(".json"), dumps(manifest))
        if settings.write_captions:
            outputs.write_text(stem.with_suffix(".vtt"), to_webvtt(cues))
            outputs.write_text(stem.with_suffix(".srt"), to_srt(cues))
        if settings.write_chapters and chapters:
            outputs.write_text(Path(f"{stem}.chapters.json"), dumps(podcast_chapters(chapters, article.title)))
        if settings.write_player:
            page = player_html(
                article, cues, mp3_path.name, stem.with_suffix(".vtt").name, tag_data.disclosure, f"articleaudio {__version__}"
            )
            outputs.write_text(stem.with_suffix(".html"), page)
        written = outputs.commit()
    step("done", 1, 1)
    return Episode(
        article=article,
        mp3_path=str(mp3_path),
        duration=duration_ms / 1000,
        sentences=tuple(sentences),
        cues=cues,
        engine=engine.name,
        voice=voice,
        sidecars=tuple(str(p) for p in written if p != mp3_path),
        loudness_lufs=lufs,
        true_peak_db=peak,
        chapters=chapters,
    )
