"""The JSON manifest beside each MP3 and the Podcasting 2.0 chapters file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..models import Article, Chapter, Cue, SkippedSentence, public_source, public_voice
from ..settings import Settings

MANIFEST_VERSION = 1


def content_hash(text: str) -> str:
    """SHA-256 of a text, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_manifest(
    article: Article,
    cues: Sequence[Cue],
    chapters: Sequence[Chapter],
    settings: Settings,
    *,
    engine: str,
    engine_version: str,
    voice: str,
    version: str,
    mp3_name: str,
    duration_ms: int,
    loudness: float | None,
    true_peak: float | None,
    mp3_bytes: int,
    left_out: Sequence[SkippedSentence] = (),
    identity: str = "",
    fingerprint: str = "",
    quote_voice: str | None = None,
) -> dict[str, Any]:
    """Everything a player, feed or audit needs about one narration (described in docs/manifest.md, schema in docs/manifest.schema.json)."""
    body = "\n\n".join(article.paragraphs)
    return {
        "manifest_version": MANIFEST_VERSION,
        "generator": f"articleaudio {version}",
        "audio": {
            "file": mp3_name,
            "duration_ms": duration_ms,
            "bytes": mp3_bytes,
            "bitrate_kbps": settings.bitrate,
            "format": "audio/mpeg",
            "loudness_lufs": _round(loudness),
            "true_peak_dbtp": _round(true_peak),
        },
        "article": {
            "title": article.title,
            "authors": list(article.authors),
            "site_name": article.site_name,
            "date": article.date,
            "url": article.url,
            "language": article.language,
            "declared_language": article.declared_language,
            "description": article.description,
            "image": article.image,
            "section": article.section,
            "source": article.source,
            "word_count": article.word_count,
            "sections": [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in article.sections],
        },
        "voice": {
            "engine": engine,
            "engine_version": engine_version,
            "voice": voice,
            "rate_wpm": settings.rate,
            "synthetic": True,
            "quote_voice": quote_voice,
            "word_timing": _word_timing(cues),
        },
        "settings": public_settings(settings),
        "hashes": {
            "article_text_sha256": content_hash(body),
            "spoken_text_sha256": content_hash("\n".join(c.sentence.spoken for c in cues)),
            # which article this is (a feed's guid), without saying where its file was; and which narration of it
            "identity_sha256": content_hash(identity or article.url or article.source),
            "fingerprint": fingerprint or content_hash(json.dumps([version, engine, voice, public_settings(settings)], default=str)),
        },
        "chapters": [{"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in chapters],
        "sentences": [
            {
                "id": f"s{c.sentence.index + 1}",
                "start_ms": c.start_ms,
                "end_ms": c.end_ms,
                "text": c.sentence.text,
                "spoken": c.sentence.spoken,
                "kind": c.sentence.kind,
                "paragraph": c.sentence.paragraph,
                "section": c.sentence.section,
                "word_timing": c.word_timing,
                "words": [{"text": w.text, "start_ms": w.start_ms, "end_ms": w.end_ms} for w in c.words],
                **({"parts": [asdict(p) for p in c.parts]} if c.parts else {}),
            }
            for c in cues
        ],
        "skipped": [
            {"id": f"s{s.sentence.index + 1}", "text": s.sentence.text, "spoken": s.sentence.spoken, "reason": s.reason}
            for s in sorted(left_out, key=lambda s: s.sentence.index)
        ],
    }


def _word_timing(cues: Sequence[Cue]) -> str:
    """``engine`` when the engine said where every word began, ``interpolated`` when it said nothing (times
    shared out by characters), ``mixed`` in between."""
    kinds = {c.word_timing for c in cues}
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def podcast_chapters(chapters: Sequence[Chapter], title: str) -> dict[str, Any]:
    """Podcasting 2.0 JSON chapters (version 1.2.0)."""
    return {
        "version": "1.2.0",
        "title": title,
        "chapters": [{"startTime": round(c.start_ms / 1000, 3), "endTime": round(c.end_ms / 1000, 3), "title": c.title} for c in chapters],
    }


def dumps(data: dict[str, Any]) -> str:
    """Stable, readable JSON."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def public_settings(settings: Settings) -> dict[str, Any]:
    """The settings as a manifest publishes them: files named by their names alone (a lexicon, a cover, a voice
    model), never by the folders they live in; where the output went, whether it was forced and the cluster that
    made it are not said."""
    values = {k: v for k, v in asdict(settings).items() if k not in {"output", "force", "cluster"}}
    for key in ("lexicon", "cover"):
        if isinstance(values.get(key), str):
            values[key] = public_source(values[key])
    for key in ("voice", "quote_voice"):
        if isinstance(values.get(key), str):
            values[key] = public_voice(values[key])
    return values
