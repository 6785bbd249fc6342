"""``articleaudio embed`` and ``articleaudio feed``: put narrations on a site and in a podcast feed."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("stem")
@click.option("--base-url", help="Where the files will be served from (default: relative links).")
@click.option("--plain", is_flag=True, help="Print a bare <audio> element with its captions instead of the player widget.")
def embed(stem: str, base_url: str | None, plain: bool) -> None:
    """Print HTML that embeds the narration STEM (a .mp3 path or its stem) in a page: a self-contained player widget
    (play, seek, speed, chapters, transcript and download links), or with --plain a bare <audio> element."""
    from ..publish.player import embed_snippet, embed_widget

    mp3 = Path(stem if stem.endswith(".mp3") else f"{stem}.mp3")
    manifest_path = mp3.with_suffix(".json")
    if not mp3.is_file():
        raise click.ClickException(f"{mp3}: missing (the narration's MP3)")
    if not plain and not manifest_path.is_file():
        raise click.ClickException(f"{manifest_path}: missing (the narration's manifest, which the widget reads its title from)")
    title, language = mp3.stem.replace("-", " "), "en"
    if manifest_path.is_file():
        try:
            article = json.loads(manifest_path.read_text(encoding="utf-8"))["article"]
            title, language = article["title"], article.get("language") or "en"
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise click.ClickException(f"{manifest_path}: not an articleaudio manifest ({exc})") from None
    prefix = (base_url.rstrip("/") + "/") if base_url else ""
    vtt = mp3.with_suffix(".vtt")
    vtt_url = prefix + vtt.name if vtt.is_file() else None
    if plain:
        click.echo(embed_snippet(title, prefix + mp3.name, vtt_url, language))
        return
    page = mp3.with_suffix(".html")
    transcript = page if page.is_file() else (vtt if vtt.is_file() else None)
    click.echo(embed_widget(title, prefix + mp3.name, vtt_url, prefix + transcript.name if transcript else None, _chapters(mp3), language))


def _chapters(mp3: Path) -> list[tuple[str, float]]:
    """The narration's chapters (title, start in seconds) from ``<stem>.chapters.json``; none when it has none."""
    path = Path(f"{mp3.with_suffix('')}.chapters.json")
    if not path.is_file():
        return []
    try:
        chapters = json.loads(path.read_text(encoding="utf-8"))["chapters"]
        return [(str(c["title"]), float(c["startTime"])) for c in chapters]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"{path}: not a chapters file ({exc})") from None


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@click.option("--base-url", required=True, help="Public URL of FOLDER, used for enclosures, transcripts and chapters.")
@click.option("--title", required=True, help="Title of the podcast.")
@click.option("--description", default="Narrated articles", show_default=True, help="Description of the podcast.")
@click.option("--link", help="Web page of the podcast (default: the base URL).")
@click.option("--image", help="URL of the podcast's square cover (default: one made from the title, FOLDER/feed-cover.png).")
@click.option("--author", help="Author or publisher shown in podcast apps (default: the title).")
@click.option("--email", help="The owner's e-mail address, which directories use to verify the owner.")
@click.option("--unlocked", is_flag=True, help="Let other platforms import the feed (podcast:locked no).")
@click.option("--language", default="en", show_default=True, help="Language of the podcast.")
@click.option("--by", type=click.Choice(["author", "section"]), help="Also write one feed per author or per section.")
def feed(folder: str, base_url: str, title: str, description: str, link: str | None, image: str | None, author: str | None,
         email: str | None, unlocked: bool, language: str, by: str | None) -> None:  # fmt: skip
    """Write FOLDER/feed.xml: a podcast feed with one item per narration in FOLDER."""
    from ..errors import ArticleAudioError
    from ..publish.feed import Channel, feed_files

    channel = Channel(title=title, base_url=base_url, description=description, link=link, image=image, author=author,
                      language=language, owner_email=email, locked=not unlocked)  # fmt: skip
    try:
        files = write_feed_files(Path(folder), feed_files(Path(folder), channel, by))
    except ArticleAudioError as exc:
        raise click.ClickException(str(exc)) from None
    for name, items in files:
        click.echo(f"{Path(folder) / name}: {items} items")


def write_feed_files(folder: Path, files: dict[str, bytes]) -> list[tuple[str, int]]:
    """Write a feed's files into ``folder`` together; each feed's name with its number of items."""
    from ..publish.atomic import OutputSet

    staged = OutputSet()
    for name, data in files.items():
        staged.write_bytes(folder / name, data)
    staged.commit()
    return [(name, data.count(b"<item>")) for name, data in files.items() if name.endswith(".xml")]
