"""The ``articleaudio`` commands around a narration: check, voices, embed, feed, cache and verify."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .settings import DEFAULT_ENGINE


@click.command()
@click.option("--engine", help="Only this engine.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
def voices(engine: str | None, fmt: str) -> None:
    """List the voices of the installed engines."""
    from .engines import available_engines, get_engine
    from .errors import ArticleAudioError

    names = [engine] if engine else available_engines()
    report: dict[str, Any] = {}
    for name in names:
        try:
            instance = get_engine(name)
        except ArticleAudioError as exc:
            if engine:
                raise click.ClickException(str(exc)) from None
            report[name] = {"error": str(exc)}
            continue
        try:
            report[name] = {"voices": [v.__dict__ for v in instance.voices()]}
        except ArticleAudioError as exc:
            report[name] = {"error": str(exc)}
        finally:
            instance.close()
    if fmt == "json":
        click.echo(json.dumps(report, indent=2))
        return
    for name, info in report.items():
        click.echo(f"{name}{' (default)' if name == DEFAULT_ENGINE else ''}:")
        if "error" in info:
            click.echo(f"  unavailable: {info['error']}")
            continue
        for v in info["voices"]:
            extra = ", ".join(
                x for x in (v.get("language"), v.get("gender"), f"{v['sample_rate']} Hz" if v.get("sample_rate") else None) if x
            )
            click.echo(f"  {v['id']:<22} {v['name']}{f'  [{extra}]' if extra else ''}")


@click.command()
@click.argument("stem")
@click.option("--base-url", help="Where the files will be served from (default: relative links).")
def embed(stem: str, base_url: str | None) -> None:
    """Print an HTML snippet that embeds the narration STEM (a .mp3 path or its stem) in a page."""
    from .outputs.player import embed_snippet

    mp3 = Path(stem if stem.endswith(".mp3") else f"{stem}.mp3")
    manifest_path = mp3.with_suffix(".json")
    if not mp3.is_file():
        raise click.ClickException(f"{mp3}: no such narration")
    title, language = mp3.stem.replace("-", " "), "en"
    if manifest_path.is_file():
        try:
            article = json.loads(manifest_path.read_text(encoding="utf-8"))["article"]
            title, language = article["title"], article.get("language") or "en"
        except (OSError, ValueError, KeyError) as exc:
            raise click.ClickException(f"{manifest_path}: not an articleaudio manifest ({exc})") from None
    prefix = (base_url.rstrip("/") + "/") if base_url else ""
    vtt = mp3.with_suffix(".vtt")
    click.echo(embed_snippet(title, prefix + mp3.name, prefix + vtt.name if vtt.is_file() else None, language))


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@click.option("--base-url", required=True, help="Public URL of FOLDER, used for enclosures, transcripts and chapters.")
@click.option("--title", required=True, help="Title of the podcast.")
@click.option("--description", default="Narrated articles", show_default=True, help="Description of the podcast.")
@click.option("--link", help="Web page of the podcast (default: the base URL).")
@click.option("--image", help="URL of the podcast's cover image.")
@click.option("--author", help="Author or publisher shown in podcast apps.")
@click.option("--language", default="en", show_default=True, help="Language of the podcast.")
def feed(
    folder: str, base_url: str, title: str, description: str, link: str | None, image: str | None, author: str | None, language: str
) -> None:
    """Write FOLDER/feed.xml: a podcast feed with one item per narration in FOLDER."""
    from .atomic import OutputSet
    from .errors import ArticleAudioError
    from .outputs.feed import Channel, build_feed, read_manifests

    channel = Channel(title=title, base_url=base_url, description=description, link=link, image=image, author=author, language=language)
    try:
        rss = build_feed(Path(folder), channel)
        staged = OutputSet()
        staged.write_bytes(Path(folder) / "feed.xml", rss)
        staged.commit()
    except ArticleAudioError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{Path(folder) / 'feed.xml'}: {len(read_manifests(Path(folder)))} items")


@click.command()
@click.argument("source")
@click.option(
    "--lexicon", type=click.Path(dir_okay=False), envvar="ARTICLEAUDIO_LEXICON", help="Pronunciation lexicon (TOML or PLS) to apply."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@click.option("--all", "show_all", is_flag=True, help="Show every sentence, not only those that change or need a look.")
def check(source: str, lexicon: str | None, fmt: str, show_all: bool) -> None:
    """Show what will be said for SOURCE beside what is written, and tokens to review before publishing."""
    from .check import check_article
    from .config import default_lexicon_path
    from .errors import ArticleAudioError
    from .extract import extract_article
    from .lexicon import load_lexicon
    from .load import load_source

    try:
        lexicon_path = lexicon or default_lexicon_path()
        loaded_lexicon = load_lexicon(lexicon_path) if lexicon_path else None
        article = extract_article(load_source(source))
        rows = check_article(article, loaded_lexicon)
    except ArticleAudioError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        payload = {
            "source": source,
            "title": article.title,
            "sentences": [
                {"id": r.id, "text": r.text, "spoken": r.spoken, "changed": r.changed,
                 "unsure": [{"token": u.token, "reason": u.reason} for u in r.unsure]}
                for r in rows
            ],
        }  # fmt: skip
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for row in rows:
        if not (show_all or row.changed or row.unsure):
            continue
        click.echo(f"{row.id:<5}{row.text}")
        if row.changed:
            click.echo(f"  -> {row.spoken}")
        for unsure in row.unsure:
            click.echo(f"   ? {unsure.token!r}: {unsure.reason}")
        click.echo("")
    changed = sum(r.changed for r in rows)
    tokens = sum(len(r.unsure) for r in rows)
    click.echo(f"{len(rows)} sentences, {changed} read differently from how they are written, {tokens} tokens to review")


@click.group()
def cache() -> None:
    """Inspect or empty the clip cache (~/.cache/articleaudio/clips on Linux, or $ARTICLEAUDIO_CACHE_DIR)."""


@cache.command("info")
def cache_info() -> None:
    """Show where the clip cache is and how much it holds."""
    from .cache import ClipCache

    info = ClipCache().info()
    click.echo(f"{info.path}: {info.clips} clips, {info.bytes / 1e6:.1f} MB of {info.max_bytes / 1e6:.0f} MB")


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached clip."""
    from .cache import ClipCache

    clip_cache = ClipCache()
    click.echo(f"{clip_cache.path}: {clip_cache.clear()} clips deleted")


@click.command()
@click.argument("mp3", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@click.option("--worst", type=click.IntRange(0, 1000), default=10, show_default=True, help="How many of the worst sentences to list.")
def verify(mp3: str, fmt: str, worst: int) -> None:
    """Transcribe MP3 offline and compare it with its manifest: word error rate overall and per sentence."""
    from .errors import ArticleAudioError
    from .verify import verify_narration

    try:
        result = verify_narration(mp3)
    except ArticleAudioError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{mp3}: word error rate {result.wer:.1%} ({result.errors} of {result.words} words), {len(result.sentences)} sentences")
    for sentence in result.worst(worst):
        click.echo(f"\n{sentence.id}  {sentence.wer:.0%} ({sentence.errors} of {sentence.words} words)")
        click.echo(f"  meant: {sentence.expected}")
        click.echo(f"  heard: {sentence.heard}")
