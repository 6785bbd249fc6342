"""``articleaudio plan``: what a run will cost, before it runs."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click

from ..settings import settings_from_options
from .options import settings_options


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--from-file", type=click.Path(dir_okay=False, exists=True), help="Also the sources listed in this file, one per line.")
@click.option("--workers", type=click.IntRange(min=1), help="Workers of the run, for its wall time (default: this machine's cores).")
@click.option("--engines", "engine_names", help="Engines to calibrate, comma-separated (default: espeak,pyttsx3,piper, as installed).")
@click.option("--sample", type=click.IntRange(min=1), default=200, show_default=True, help="Read at most this many sources, and scale.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@settings_options
def plan(
    sources: tuple[str, ...], from_file: str | None, workers: int | None, engine_names: str | None, sample: int, fmt: str, **options: Any
) -> None:
    """Estimate what narrating SOURCES costs (files, URLs, folders, --from-file, or a feed's URL for every page it
    lists): words, hours of audio, CPU-hours per engine measured on this machine with a short calibration, disk
    space for the MP3s and the clip cache, and the wall time on the workers. Nothing is synthesized but the
    calibration text."""
    from ..batch import expand_sources
    from ..engines import available_engines
    from ..errors import ArticleAudioError
    from ..plan import calibrate, count_sources, default_workers, engine_plan, feed_sources

    settings = settings_from_options(options)
    names: list[str] = []
    for source in expand_sources(list(sources), from_file):
        listed = feed_sources(source, settings) if source.startswith(("http://", "https://")) else None
        names.extend(listed if listed is not None else [source])
    if not names:
        raise click.UsageError("no sources to plan for")
    workers = workers or default_workers()
    wanted = engine_names.split(",") if engine_names else [e for e in ("espeak", "pyttsx3", "piper") if e in available_engines()]
    counted = count_sources(names, settings, sample)
    if not counted.read:
        raise click.ClickException(f"no source could be read ({counted.first_error})")
    plans, skipped = [], []
    for engine in wanted:
        try:
            plans.append(engine_plan(calibrate(engine.strip(), settings), counted.estimated_words, workers))
        except ArticleAudioError as exc:
            skipped.append(f"{engine}: {exc}")
    if fmt == "json":
        click.echo(json.dumps({"sources": asdict(counted), "words": round(counted.estimated_words), "workers": workers,
                               "engines": [asdict(p) for p in plans], "not_calibrated": skipped}, indent=2))  # fmt: skip
        return
    sampled = f" (read {counted.read + counted.failed} of them and scaled)" if counted.read + counted.failed < counted.total else ""
    click.echo(f"sources: {counted.total}{sampled}; {counted.failed} could not be read")
    click.echo(f"words to speak: {counted.estimated_words:,.0f}; workers: {workers}")
    click.echo(f"{'engine':<10}{'audio h':>10}{'CPU h':>10}{'wall h':>10}{'MP3 GB':>10}{'cache GB':>10}")
    for p in plans:
        click.echo(
            f"{p.engine:<10}{p.audio_hours:>10.2f}{p.cpu_hours:>10.2f}{p.wall_hours:>10.2f}{p.mp3_gigabytes:>10.2f}{p.cache_gigabytes:>10.2f}"
        )
    for line in skipped:
        click.echo(f"not calibrated: {line}")
    click.echo("(the clip cache keeps at most its cap, 1 GB by default, and evicts the oldest clips)")
