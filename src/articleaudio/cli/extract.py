"""``articleaudio extract``: show what would be read from a page."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .messages import fail_unexpected
from .options import setting_option


@click.command()
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
@setting_option("include_tables")
def extract(sources: tuple[str, ...], fmt: str, output_dir: str | None, explain: bool, include_tables: bool) -> None:
    """Show what would be read from SOURCES, with the article's metadata."""
    from ..errors import ArticleAudioError
    from ..extract.html import explain_extraction
    from ..extract.report import article_json, article_text
    from ..publish.paths import slugify
    from ..source.load import load_source

    failures = 0
    for source in sources:
        try:
            result = explain_extraction(load_source(source), include_tables=include_tables)
        except ArticleAudioError as exc:
            failures += 1
            click.echo(f"articleaudio: error: {exc}", err=True)
            continue
        except Exception as exc:  # noqa: BLE001  # shown as one line to users; re-raised under tests
            fail_unexpected(exc)
        article = result.article
        body = (
            json.dumps(article_json(article, result.dropped if explain else None), ensure_ascii=False, indent=2)
            if fmt == "json"
            else article_text(article)
        )
        if output_dir:
            from ..publish.atomic import OutputSet

            stem = Path(source).stem if not source.startswith(("http://", "https://")) and source != "-" else slugify(article.title)
            staged = OutputSet()
            staged.write_text(Path(output_dir) / f"{stem}.{'json' if fmt == 'json' else 'txt'}", body + "\n")
            staged.commit()
            continue
        if fmt == "text":
            click.echo(_metadata_header(article))
        click.echo(body)
        if explain and fmt == "text" and result.warnings:
            click.echo("\n--- warnings ---")
            for line in result.warnings:
                click.echo(line)
        if explain and fmt == "text" and result.joined:
            click.echo("\n--- read together: the body is split into parts ---")
            for line in result.joined:
                click.echo(line)
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
        (
            "Language",
            article.language + (f" (the page declares {article.declared_language})" if article.declared_language else "")
            if article.language
            else None,
        ),
    ]
    lines = [f"{k}: {v}" for k, v in rows if v]
    return "\n".join(lines) + f"\nWords: {article.word_count}\n"
