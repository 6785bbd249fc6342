"""A capacity plan before a big run: words, hours of audio, CPU-hours per engine, disk and wall time.

Nothing of the run is synthesized. The sources are read and extracted (a sample of them, for a large list),
and each engine is calibrated on this machine: a short news text is narrated end to end, from extraction to
tagged MP3, and the CPU time of this process and of every process it started, the audio it made and the clip
cache it filled are measured. The plan scales those figures to the words of the run.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ArticleAudioError
from .settings import Settings

CALIBRATION_TEXT = """Council agrees new budget after a long night

The city council approved next year's budget early on Wednesday after a debate that lasted more than seven hours.
The plan raises spending on schools and roads by four percent and holds the property tax at this year's level.
Opposition members said the savings found in the transport department were not realistic. The mayor replied
that every line had been checked twice by the finance office. A final vote on the harbour project was put off
until the spring, when the engineers' report is due. Residents who spoke at the start of the meeting asked for
more money for the libraries, which have cut their opening hours twice in three years. The budget takes effect
in January.
"""


@dataclass(frozen=True)
class Calibration:
    """What one engine costs on this machine, per second of audio."""

    engine: str
    cpu_per_audio_second: float
    audio_seconds_per_word: float
    mp3_bytes_per_audio_second: float
    cache_bytes_per_audio_second: float


@dataclass(frozen=True)
class SourceCount:
    read: int
    failed: int
    words: int
    """Words to be spoken, intro included, over the sources read."""
    total: int
    """Sources in the run (more than ``read`` when a sample was taken)."""
    first_error: str | None = None
    """Why the first source that failed could not be read."""

    @property
    def estimated_words(self) -> float:
        return self.words / self.read * self.total if self.read else 0.0


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def calibrate(engine: str, settings: Settings) -> Calibration:
    """Narrate :data:`CALIBRATION_TEXT` with ``engine`` and measure what it cost."""
    from .audio.cache import ClipCache
    from .pipeline import convert

    with tempfile.TemporaryDirectory(prefix="articleaudio-plan-") as folder:
        source = Path(folder) / "calibration.txt"
        source.write_text(CALIBRATION_TEXT, encoding="utf-8")
        cache = ClipCache(Path(folder) / "cache")
        before = _cpu_seconds()
        episode = convert(str(source), settings.with_(engine=engine, output=str(Path(folder) / "out"), force=True), cache=cache)
        cpu = _cpu_seconds() - before
        words = sum(len(s.spoken.split()) for s in episode.sentences)
        mp3 = Path(episode.mp3_path).stat().st_size
        cached = sum(p.stat().st_size for p in (Path(folder) / "cache").rglob("*.clip"))
    seconds = max(episode.duration, 1e-3)
    return Calibration(engine, cpu / seconds, seconds / max(words, 1), mp3 / seconds, cached / seconds)


def count_sources(sources: list[str], settings: Settings, sample: int | None) -> SourceCount:
    """Read and extract the sources (every ``len/sample``-th one when ``sample`` is smaller than the list)."""
    from .extract import extract_article
    from .source.load import load_source
    from .speech.script import intro_lines

    chosen = sources
    if sample and len(sources) > sample:
        step = len(sources) / sample
        chosen = [sources[math.floor(i * step)] for i in range(sample)]
    read = failed = words = 0
    first_error = None
    for name in chosen:
        try:
            article = extract_article(load_source(name, settings), include_tables=settings.include_tables)
        except ArticleAudioError as exc:
            failed += 1
            first_error = first_error or (str(exc) if exc.path else f"{name}: {exc}")
            continue
        read += 1
        words += article.word_count + (sum(len(line.split()) for line in intro_lines(article)) if settings.intro else 0)
    return SourceCount(read, failed, words, len(sources), first_error)


def feed_sources(url: str, settings: Settings) -> list[str] | None:
    """The pages a feed lists, or None when ``url`` is not a feed (it is then an article)."""
    from .watch import WatchError, _Fetcher, parse_feed

    fetcher = _Fetcher(settings, 0.0)
    try:
        try:
            response, final, _ = fetcher.get(url)
        except WatchError:
            return None  # read as an article, whose failure is counted with the others
        if response.status_code >= 400:
            return None
        try:
            _, items, children = parse_feed(response.content, final)
        except WatchError:
            return None
        for child in children:
            with contextlib.suppress(ArticleAudioError):
                items.extend(parse_feed(fetcher.get(child)[0].content, child)[1])
        return [item.url for item in items]
    finally:
        fetcher.close()


@dataclass(frozen=True)
class EnginePlan:
    engine: str
    audio_hours: float
    cpu_hours: float
    mp3_gigabytes: float
    cache_gigabytes: float
    wall_hours: float


def engine_plan(calibration: Calibration, words: float, workers: int) -> EnginePlan:
    audio = words * calibration.audio_seconds_per_word
    cpu = audio * calibration.cpu_per_audio_second
    return EnginePlan(
        calibration.engine, audio / 3600, cpu / 3600, audio * calibration.mp3_bytes_per_audio_second / 1e9,
        audio * calibration.cache_bytes_per_audio_second / 1e9, cpu / 3600 / max(workers, 1),
    )  # fmt: skip


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)
