"""``articleaudio watch``: narrate each new story of a site's feeds, and keep the podcast feed current."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import click

from ..settings import settings_from_options
from .options import settings_options


@click.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--base-url", required=True, help="Public URL of the folder, for the podcast feed.")
@click.option("--title", help="Title of the podcast feed (default: the watched feed's own).")
@click.option("--email", help="The owner's e-mail address for the podcast feed.")
@click.option("--by", type=click.Choice(["author", "section"]), help="Also keep one podcast feed per author or per section.")
@click.option("--once", is_flag=True, help="Poll once and exit (for cron or a systemd timer).")
@click.option("--every", type=click.FloatRange(min=1), help="Poll every MINUTES, until stopped.", metavar="MINUTES")
@click.option("--max-items", type=click.IntRange(min=1), help="Look at no more than this many items per feed, newest first.")
@click.option("--include", multiple=True, help="Only items with this word in the title or URL (repeatable).")
@click.option("--exclude", multiple=True, help="Leave out items with this word in the title or URL (repeatable).")
@click.option("--since", help="Leave out items published before this date (YYYY-MM-DD).")
@click.option("--page-delay", type=click.FloatRange(min=0), default=1.0, show_default=True, help="Seconds between two page fetches.")
@click.option("--wait", is_flag=True, help="When another watcher works on the folder, wait for it instead of stopping.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@settings_options
def watch(feeds: tuple[str, ...], base_url: str, title: str | None, email: str | None, by: str | None, once: bool,
          every: float | None, max_items: int | None, include: tuple[str, ...], exclude: tuple[str, ...], since: str | None,
          page_delay: float, wait: bool, quiet: bool, **options: Any) -> None:  # fmt: skip
    """Narrate each new story of FEEDS (RSS, Atom, JSON Feed or sitemap URLs) into the folder given with -o,
    narrate a story again when its text changes, and keep its feed.xml and articleaudio-report.json current.

    What the watcher knows is kept in that folder, so a restarted watcher picks up where it stopped.
    """
    from ..errors import ArticleAudioError
    from ..publish.feed import Channel, feed_files
    from ..watch import WatchOptions, feed_title, poll, watch_lock
    from .publishing import write_feed_files

    if not once and every is None:
        raise click.UsageError("say how often to poll: --once, or --every MINUTES")
    if since and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
        raise click.BadParameter("a date as YYYY-MM-DD", param_hint="--since")
    folder = options.get("output")
    if not folder or folder.lower().endswith(".mp3"):
        raise click.UsageError("give the folder to keep the narrations in: -o FOLDER")
    settings = settings_from_options(options)
    bounds = WatchOptions(max_items, include, exclude, since, page_delay)
    out = Path(folder)

    def report(result: Any) -> None:
        if result.status == "failed":
            click.echo(f"articleaudio: error: {result.error}", err=True)
        elif not quiet:
            click.echo(f"{result.source}: {result.status}" + (f" -> {result.mp3}" if result.mp3 else ""))

    def note(text: str) -> None:
        if not quiet:
            click.echo(text)

    try:
        with watch_lock(out, wait=wait):
            while True:
                result = poll(list(feeds), out, settings, bounds, on_result=report, on_note=note)
                channel = Channel(title=title or feed_title(out, list(feeds)), base_url=base_url, owner_email=email)
                try:
                    files = feed_files(out, channel, by)
                except ArticleAudioError:
                    files = {}  # nothing narrated yet
                for name, items in write_feed_files(out, files) if files else []:
                    note(f"{out / name}: {items} items")
                if once:
                    break
                time.sleep((every or 1) * 60)
    except ArticleAudioError as exc:
        raise click.ClickException(str(exc)) from None
    if any(r.status == "failed" for r in result.items):
        raise SystemExit(1)
