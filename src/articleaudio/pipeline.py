"""The conversion pipeline: each stage called once, in order, data flowing one way."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, BinaryIO

from . import __version__
from .audio.cache import ClipCache
from .audio.produce import produce_mp3
from .audio.synthesize import EnginePool, Progress, SpellingRate, SynthesisStats, Voicing
from .engines import engine_trait
from .extract import explain_extraction
from .models import Article, Episode, Source, public_voice
from .publish.atomic import staged_outputs
from .publish.cover import find_cover
from .publish.freshness import claim_output, plan_narration
from .publish.manifest import content_hash
from .publish.paths import check_writable
from .publish.sidecars import stage_sidecars
from .publish.tags import TagData, write_tags
from .settings import Settings
from .source.load import load_source
from .speech.lexicon import load_lexicon
from .speech.script import LazySentences, iter_sentences

LOGGER = logging.getLogger(__name__)


def _silent(stage: str, done: int, total: int) -> None:
    return None


def convert(
    source: str | Source,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    pool: EnginePool | None = None,
    cache: ClipCache | None = None,
    several: bool = False,
    stdin: BinaryIO | None = None,
    known: Mapping[str, dict[str, Any] | None] | None = None,
) -> Episode:
    """Narrate one source (URL, path or ``-``) into an MP3 with tags and sidecar files.

    Clips stream from synthesis into assembly, which spills them to a temporary file, and on into
    the encoder, so memory stays flat; nothing is written to the output folder until every stage
    has succeeded. Pass ``pool`` to share engines across conversions, ``cache`` to share a clip cache.
    ``source`` may be a loaded :class:`Source` (a cluster's worker gets the bytes of the client's file);
    ``known`` stands in for an output folder on another machine (see :func:`plan_output`).
    """
    settings = settings or Settings()
    step = progress or _silent
    if pool is not None:
        return _convert(source, settings, step, pool, None, cache, several, stdin, known)
    own = EnginePool.for_settings(settings)
    warming = own.warm_up()  # the engine starts while the article is read and extracted
    try:
        return _convert(source, settings, step, own, warming, cache, several, stdin, known)
    finally:
        warming.join()
        own.close()


def _convert(
    source: str | Source,
    settings: Settings,
    step: Progress,
    pool: EnginePool,
    warming: threading.Thread | None,
    cache: ClipCache | None,
    several: bool,
    stdin: BinaryIO | None,
    known: Mapping[str, dict[str, Any] | None] | None,
) -> Episode:
    # 1. load
    step("load", 0, 1)
    loaded = source if isinstance(source, Source) else load_source(source, settings, stdin=stdin)
    # 2. extract
    extraction = explain_extraction(loaded, include_tables=settings.include_tables)
    article = extraction.article
    if settings.source_url:
        article = replace(article, url=settings.source_url)
    plan = plan_narration(loaded, article, settings, __version__, several, known)
    if plan.status is not None and not settings.force:
        LOGGER.info("%s: %s; keeping it", plan.mp3_path, plan.status)
        return Episode(article, str(plan.mp3_path), 0.0, (), (), settings.engine, settings.voice or "", status=plan.status,
                       warnings=tuple(extraction.warnings))  # fmt: skip
    check_writable(plan.mp3_path.parent)
    cover = find_cover(article, loaded, settings, settings.cover) if settings.cover_art or settings.cover else None
    # 3. speech: each sentence keeps the article's words and gets its spoken form (the user's lexicon first)
    lexicon = load_lexicon(plan.lexicon_path) if plan.lexicon_path else None
    stats = SynthesisStats()
    clip_cache = cache if cache is not None else (ClipCache() if settings.cache else None)
    # The sentences are made while the engine starts, when its class says whether it reads phonemes.
    phonemes = engine_trait(settings.engine, "reads_phonemes")
    sentences = _segment(article, lexicon, settings, phonemes) if phonemes is not None else None
    if warming is not None:
        warming.join()
    with engines_for(settings, pool) as engines:
        voicing = choose_voicing(engines, settings, article, clip_cache)  # an unknown voice fails before the output folder is touched
        if sentences is None:
            sentences = _segment(article, lexicon, settings, bool(getattr(engines.first(), "reads_phonemes", False)))
        with staged_outputs() as outputs:
            plan = claim_output(outputs, plan, loaded, article, settings, __version__, several, known)  # no other run takes the name now
            temp_mp3 = outputs.temp_for(plan.mp3_path)
            # 4. synthesize, streamed into 5. assemble, streamed into 6. encode
            produced = produce_mp3(sentences, engines, voicing, settings, temp_mp3, title=article.title, cache=clip_cache, stats=stats,
                                   progress=step, overlap_encoding=engines.first().overlap_encoding)  # fmt: skip
            # 7. publish: tags into the MP3, then the sidecars; all renamed into place together
            transcript = "\n\n".join(article.paragraphs)
            tags = TagData(article, voicing.engine, public_voice(voicing.voice), __version__, transcript, produced.duration_ms,
                           produced.chapters, produced.cues, cover=cover, content_hash=content_hash(transcript),
                           fingerprint=plan.fingerprint, identity=plan.identity,
                           quote_voice=public_voice(voicing.quote_voice) if voicing.quote_voice else None)  # fmt: skip
            write_tags(temp_mp3, tags, settings.id3_version, synced_lyrics=settings.synced_lyrics)
            measured = produced.encoded
            stage_sidecars(outputs, plan.mp3_path, tags, settings, engine_version=voicing.engine_version, loudness=measured.loudness_lufs,
                           true_peak=measured.true_peak_db, mp3_bytes=temp_mp3.stat().st_size, left_out=stats.left_out)  # fmt: skip
            written = outputs.commit()
    step("done", 1, 1)
    return Episode(
        article=article, mp3_path=str(plan.mp3_path), duration=produced.duration_ms / 1000, sentences=tuple(sentences),
        cues=produced.cues, engine=voicing.engine, voice=public_voice(voicing.voice),
        sidecars=tuple(str(p) for p in written if p != plan.mp3_path),
        loudness_lufs=produced.encoded.loudness_lufs, true_peak_db=produced.encoded.true_peak_db, chapters=produced.chapters,
        status="updated" if plan.existing is not None else "converted", synthesized=stats.synthesized, cached=stats.cached,
        segments_encoded=produced.encoded.segments_encoded, segments_reused=produced.encoded.segments_reused,
        left_out=tuple(sorted(stats.left_out, key=lambda s: s.sentence.index)), warnings=tuple(extraction.warnings),
    )  # fmt: skip


def _segment(article: Article, lexicon: Any, settings: Settings, phonemes: bool) -> LazySentences:
    # Made as synthesis asks for them: the engine starts on the first sentences while the rest are made.
    return LazySentences(
        iter_sentences(article, lexicon, intro=settings.intro, outro=settings.outro, quotes=bool(settings.quote_voice), phonemes=phonemes)
    )


@contextmanager
def engines_for(settings: Settings, pool: EnginePool | None = None) -> Iterator[EnginePool]:
    """``pool`` when the caller shares one (and keeps it open), else a new pool closed on the way out."""
    if pool is not None:
        yield pool
        return
    own = EnginePool.for_settings(settings)
    try:
        yield own
    finally:
        own.close()


def choose_voicing(pool: EnginePool, settings: Settings, article: Article, cache: ClipCache | None = None) -> Voicing:
    """The voice for ``article`` (the user's, checked, or one for its language), and what else decides the clips:
    among it, how fast this voice spells, against which a long clip is judged (measured when a clip first needs it).

    The pool is narrowed to as many engines as the engine finds worth running at once.
    """
    first = pool.first()
    voice = first.resolve_voice(settings.voice, article.language)
    quote_voice = first.resolve_voice(settings.quote_voice, article.language) if settings.quote_voice else None
    pool.size = min(pool.size, first.max_lanes)
    voicing = Voicing(first.name, first.version(), voice, settings.rate, quote_voice=quote_voice)
    return replace(voicing, spelling=SpellingRate(cache, voicing))
