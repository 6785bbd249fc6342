"""The ``articleaudio`` command: thin click wrappers around the library."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from .cli_tools import cache, check, embed, feed, verify, voices
from .settings import DEFAULT_BITRATE, DEFAULT_ENGINE, DEFAULT_RATE, Settings


def _fail_unexpected(exc: BaseException) -> NoReturn:
    # Under tests, unexpected exceptions must surface with their traceback.
    if getattr(sys, "_called_from_test", False) or os.environ.get("ARTICLEAUDIO_RAISE_ERRORS"):
        raise exc
    click.echo(f"articleaudio: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
    sys.exit(2)


@contextmanager
def _progress(quiet: bool, label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback: a bar on a terminal, silence otherwise."""
    if quiet or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    state: dict[str, Any] = {"bar": None}  # the bar is created once the number of sentences is known

    def update(stage: str, done: int, total: int) -> None:
        if stage == "synthesize":
            if state["bar"] is None:
                bar: Any = click.progressbar(length=total, label=label, file=sys.stderr)
                bar.__enter__()
                state["bar"] = bar
            state["bar"].update(done - state["bar"].pos)
        elif state["bar"] is not None and stage in {"assemble", "done"}:
            state["bar"].__exit__(None, None, None)
            state["bar"] = None

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="articleaudio")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Turn articles into narrated MP3s, offline.

    \b
    Examples:
      articleaudio convert https://news.example/story
      articleaudio convert saved-page.html notes.md - -o out/
      articleaudio extract saved-page.html
      articleaudio voices

    Defaults for convert can be set in config.toml in the user config folder
    (~/.config/articleaudio on Linux, or $ARTICLEAUDIO_CONFIG_DIR); a lexicon.toml
    there is used when --lexicon is not given.
    """
    from .config import load_config
    from .errors import ArticleAudioError

    try:
        ctx.default_map = load_config() or None
    except ArticleAudioError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", help="Folder for the MP3s (default: audio/), or an .mp3 file name for a single source.")
@click.option(
    "--engine", default=DEFAULT_ENGINE, show_default=True, envvar="ARTICLEAUDIO_ENGINE", help="Speech engine (see: articleaudio voices)."
)
@click.option("--voice", help="Voice id of the engine (default: one for the article's language).")
@click.option("--rate", type=click.IntRange(80, 450), default=DEFAULT_RATE, show_default=True, help="Speaking rate in words per minute.")
@click.option("--bitrate", type=int, default=DEFAULT_BITRATE, show_default=True, help="MP3 bitrate in kbit/s (constant, mono).")
@click.option("--loudness", type=float, default=-16.0, show_default=True, help="Target loudness in LUFS for the whole programme.")
@click.option("--no-loudness", is_flag=True, help="Keep the engine's levels instead of normalizing loudness.")
@click.option(
    "--intro/--no-intro", default=True, show_default=True, help="Speak the title, byline, site and a synthetic-voice notice first."
)
@click.option("--outro/--no-outro", default=False, show_default=True, help="Speak a closing line naming the source.")
@click.option(
    "--lexicon",
    type=click.Path(dir_okay=False),
    envvar="ARTICLEAUDIO_LEXICON",
    help="Pronunciation lexicon (TOML or PLS) applied before the built-in rules.",
)
@click.option("--sentence-pause", type=click.FloatRange(0, 5), default=0.35, show_default=True, help="Seconds between sentences.")
@click.option("--paragraph-pause", type=click.FloatRange(0, 5), default=0.7, show_default=True, help="Seconds between paragraphs.")
@click.option("--section-pause", type=click.FloatRange(0, 10), default=1.2, show_default=True, help="Seconds before a new section.")
@click.option("--id3", "id3_version", type=click.Choice(["3", "4"]), default="3", show_default=True, help="ID3v2 version of the tags.")
@click.option("--manifest/--no-manifest", default=True, show_default=True, help="Write <stem>.json with metadata and sentence timings.")
@click.option("--captions/--no-captions", default=True, show_default=True, help="Write <stem>.vtt and <stem>.srt.")
@click.option("--chapters/--no-chapters", default=True, show_default=True, help="Write <stem>.chapters.json when the article has chapters.")
@click.option("--player/--no-player", default=True, show_default=True, help="Write <stem>.html, a read-along player page.")
@click.option("--cover", "cover", help="Cover image (JPEG/PNG path or URL) instead of the article's lead image.")
@click.option("--no-cover", is_flag=True, help="Embed no cover image.")
@click.option("--sylt", is_flag=True, help="Also write synchronized lyrics (SYLT) with each sentence's start.")
@click.option("--include-tables", is_flag=True, help="Read tables aloud instead of leaving them out.")
@click.option("--timeout", type=click.FloatRange(1, 300), default=20.0, show_default=True, help="Seconds to wait for a web server.")
@click.option(
    "--max-size", type=click.FloatRange(0.001, 1000), default=10.0, show_default=True, help="Largest page or file accepted, in MB."
)
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True, help="Where neural engines (piper) run.")
@click.option(
    "-j", "--jobs", type=click.IntRange(0, 64), default=0, help="Sentences (one source) or sources (several) at once; 0 = one per CPU core."
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse clips of sentences spoken before with the same engine, voice and rate.",
)
@click.option(
    "--from-file", type=click.Path(dir_okay=False, exists=True), help="Also convert the sources listed in this file, one per line."
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False),
    help="Write the run report (JSON) here; with several sources it defaults to <folder>/articleaudio-report.json.",
)
@click.option("-f", "--force", is_flag=True, help="Convert again even when a narration is up to date, and replace files of other articles.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def convert(sources: tuple[str, ...], **options: Any) -> None:
    """Narrate SOURCES (URLs, .html, .txt or .md files, folders of them, or - for stdin) into MP3s.

    Several sources are converted concurrently; one that fails is reported and the others go on.
    A narration whose source and settings have not changed is kept as it is (use --force).
    """
    import time

    from .batch import ItemResult, convert_one, expand_sources, run_batch, write_report
    from .errors import ArticleAudioError
    from .synthesize import EnginePool

    started = time.time()
    quiet = options.pop("quiet")
    settings = Settings(
        engine=options["engine"], voice=options["voice"], rate=options["rate"], bitrate=options["bitrate"],
        loudness=None if options["no_loudness"] else options["loudness"], intro=options["intro"], outro=options["outro"],
        lexicon=options["lexicon"], sentence_pause=options["sentence_pause"], paragraph_pause=options["paragraph_pause"],
        section_pause=options["section_pause"], id3_version=int(options["id3_version"]), write_manifest=options["manifest"],
        write_captions=options["captions"], write_chapters=options["chapters"], include_tables=options["include_tables"],
        timeout=options["timeout"], max_bytes=int(options["max_size"] * 1_000_000), write_player=options["player"],
        cover=options["cover"], cover_art=not options["no_cover"], synced_lyrics=options["sylt"], jobs=options["jobs"],
        cache=options["cache"], force=options["force"], output=options["output"], device=options["device"],
    )  # fmt: skip
    try:
        names = expand_sources(list(sources), options["from_file"])
    except OSError as exc:
        raise click.ClickException(f"{options['from_file']}: cannot be read ({exc})") from None
    if not names:
        raise click.ClickException("no sources to convert (an empty folder or list file?)")
    several = len(names) > 1

    def report_line(result: ItemResult) -> None:
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

    try:
        probe = EnginePool(settings.engine, 1, device=settings.device)
        probe.first()
        probe.close()
    except ArticleAudioError as exc:
        raise click.ClickException(str(exc)) from None
    results: list[ItemResult] = []
    try:
        in_process = [n for n in names if n == "-"]
        batch_sources = [n for n in names if n != "-"]
        if len(batch_sources) == 1:
            in_process, batch_sources = in_process + batch_sources, []
        for name in in_process:  # stdin belongs to this process, and a single source needs no batch
            with _progress(quiet, Path(name).name[:30] or "stdin") as progress:
                pool = EnginePool(settings.engine, settings.workers, device=settings.device)
                try:
                    results.append(convert_one(name, settings, several, pool=pool, progress=progress))
                finally:
                    pool.close()
            report_line(results[-1])
        if batch_sources:
            results.extend(run_batch(batch_sources, settings, on_result=report_line))
    except Exception as exc:  # noqa: BLE001  # shown as one line to users; re-raised under tests
        _fail_unexpected(exc)
    report_path = options["report"] or (str(Path(settings.output or "audio") / "articleaudio-report.json") if several else None)
    if report_path:
        try:
            write_report(Path(report_path), results, settings, started)
        except ArticleAudioError as exc:
            click.echo(f"articleaudio: error: {exc}", err=True)
    failures = sum(r.status == "failed" for r in results)
    if failures:
        raise click.ClickException(f"{failures} of {len(results)} sources failed") if several else SystemExit(1)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Plain text to read, or the Article as JSON.",
)
@click.option("--output-dir", type=click.Path(file_okay=False), help="Write <stem>.txt or <stem>.json per source here instead of printing.")
@click.option("--explain", is_flag=True, help="Also list what was left out of the page, and why.")
@click.option("--include-tables", is_flag=True, help="Keep tables (read row by row).")
def extract(sources: tuple[str, ...], fmt: str, output_dir: str | None, explain: bool, include_tables: bool) -> None:
    """Show what would be read from SOURCES, with the article's metadata."""
    from .errors import ArticleAudioError
    from .extract import explain_extraction
    from .load import load_source
    from .paths import slugify
    from .render import article_json, article_text

    failures = 0
    for source in sources:
        try:
            result = explain_extraction(load_source(source), include_tables=include_tables)
        except ArticleAudioError as exc:
            failures += 1
            click.echo(f"articleaudio: error: {exc}", err=True)
            continue
        except Exception as exc:  # noqa: BLE001  # shown as one line to users; re-raised under tests
            _fail_unexpected(exc)
        article = result.article
        body = (
            json.dumps(article_json(article, result.dropped if explain else None), ensure_ascii=False, indent=2)
            if fmt == "json"
            else article_text(article)
        )
        if output_dir:
            from .atomic import OutputSet

            stem = Path(source).stem if not source.startswith(("http://", "https://")) and source != "-" else slugify(article.title)
            staged = OutputSet()
            staged.write_text(Path(output_dir) / f"{stem}.{'json' if fmt == 'json' else 'txt'}", body + "\n")
            staged.commit()
            continue
        if fmt == "text":
            click.echo(_metadata_header(article))
        click.echo(body)
        if explain and fmt == "text":
            click.echo("\n--- left out ---")
            for dropped in result.dropped:
                click.echo(f"[{dropped.reason}] {dropped.text}")
    if failures:
        sys.exit(1)


def _metadata_header(article: Any) -> str:
    rows = [
        ("Title", article.title),
        ("By", ", ".join(article.authors)),
        ("Site", article.site_name),
        ("Date", article.date),
        ("URL", article.url),
        ("Language", article.language),
    ]
    lines = [f"{k}: {v}" for k, v in rows if v]
    return "\n".join(lines) + f"\nWords: {article.word_count}\n"


# Commands that work around a narration rather than make one live in cli_tools.py.
for _command in (cache, check, embed, feed, verify, voices):
    cli.add_command(_command)
