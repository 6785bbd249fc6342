"""The read-along player page and the embeddable snippet."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from importlib import resources
from string import Template

from ..models import Article, Cue


def _transcript(cues: Sequence[Cue]) -> str:
    blocks: list[str] = []
    open_key: tuple[str, int] | None = None
    for cue in cues:
        s = cue.sentence
        span = f'<span class="aa-s" id="s{s.index + 1}" role="button" tabindex="0">{escape(s.text)}</span>'
        if s.kind == "heading":
            if open_key:
                blocks.append("</p>")
            blocks.append(f"<h2>{span}</h2>")
            open_key = None
            continue
        key = (s.kind, s.paragraph)
        if key != open_key:
            if open_key:
                blocks.append("</p>")
            blocks.append('<p class="aa-intro">' if s.kind in {"intro", "outro"} else "<p>")
            open_key = key
        else:
            blocks.append(" ")
        blocks.append(span)
    if open_key:
        blocks.append("</p>")
    return "".join(blocks).replace("</p><", "</p>\n<").replace("</h2><", "</h2>\n<")


def player_html(article: Article, cues: Sequence[Cue], audio_name: str, vtt_name: str, disclosure: str, generator: str) -> str:
    """A self-contained page: audio, transcript, highlight of the sentence heard, click to seek; no external requests."""
    template = Template(resources.files("articleaudio").joinpath("data/player.html").read_text(encoding="utf-8"))
    data = [{"id": f"s{c.sentence.index + 1}", "start": c.start_ms, "end": c.end_ms} for c in cues]
    byline = ", ".join(article.authors)
    meta = " · ".join(x for x in (byline and f"By {byline}", article.site_name, article.date) if x)
    return template.substitute(
        lang=escape(article.language or "en"),
        generator=escape(generator),
        title=escape(article.title),
        byline=f"<p>{escape(meta)}</p>" if meta else "",
        source_url=escape(article.url or "#"),
        source_label=escape("Read the original article" if article.url else article.source),
        audio=escape(audio_name),
        vtt=escape(vtt_name),
        disclosure=escape(disclosure),
        transcript=_transcript(cues),
        # "</" inside a script element would end it early.
        cues=json.dumps(data).replace("</", "<\\/"),
    )


def embed_snippet(title: str, mp3_url: str, vtt_url: str | None, language: str = "en") -> str:
    """HTML a publisher pastes beside the story: an audio element with its captions track."""
    track = (
        f'\n    <track kind="captions" srclang="{escape(language)}" label="Transcript" src="{escape(vtt_url)}" default>' if vtt_url else ""
    )
    return (
        '<figure class="articleaudio">\n'
        f'  <audio controls preload="metadata" src="{escape(mp3_url)}">{track}\n'
        f'    <a href="{escape(mp3_url)}">Download the narration (MP3)</a>\n'
        "  </audio>\n"
        f"  <figcaption>Listen to “{escape(title)}” (narrated by a synthetic voice)</figcaption>\n"
        "</figure>"
    )
