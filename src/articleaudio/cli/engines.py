"""``articleaudio voices`` and ``articleaudio cache``: the engines, their voices and the clip cache."""

from __future__ import annotations

import json
from typing import Any

import click

from ..settings import DEFAULT_ENGINE


@click.command()
@click.option("--engine", help="Only this engine.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
def voices(engine: str | None, fmt: str) -> None:
    """List the voices of the installed engines."""
    from ..engines import available_engines, get_engine
    from ..errors import ArticleAudioError

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


@click.group()
def cache() -> None:
    """Inspect or empty the clip cache (~/.cache/articleaudio/clips on Linux, or $ARTICLEAUDIO_CACHE_DIR)."""


@cache.command("info")
def cache_info() -> None:
    """Show where the clip cache is and how much it holds."""
    from ..audio.cache import ClipCache

    info = ClipCache().info()
    size = f"{info.bytes / 1e6:.1f} MB of {info.max_bytes / 1e6:.0f} MB"
    click.echo(f"{info.path}: {info.clips} clips, {info.segments} encoded segments, {size}")


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached clip and encoded segment."""
    from ..audio.cache import ClipCache

    clip_cache = ClipCache()
    segments = clip_cache.info().segments
    click.echo(f"{clip_cache.path}: {clip_cache.clear()} clips deleted, and {segments} encoded segments")
