"""Many sources in one run: converted concurrently, each failure isolated, and a report of what happened."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .settings import Settings

SOURCE_SUFFIXES = {".html", ".htm", ".xhtml", ".md", ".markdown", ".txt", ".text"}


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


def expand_sources(arguments: list[str], from_file: str | None = None) -> list[str]:
    """Sources from the arguments, a list file (one per line, ``#`` comments) and folders (their articles)."""
    sources: list[str] = []
    if from_file:
        text = Path(from_file).read_text(encoding="utf-8") if from_file != "-" else ""
        sources.extend(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    for argument in arguments:
        path = Path(argument)
        if argument not in {"-"} and not argument.startswith(("http://", "https://")) and path.is_dir():
            sources.extend(str(p) for p in sorted(path.iterdir()) if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file())
        else:
            sources.append(argument)
    return sources


def convert_one(source: str, settings: Settings, several: bool, pool: Any = None, progress: Any = None) -> ItemResult:
    """Convert one source and describe the outcome; an ArticleAudioError becomes a failed item, not an exception."""
    from .errors import ArticleAudioError
    from .pipeline import convert

    started = time.perf_counter()
    try:
        episode = convert(source, settings, several=several, pool=pool, progress=progress)
    except ArticleAudioError as exc:
        # An engine's error names the sentence; the source is named here, so that every failure says where it happened.
        error = str(exc) if exc.path else f"{source}: {exc}"
        return ItemResult(source, "failed", seconds=round(time.perf_counter() - started, 3), error=error)
    left_out = [{"id": f"s{s.sentence.index + 1}", "text": s.sentence.text, "reason": s.reason} for s in episode.left_out]
    return ItemResult(
        source, episode.status, episode.mp3_path, round(episode.duration, 3) if episode.duration else None, len(episode.sentences),
        episode.synthesized, episode.cached, round(time.perf_counter() - started, 3), None, episode.engine, episode.voice, left_out,
    )  # fmt: skip


def stop_on_sigterm() -> None:
    """Make SIGTERM stop this process as Ctrl-C does (KeyboardInterrupt), so every staged output is discarded."""
    import signal
    import threading

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


_worker_pool: Any = None


def _worker_convert(source: str, settings: Settings) -> ItemResult:
    # One engine per worker process, reused for every source that process converts.
    global _worker_pool
    from .audio.synthesize import EnginePool

    try:
        if _worker_pool is None or _worker_pool.name != settings.engine:
            _worker_pool = EnginePool.for_settings(settings, 1)
        return convert_one(source, settings, True, pool=_worker_pool)
    except KeyboardInterrupt:
        # Told to stop: what this task staged is discarded by now. The pool's worker loop would go on to the
        # next queued source, so the process ends here instead.
        if _worker_pool is not None:
            with contextlib.suppress(Exception):
                _worker_pool.close()
        os._exit(1)


def run_batch(sources: list[str], settings: Settings, on_result: Callable[[ItemResult], None] | None = None) -> list[ItemResult]:
    """Convert ``sources`` with ``settings.workers`` processes (one sentence at a time each); results in source order."""
    results: dict[int, ItemResult] = {}
    workers = min(settings.workers, len(sources))
    if workers <= 1:
        from .audio.synthesize import EnginePool

        pool = EnginePool.for_settings(settings, 1)
        try:
            for index, source in enumerate(sources):
                results[index] = convert_one(source, settings, True, pool=pool)
                if on_result:
                    on_result(results[index])
        finally:
            pool.close()
        return [results[i] for i in range(len(sources))]
    # Spawned, not forked: engines must never inherit a half-initialised speech library.
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=stop_on_sigterm)
    try:
        futures: dict[Future[ItemResult], int] = {executor.submit(_worker_convert, s, settings): i for i, s in enumerate(sources)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if on_result:
                on_result(results[futures[future]])
    except BaseException:
        # Stopped (Ctrl-C, SIGTERM) or broken: each worker is told to stop as this process was, and discards what
        # it has staged; none goes on writing after this process has gone.
        for process in list(getattr(executor, "_processes", {}).values()):
            with contextlib.suppress(OSError):
                process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return [results[i] for i in range(len(sources))]


def write_report(path: Path, results: list[ItemResult], settings: Settings, started: float) -> None:
    """A JSON run report: what succeeded, failed and why, with durations."""
    from .publish.atomic import OutputSet

    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    report = {
        "finished": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started, 3),
        "engine": settings.engine,
        "jobs": settings.workers,
        "counts": counts,
        "synthesized": sum(r.synthesized for r in results),
        "cached": sum(r.cached for r in results),
        "skipped": sum(len(r.skipped) for r in results),
        "items": [asdict(r) for r in results],
    }
    staged = OutputSet()
    staged.write_text(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    staged.commit()
