"""Many sources in one run: converted concurrently, each failure isolated, and a report of what happened."""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, as_completed, wait
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import ArticleAudioError
from .models import Source
from .settings import DEFAULT_OUTPUT_DIR, Settings
from .tasks import ItemResult, convert_one

SOURCE_SUFFIXES = {".html", ".htm", ".xhtml", ".md", ".markdown", ".txt", ".text"}


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


def stop_on_sigterm() -> None:
    """Make SIGTERM stop this process as Ctrl-C does (KeyboardInterrupt), so every staged output is discarded; after
    either, no staged output is put in place."""
    import atexit
    import signal
    import threading

    from .publish.atomic import STOP_REQUESTED
    from .publish.claims import let_go_of_all

    def interrupt(signum: int, frame: Any) -> None:
        STOP_REQUESTED.set()
        raise KeyboardInterrupt(f"signal {signum}")

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, interrupt)
    atexit.register(let_go_of_all)  # a claim taken just before the signal, not yet held by its outputs


# glibc's malloc gives each thread its own arena and keeps freed memory there; with the synthesis, encoder and
# LAME threads that left a one-hour conversion at about 105 MB. With one arena it peaks at about 85 MB, at the same
# speed. (Mapping large blocks apart would save 5 MB more but costs 10 % in page faults.)
_M_ARENA_MAX = -8


def limit_memory() -> None:
    """Keep this process's resident memory flat (glibc only; elsewhere nothing changes). Call before threads start."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return  # another C library (musl) has no mallopt; its defaults stand
    mallopt(_M_ARENA_MAX, 1)


def one_blas_thread() -> None:
    """Ask OpenBLAS, numpy's matrix library, to start no helper threads. Call before numpy is imported.

    Our arrays are long and narrow and gain nothing from a second BLAS thread, while OpenBLAS's helpers spin on
    a core after every call: importing numpy alone cost 0.1 s of another core's time, and a matrix product per
    clip 0.5 s over a 1,000-word story, taken from the encoder. A value the user set is kept.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _start_worker() -> None:
    one_blas_thread()
    limit_memory()
    stop_on_sigterm()


_worker_pool: Any = None


def _worker_convert(source: str | Source, settings: Settings) -> ItemResult:
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
        from .publish.claims import let_go_of_all

        let_go_of_all()
        if _worker_pool is not None:
            with contextlib.suppress(Exception):
                _worker_pool.close()
        os._exit(1)


def longest_first(sources: Sequence[str | Source]) -> list[int]:
    """The order to hand ``sources`` out in: the largest local files first, so that no long article is left to
    run alone on one core at the end while the others wait. Sources of unknown size (URLs, feed items, text
    given in memory) come first, in their own order; files of equal size keep theirs."""

    def size(source: str | Source) -> float:
        if isinstance(source, Source):
            return math.inf
        try:
            return Path(source).stat().st_size
        except (OSError, ValueError):
            return math.inf

    sizes = [size(source) for source in sources]
    return sorted(range(len(sources)), key=lambda index: -sizes[index])


def run_batch(
    sources: Sequence[str | Source], settings: Settings, on_result: Callable[[ItemResult], None] | None = None
) -> list[ItemResult]:
    """Convert ``sources`` ``settings.workers`` at a time on this machine (this process and worker processes), or one
    task per source on the Dask cluster at ``settings.cluster``; results in source order."""
    results: dict[int, ItemResult] = {}
    workers = min(settings.workers, len(sources))
    if workers <= 1 and not settings.cluster:
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
    if not settings.cluster:
        return _run_here_and_in_workers(sources, settings, workers, on_result)
    runner: _Runner = _ClusterRunner(settings)
    try:
        futures: dict[Future[Any], int] = {}
        for index in longest_first(sources):
            source = sources[index]
            try:
                futures[runner.submit(source)] = index
            except ArticleAudioError as exc:  # a local file the client could not read for the cluster
                name = source.name if isinstance(source, Source) else source
                results[index] = ItemResult(name, "failed", error=str(exc) if exc.path else f"{name}: {exc}")
                if on_result:
                    on_result(results[index])
        for future in runner.completed(futures):
            index = futures[future]
            source = sources[index]
            results[index] = runner.finish(source.name if isinstance(source, Source) else source, future)
            if on_result:
                on_result(results[index])
    except BaseException:
        runner.stop()
        raise
    runner.close()
    return [results[i] for i in range(len(sources))]


