"""The conversion pipeline: each stage called once, in order, data flowing one way."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, BinaryIO

from .assemble import assemble_stream
from .atomic import staged_outputs
from .cache import ClipCache
from .config import default_lexicon_path
from .cover import find_cover
from .encode import StreamingEncoder, encode_programme
from .extract import extract_article
from .lexicon import Lexicon, load_lexicon
from .load import load_source
from .loudness import plan_gain
from .models import Chapter, Clip, Cue, Episode, Sentence, Source
from .outputs.captions import to_srt, to_webvtt
from .outputs.manifest import build_manifest, content_hash, dumps, podcast_chapters
from .outputs.player import player_html
from .paths import check_writable, plan_output
from .segment import segment_article
from .settings import Settings
from .synthesize import EnginePool, SynthesisStats, Voicing, synthesize_stream
from .tags import TagData, write_tags

LOGGER = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
# LAME puts 1,105 frames (576 encoder + 529 decoder delay) of silence before the audio and
# lameenc writes no gapless header to announce it, so players hear everything that much later.
ENCODER_DELAY_FRAMES = 1105
# How far the loudness planned on the opening may miss the target before the whole is encoded again.
LOUDNESS_TOLERANCE = 0.5
# Settings that do not change what is produced, and so do not make a narration out of date.
_NOT_IN_FINGERPRINT = {"output", "force", "jobs", "cache", "timeout", "engine_timeout", "max_bytes"}


def _shift(cues: tuple[Cue, ...], chapters: tuple[Chapter, ...], ms: int) -> tuple[tuple[Cue, ...], tuple[Chapter, ...]]:
    moved = tuple(replace(c, start_ms=c.start_ms + ms, end_ms=c.end_ms + ms) for c in cues)
    shifted = tuple(replace(c, start_ms=0 if i == 0 else c.start_ms + ms, end_ms=c.end_ms + ms) for i, c in enumerate(chapters))
    return moved, shifted


def fingerprint(source: Source, settings: Settings, lexicon_path: str | Path | None, version: str) -> str:
    """What decides the output: articleaudio's version, the source bytes, the settings and the lexicon."""
    digest = hashlib.sha256()
    relevant = {k: v for k, v in asdict(settings).items() if k not in _NOT_IN_FINGERPRINT}
    digest.update(json.dumps([version, relevant], sort_keys=True, default=str).encode())
    digest.update(source.data)
    if lexicon_path:
        try:
            digest.update(Path(lexicon_path).read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


def convert(
    source: str,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    pool: EnginePool | None = None,
    cache: ClipCache | None = None,
    several: bool = False,
    stdin: BinaryIO | None = None,
) -> Episode:
    """Narrate one source (URL, path or ``-``) into an MP3 with tags and sidecar files.

    Stages: 1. load, 2. extract, 3. normalize, 4. segment, 5. synthesize, 6. assemble,
    7. encode, 8. tag, 9. outputs. Clips stream from synthesis into assembly, which spills
    them to a temporary file, so memory stays flat; nothing is written to the output folder
    until every stage has succeeded. Pass ``pool`` to share engines across conversions.
    """
    from . import __version__

    settings = settings or Settings()
    step = progress or (lambda stage, done, total: None)
    # 1. load
    step("load", 0, 1)
    loaded = load_source(source, settings, stdin=stdin)
    # 2. extract
    article = extract_article(loaded, include_tables=settings.include_tables)
    lexicon_path = settings.lexicon or default_lexicon_path()
    print_ = fingerprint(loaded, settings, lexicon_path, __version__)
    mp3_path, existing = plan_output(article, settings.output, several)
    if existing is not None and not settings.force and (existing.get("fingerprint") == print_ or existing.get("source") is None):
        status = "up to date" if existing.get("source") is not None else "kept"
        LOGGER.info("%s: %s; keeping it", mp3_path, status)
        return Episode(article, str(mp3_path), 0.0, (), (), settings.engine, settings.voice or "", status=status)
    check_writable(mp3_path.parent)
    cover = find_cover(article, loaded, settings, settings.cover) if settings.cover_art or settings.cover else None
    # 3. normalize (the user's lexicon applies before our rules)
    lexicon: Lexicon | None = load_lexicon(lexicon_path) if lexicon_path else None
    # 4. segment (each sentence keeps the article's words and gets its spoken form)
    sentences = segment_article(article, lexicon, intro=settings.intro, outro=settings.outro)
    own_pool = pool is None
    pool = pool or EnginePool(settings.engine, settings.workers, device=settings.device)
    stats = SynthesisStats()
    clip_cache = cache if cache is not None else (ClipCache() if settings.cache else None)
    stem = mp3_path.with_suffix("")
    transcript = "\n\n".join(article.paragraphs)
    ceiling = settings.true_peak if settings.loudness is not None else None
    try:  # an unknown voice is reported before anything is created in the output folder
        first = pool.first()
        voice = first.resolve_voice(settings.voice, article.language)
        voicing = Voicing(first.name, first.version(), voice, settings.rate)
        pool.size = min(pool.size, getattr(first, "max_lanes", pool.size))
    except BaseException:
        if own_pool:
            pool.close()
        raise
    with staged_outputs() as outputs:
        temp_mp3 = outputs.temp_for(mp3_path)
        encoder: StreamingEncoder | None = None
        rates: list[int] = []

        def listen(gap: int, samples: Any) -> None:
            nonlocal encoder
            if encoder is None:
                step("encode", 0, 1)
                encoder = StreamingEncoder(rates[0], temp_mp3, settings.bitrate, settings.loudness, ceiling)
            encoder.add(gap, samples)

        def remember_rate(pairs: Iterable[tuple[Sentence, Clip]]) -> Iterator[tuple[Sentence, Clip]]:
            for sentence, clip in pairs:
                if not rates:
                    rates.append(clip.sample_rate)
                yield sentence, clip

        try:
            # 5. synthesize, streamed into 6. assemble, streamed into 7. encode
            clips = synthesize_stream(sentences, pool, voice, settings.rate, cache=clip_cache, voicing=voicing, stats=stats, progress=step)
            # An engine that keeps every core busy by itself (a neural one) is not made to share them with the encoder.
            overlap = getattr(first, "overlap_encoding", True)
            pairs = remember_rate(zip(sentences, clips, strict=True))
            programme = assemble_stream(pairs, settings, title=article.title, listener=listen if overlap else None)
        except BaseException:
            if encoder is not None:
                encoder.abandon()
            raise
        finally:
            if own_pool:
                pool.close()
        if clip_cache is not None:
            clip_cache.trim()
        with programme.spill:
            if encoder is None:  # not streamed: plan the gain on the whole programme and encode it
                gain = 0.0
                if settings.loudness is not None and programme.loudness_lufs is not None:
                    gain = plan_gain(programme.spill, programme.sample_rate, programme.spans, programme.loudness_lufs,
                                     settings.loudness, settings.true_peak)  # fmt: skip
                encoded = encode_programme(programme, temp_mp3, settings.bitrate, gain, ceiling)
            else:
                last_start, last_frames = programme.spans[-1]
                encoded = encoder.finish(programme.frames - last_start - last_frames)
            if settings.loudness is not None and abs(encoded.loudness_lufs - settings.loudness) > LOUDNESS_TOLERANCE:
                # The opening was not representative: plan on the whole programme and encode again.
                LOGGER.info("loudness %.2f LUFS missed the target; encoding again", encoded.loudness_lufs)
                gain = plan_gain(programme.spill, programme.sample_rate, programme.spans, programme.loudness_lufs or -70.0,
                                 settings.loudness, settings.true_peak)  # fmt: skip
                encoded = encode_programme(programme, temp_mp3, settings.bitrate, gain, ceiling)
        delay_ms = round(ENCODER_DELAY_FRAMES * 1000 / programme.sample_rate)
        cues, chapters = _shift(programme.cues, programme.chapters, delay_ms)
        duration_ms = round(programme.frames * 1000 / programme.sample_rate) + delay_ms
        # 8. tag
        tag_data = TagData(article, first.name, voice, __version__, transcript, duration_ms, chapters, cues,
                           cover=cover, content_hash=content_hash(transcript), fingerprint=print_)  # fmt: skip
        write_tags(temp_mp3, tag_data, settings.id3_version, synced_lyrics=settings.synced_lyrics)
        size = temp_mp3.stat().st_size
        # 9. outputs
        if settings.write_manifest:
            manifest = build_manifest(article, cues, chapters, settings, engine=first.name, engine_version=voicing.engine_version,
                                      voice=voice, version=__version__, mp3_name=mp3_path.name, duration_ms=duration_ms,
                                      loudness=encoded.loudness_lufs, true_peak=encoded.true_peak_db, mp3_bytes=size)  # fmt: skip
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
        article=article, mp3_path=str(mp3_path), duration=duration_ms / 1000, sentences=tuple(sentences), cues=cues,
        engine=first.name, voice=voice, sidecars=tuple(str(p) for p in written if p != mp3_path),
        loudness_lufs=encoded.loudness_lufs, true_peak_db=encoded.true_peak_db, chapters=chapters,
        status="updated" if existing is not None else "converted", synthesized=stats.synthesized, cached=stats.cached,
    )  # fmt: skip
