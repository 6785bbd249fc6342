"""``articleaudio convert``: narrate sources into MP3s."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..settings import settings_from_options
from .messages import fail_unexpected, progress_bar
from .options import settings_options

if TYPE_CHECKING:
    from ..audio.synthesize import EnginePool


@click.command()
@click.argument("sources", nargs=-1, required=True)
@settings_options
@click.option(
    "--from-file", type=click.Path(dir_okay=False, exists=True), help="Also convert the sources listed in this file, one per line."
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False),
    help="Write the run report (JSON) here; with several sources it defaults to <folder>/articleaudio-report.json.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def convert(sources: tuple[str, ...], **options: Any) -> None:
    """Narrate SOURCES (URLs, .html, .txt or .md files, folders of them, or - for stdin) into MP3s.

    Several sources are converted concurrently; one that fails is reported and the others go on.
    A narration whose source and settings have not changed is kept as it is (use --force).
    """
    import time

    from ..batch import expand_sources, run_batch, write_report
    from ..errors import ArticleAudioError
    from ..tasks import ItemResult, convert_one

    started = time.time()
    quiet = options.pop("quiet")
    settings = settings_from_options(options)
    try:
        names = expand_sources(list(sources), options["from_file"])
    except OSError as exc:
        raise click.ClickException(f"{options['from_file']}: cannot be read ({exc})") from None
    if not names:
        raise click.ClickException("no sources to convert (an empty folder or list file?)")
    several = len(names) > 1
    if several and settings.source_url:
        raise click.ClickException("--source-url names one article; it cannot be given with several sources")

    def report_line(result: ItemResult) -> None:
        for warning in result.warnings:
            click.echo(f"articleaudio: warning: {result.source}: {warning}", err=True)
        for left in result.skipped:
            click.echo(f"articleaudio: warning: {result.source}: sentence {left['id'][1:]} left out ({left['reason']})", err=True)
        if result.status == "failed":
            click.echo(f"articleaudio: error: {result.error}", err=True)
        elif result.status == "up to date":
            click.echo(f"{result.mp3}: up to date, kept (use --force to convert again)", err=quiet)
        elif result.status == "kept":
            click.echo(f"{result.mp3}: exists and is not a narration of {result.source}, kept (use --force to replace it)", err=quiet)
        elif not quiet:
            minutes, seconds = divmod(round(result.duration_s or 0), 60)
            reuse = f", {result.cached} from cache" if result.cached else ""
            click.echo(
                f"{result.mp3}: {minutes}:{seconds:02d}, {result.sentences} sentences "
                f"({result.synthesized} synthesized{reuse}), {result.engine} ({result.voice})"
            )

    in_process = [n for n in names if n == "-"]
    batch_sources = [n for n in names if n != "-"]
    if len(batch_sources) == 1:
        in_process, batch_sources = in_process + batch_sources, []
    ready: EnginePool | None = None
    try:
        if in_process:
            from ..audio.synthesize import EnginePool

            ready = EnginePool.for_settings(settings)
            ready.first()  # an unknown engine or a missing program fails here, before any work
            ready.warm_up()  # the engine's worker starts while the rest of the program loads and the article is read
        else:
            # The workers speak; this process only checks the engine, without loading the audio stages.
            from ..engines import get_engine

            get_engine(settings.engine, device=settings.device, timeout=settings.engine_timeout).close()
    except ArticleAudioError as exc:
        raise click.ClickException(str(exc)) from None
    results: list[ItemResult] = []
    try:
        for name in in_process:  # stdin belongs to this process, and a single source needs no batch
            with progress_bar(quiet, Path(name).name[:30] or "stdin") as progress:
                from ..audio.synthesize import EnginePool

                pool, ready = ready or EnginePool.for_settings(settings), None
                try:
                    results.append(convert_one(name, settings, several, pool=pool, progress=progress))
                finally:
                    pool.close()
            report_line(results[-1])
        if batch_sources:
            results.extend(run_batch(batch_sources, settings, on_result=report_line))
    except ArticleAudioError as exc:  # the batch as a whole cannot run (an unreachable cluster)
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # noqa: BLE001  # shown as one line to users; re-raised under tests
        fail_unexpected(exc)
    report_path = options["report"] or (str(Path(settings.output or "audio") / "articleaudio-report.json") if several else None)
    if report_path:
        try:
            write_report(Path(report_path), results, settings, started)
        except ArticleAudioError as exc:
            click.echo(f"articleaudio: error: {exc}", err=True)
    failures = sum(r.status == "failed" for r in results)
    if failures:
        raise click.ClickException(f"{failures} of {len(results)} sources failed") if several else SystemExit(1)
