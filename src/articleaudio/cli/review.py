"""``articleaudio check`` and ``articleaudio verify``: review the spoken text and the narration as heard."""

from __future__ import annotations

import json

import click

from .options import setting_option


@click.command()
@click.argument("source")
@setting_option("lexicon")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@click.option("--all", "show_all", is_flag=True, help="Show every sentence, not only those that change or need a look.")
def check(source: str, lexicon: str | None, fmt: str, show_all: bool) -> None:
    """Show what will be said for SOURCE beside what is written, and tokens to review before publishing."""
    from ..errors import ArticleAudioError
    from ..extract.html import extract_article
    from ..source.load import load_source
    from ..speech.check import check_article
    from ..speech.lexicon import load_lexicon
    from ..userconfig import default_lexicon_path

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


@click.command()
@click.argument("mp3", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@click.option("--worst", type=click.IntRange(0, 1000), default=10, show_default=True, help="How many of the worst sentences to list.")
def verify(mp3: str, fmt: str, worst: int) -> None:
    """Transcribe MP3 offline and compare it with its manifest: word error rate overall and per sentence."""
    from ..audio.verify import verify_narration
    from ..errors import ArticleAudioError

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
