"""One article as a task: converted where it runs, and described by an ItemResult.

On a cluster its files are sent back to the client, which writes them. Workers of a cluster share no
filesystem with the client. The client sends a local file's bytes (a URL is fetched by the worker) and what
its output folder already holds (each MP3's name and provenance), so that a worker decides "up to date" and
picks a file name as a local run would. The worker narrates into a private temporary folder and returns the
files; the client claims the name in its folder (taking ``-2`` if another article got there first) and renames
them into place together. Each worker keeps its own engine and clip cache between tasks.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import OutputError
from .models import Source
from .settings import DEFAULT_OUTPUT_DIR, Settings


@dataclass(frozen=True)
class ItemResult:
    """How one source fared."""

    source: str
    status: str
    """``converted``, ``updated``, ``up to date``, ``kept`` or ``failed``."""
    mp3: str | None = None
    duration_s: float | None = None
    sentences: int = 0
    synthesized: int = 0
    cached: int = 0
    seconds: float = 0.0
    error: str | None = None
    engine: str | None = None
    voice: str | None = None
    skipped: list[dict[str, str]] = field(default_factory=list)
    """Sentences left out of the audio: ``id``, ``text`` and ``reason``."""
    warnings: list[str] = field(default_factory=list)
    """What the listener may miss (the page holds clearly more of the story than was read)."""
    segments_encoded: int = 0
    """MP3 segments encoded in this run."""
    segments_reused: int = 0
    """MP3 segments taken from the clip cache."""


def convert_one(
    source: str | Source,
    settings: Settings,
    several: bool,
    pool: Any = None,
    progress: Any = None,
    known: Mapping[str, dict[str, Any] | None] | None = None,
) -> ItemResult:
    """Convert one source and describe the outcome; an ArticleAudioError becomes a failed item, not an exception."""
    from .errors import ArticleAudioError
    from .pipeline import convert

    started = time.perf_counter()
    name = source.name if isinstance(source, Source) else source
    try:
        episode = convert(source, settings, several=several, pool=pool, progress=progress, known=known)
    except ArticleAudioError as exc:
        # An engine's error names the sentence; the source is named here, so that every failure says where it happened.
        error = str(exc) if exc.path else f"{name}: {exc}"
        return ItemResult(name, "failed", seconds=round(time.perf_counter() - started, 3), error=error)
    left_out = [{"id": f"s{s.sentence.index + 1}", "text": s.sentence.text, "reason": s.reason} for s in episode.left_out]
    return ItemResult(
        name, episode.status, episode.mp3_path, round(episode.duration, 3) if episode.duration else None, len(episode.sentences),
        episode.synthesized, episode.cached, round(time.perf_counter() - started, 3), None, episode.engine, episode.voice, left_out,
        list(episode.warnings), episode.segments_encoded, episode.segments_reused,
    )  # fmt: skip


@dataclass(frozen=True)
class TaskOutput:
    """What a worker sends back for one article."""

    result: ItemResult
    files: dict[str, bytes]
    """The narration's files by name (MP3 and sidecars); empty unless it was converted."""
    identity: str = ""
    """The article's identity in the provenance tag (see ``source_identity``)."""


def folder_snapshot(folder: Path) -> dict[str, dict[str, Any] | None]:
    """Each MP3 in ``folder`` with its provenance (None for an MP3 articleaudio did not write)."""
    from .publish.tags import read_provenance

    if not folder.is_dir():
        return {}
    return {mp3.name: read_provenance(mp3) for mp3 in sorted(folder.glob("*.mp3"))}


def task_source(name: str, settings: Settings) -> str | Source:
    """What a task is given: a URL as it is (the worker fetches it), a local file's bytes under its absolute path."""
    if "://" in name:
        return name
    from .source.load import load_source

    loaded = load_source(name, settings)
    return replace(loaded, name=str(Path(name).resolve()))


_task_pool: Any = None


def convert_remote(source: str | Source, settings: Settings, known: dict[str, dict[str, Any] | None]) -> TaskOutput:
    """Run on a worker: narrate one article into a private folder and return its files."""
    global _task_pool
    from .audio.synthesize import EnginePool
    from .publish.tags import read_provenance

    if _task_pool is None or _task_pool.name != settings.engine:
        _task_pool = EnginePool.for_settings(settings, 1)
    staging = Path(tempfile.mkdtemp(prefix="articleaudio-task-"))
    try:
        result = convert_one(source, settings.with_(output=str(staging), cluster=None), True, pool=_task_pool, known=known)
        if result.status not in ("converted", "updated") or not result.mp3:
            return TaskOutput(result, {})
        provenance = read_provenance(result.mp3) or {}
        files = {path.name: path.read_bytes() for path in staging.iterdir() if not path.name.startswith(".")}
        return TaskOutput(result, files, str(provenance.get("source") or ""))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def place_output(output: TaskOutput, settings: Settings) -> ItemResult:
    """Write a task's files into the client's output folder, atomically, under a claimed name."""
    from .publish.atomic import OutputSet
    from .publish.claims import claimed_by_other, clear_stale, take_claim
    from .publish.tags import read_provenance

    folder = Path(settings.output or DEFAULT_OUTPUT_DIR)
    result = output.result
    if not output.files:  # failed, or up to date / kept: nothing to write
        return replace(result, mp3=str(folder / Path(result.mp3).name)) if result.mp3 else result
    stem = Path(result.mp3 or "article.mp3").stem
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write here ({exc.strerror or exc})", str(folder)) from None
    clear_stale(folder)
    base, _, number = stem.rpartition("-")
    base = base if number.isdigit() and base else stem
    for n in range(1, 1000):
        name = stem if n == 1 else f"{base}-{n}"
        target = folder / f"{name}.mp3"
        if claimed_by_other(target, output.identity):
            continue
        replacing = target.exists()
        if replacing:
            provenance = read_provenance(target)
            if not (provenance and provenance.get("source") == output.identity):
                continue  # another article's narration has this name now
        claim = take_claim(target, output.identity)
        if claim is None:
            continue
        staged = OutputSet()
        staged.hold(claim)
        try:
            for file_name, data in _renamed(output.files, stem, name).items():
                staged.write_bytes(folder / file_name, data)
        except BaseException:
            staged.discard()
            raise
        staged.commit()
        status = "updated" if replacing else "converted"
        return replace(result, mp3=str(target), status=status)
    raise OutputError(f"too many files named {base}-N.mp3", str(folder))


def _renamed(files: dict[str, bytes], stem: str, name: str) -> dict[str, bytes]:
    """The files under a new stem, with the manifest and the player page pointing at the renamed audio."""
    if stem == name:
        return files
    renamed: dict[str, bytes] = {}
    for file_name, data in files.items():
        new_name = name + file_name[len(stem) :] if file_name.startswith(f"{stem}.") else file_name
        if file_name == f"{stem}.json":
            manifest = json.loads(data)
            manifest["audio"]["file"] = f"{name}.mp3"
            data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        elif file_name == f"{stem}.html":
            text = data.decode("utf-8")
            for suffix in (".mp3", ".vtt", ".srt", ".json", ".chapters.json"):
                text = text.replace(f'"{stem}{suffix}"', f'"{name}{suffix}"')
            data = text.encode("utf-8")
        renamed[new_name] = data
    return renamed