def _run_here_and_in_workers(
    sources: Sequence[str | Source], settings: Settings, workers: int, on_result: Callable[[ItemResult], None] | None
) -> list[ItemResult]:
    """Convert ``sources`` in this process and in ``workers`` - 1 worker processes, each taking the next source (the
    largest first) when it is free. This process converting too spares starting and loading one interpreter (about a
    quarter of a second of CPU), which in a batch on every core is that much less time.

    A thread per worker process hands it one source at a time and waits for its result; results are reported from this
    thread, between its own conversions and at the end."""
    import queue
    import threading
    from collections import deque

    from .audio.synthesize import EnginePool

    waiting = deque(longest_first(sources))
    lock = threading.Lock()
    done: queue.SimpleQueue[tuple[int, ItemResult | BaseException]] = queue.SimpleQueue()
    results: dict[int, ItemResult] = {}

    def take() -> int | None:
        with lock:
            return waiting.popleft() if waiting else None

    runner = _LocalRunner(settings, workers - 1)

    def hand_out() -> None:
        while (index := take()) is not None:
            try:
                done.put((index, runner.submit(sources[index]).result()))
            except BaseException as exc:  # noqa: BLE001  # a worker process lost (killed, or out of memory): told below
                done.put((index, exc))
                return

    def collect(block: bool = False) -> None:
        while True:
            try:
                index, outcome = done.get(block=block, timeout=0.2 if block else None)
            except queue.Empty:
                return
            if isinstance(outcome, BaseException):
                raise outcome
            results[index] = outcome
            if on_result:
                on_result(outcome)
            block = False

    handing = [threading.Thread(target=hand_out, name="articleaudio-batch", daemon=True) for _ in range(workers - 1)]
    for thread in handing:
        thread.start()  # the worker processes start loading while this one does
    pool = None
    try:
        pool = EnginePool.for_settings(settings, 1)
        while (index := take()) is not None:
            results[index] = convert_one(sources[index], settings, True, pool=pool)
            if on_result:
                on_result(results[index])
            collect()
        while any(thread.is_alive() for thread in handing) or not done.empty():
            collect(block=True)
    except BaseException:
        with lock:
            waiting.clear()
        runner.stop()
        raise
    finally:
        if pool is not None:
            pool.close()
    runner.close()
    return [results[i] for i in range(len(sources))]


class _Runner:
    """Where a batch's conversions run: submit one source, collect its result."""

    executor: Executor

    def submit(self, source: str | Source) -> Future[Any]:
        raise NotImplementedError

    def completed(self, futures: dict[Future[Any], int]) -> Iterator[Future[Any]]:
        return as_completed(futures)

    def finish(self, source: str, future: Future[Any]) -> ItemResult:
        result: ItemResult = future.result()
        return result

    def stop(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self.executor.shutdown(wait=True)


class _LocalRunner(_Runner):
    """Worker processes on this machine, writing into the output folder themselves."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings = settings
        # Spawned, not forked: engines must never inherit a half-initialised speech library.
        context = multiprocessing.get_context("spawn")
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker)

    def submit(self, source: str | Source) -> Future[Any]:
        return self.executor.submit(_worker_convert, source, self.settings)

    def stop(self) -> None:
        # Stopped (Ctrl-C, SIGTERM) or broken: each worker is told to stop as this process was, and discards what
        # it has staged; none goes on writing after this process has gone.
        for process in list(getattr(self.executor, "_processes", {}).values()):
            with contextlib.suppress(OSError):
                process.terminate()
        super().stop()


# With no worker in the cluster for this long, the articles still waiting are reported failed instead of waited on.
NO_WORKER_SECONDS = 60.0


class _ClusterRunner(_Runner):
    """One task per source on a Dask cluster; the files come back and are written here."""

    def __init__(self, settings: Settings) -> None:
        from .cluster import connect
        from .tasks import folder_snapshot

        self.settings = settings
        self.client = connect(settings.cluster or "")
        self.executor = self.client.get_executor(pure=False)
        known = folder_snapshot(Path(settings.output or DEFAULT_OUTPUT_DIR))
        # sent to each worker once, not with every task (a dict given alone would be scattered item by item)
        self.known = self.client.scatter([known], broadcast=True)[0]

    def submit(self, source: str | Source) -> Future[Any]:
        from .tasks import convert_remote, task_source

        loaded = source if isinstance(source, Source) else task_source(source, self.settings)
        return self.executor.submit(convert_remote, loaded, self.settings, self.known)

    def completed(self, futures: dict[Future[Any], int]) -> Iterator[Future[Any]]:
        pending = set(futures)
        alone_since: float | None = None
        while pending:
            done, pending = wait(pending, timeout=2.0, return_when=FIRST_COMPLETED)
            yield from done
            if done or not pending:
                alone_since = None
                continue
            if self.client.scheduler_info().get("workers"):
                alone_since = None
            elif alone_since is None:
                alone_since = time.monotonic()
            elif time.monotonic() - alone_since > NO_WORKER_SECONDS:
                for future in pending:
                    future.cancel()
                yield from pending
                return

    def finish(self, source: str, future: Future[Any]) -> ItemResult:
        from .tasks import place_output

        if future.cancelled():
            return ItemResult(source, "failed", error=f"{source}: no Dask worker left in the cluster for {NO_WORKER_SECONDS:.0f} s")
        try:
            output = future.result()
        except Exception as exc:  # noqa: BLE001  # a task lost with its workers too often (KilledWorker), or broken
            return ItemResult(source, "failed", error=f"{source}: {exc.__class__.__name__}: {exc}")
        try:
            return place_output(output, self.settings)
        except ArticleAudioError as exc:
            return replace(output.result, status="failed", error=str(exc), mp3=None)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.executor.shutdown(wait=False)
        self.client.close()

    def close(self) -> None:
        self.client.close()


def _in_folder(item: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A report item whose MP3 sits beside the report names it by its file name: a report kept in a published folder
    (as ``watch`` keeps it) says nothing of the machine's folders."""
    mp3 = item.get("mp3")
    if mp3 and Path(mp3).resolve().parent == folder.resolve():
        item["mp3"] = Path(mp3).name
    return item


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
        "segments_encoded": sum(r.segments_encoded for r in results),
        "segments_reused": sum(r.segments_reused for r in results),
        "skipped": sum(len(r.skipped) for r in results),
        "items": [_in_folder(asdict(r), path.parent) for r in results],
    }
    staged = OutputSet()
    staged.write_text(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    staged.commit()
