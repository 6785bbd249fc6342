"""The read-along player page and the embeddable snippet."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from importlib import resources
from string import Template

from ..audio.timing import words_of
from ..models import Article, Chapter, Cue


def _words_html(cue: Cue) -> str:
    """The sentence's words, each in a span the player highlights while it is heard, with the text between
    them as written (a space, or nothing between the characters of Chinese and Japanese script)."""
    ident = f"s{cue.sentence.index + 1}"
    text = cue.sentence.text
    spans = words_of(text)
    if not cue.words or len(spans) != len(cue.words):
        return escape(text)
    out: list[str] = []
    position = 0
    for number, (a, b) in enumerate(spans, start=1):
        out.append(escape(text[position:a]) + f'<span class="aa-w" data-w="{ident}.{number}">{escape(text[a:b])}</span>')
        position = b
    return "".join(out) + escape(text[position:])


def _transcript(cues: Sequence[Cue]) -> str:
    blocks: list[str] = []
    open_key: tuple[str, int] | None = None
    for cue in cues:
        s = cue.sentence
        span = f'<span class="aa-s" id="s{s.index + 1}" role="button" tabindex="0">{_words_html(cue)}</span>'
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


def _chapters(chapters: Sequence[Chapter]) -> str:
    """The chapter list: a button per chapter (the player marks the current one); nothing for fewer than two."""
    if len(chapters) < 2:
        return ""
    items = "".join(
        f'<li><button type="button" data-start="{c.start_ms}">{escape(c.title)} ({_clock(c.start_ms)})</button></li>' for c in chapters
    )
    return f'<nav class="aa-chapters" aria-label="Chapters"><ol>{items}</ol></nav>'


def _clock(ms: int) -> str:
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def player_html(
    article: Article,
    cues: Sequence[Cue],
    audio_name: str,
    vtt_name: str,
    disclosure: str,
    generator: str,
    chapters: Sequence[Chapter] = (),
    episode: str = "",
) -> str:
    """A self-contained page: audio, transcript, highlight of the sentence and the word heard, click to seek,
    speed, resume, chapters, skips and keys; no external requests. ``episode`` keys the listener's place."""
    template = Template(resources.files("articleaudio").joinpath("data/player.html").read_text(encoding="utf-8"))
    sentences = [
        {"id": f"s{c.sentence.index + 1}", "start": c.start_ms, "end": c.end_ms, "words": [[w.start_ms, w.end_ms] for w in c.words]}
        for c in cues
    ]
    data = {"episode": episode or audio_name, "sentences": sentences}
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
        chapters=_chapters(chapters),
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


def embed_widget(
    title: str,
    mp3_url: str,
    vtt_url: str | None,
    transcript_url: str | None,
    chapters: Sequence[tuple[str, float]],
    language: str = "en",
) -> str:
    """A self-contained player widget a publisher pastes beside the story: play/pause, a seek bar with the time,
    speed, chapters (``(title, start in seconds)``), a transcript and a download link. Its style and controls live
    in a shadow root made by its own script, so the page's styles and scripts and other widgets are left alone;
    with JavaScript off it is the ``<audio>`` element with its captions and the links."""
    template = Template(resources.files("articleaudio").joinpath("data/widget.html").read_text(encoding="utf-8"))
    links = []
    if transcript_url:
        links.append(f'<a href="{escape(transcript_url)}">Transcript</a>')
    links.append(f'<a href="{escape(mp3_url)}" download>Download (MP3)</a>')
    data = {
        "title": title,
        "audio": mp3_url,
        "transcript": transcript_url,
        "chapters": [{"title": name, "start": round(start, 3)} for name, start in chapters],
    }
    page = template.substitute(
        lang=escape(language),
        audio=escape(mp3_url),
        vtt=escape(vtt_url or ""),
        title=escape(title),
        links=" " + " · ".join(links),
        data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "\\u003c!--"),
    )
    if not vtt_url:  # no captions file: no track element
        page = "\n".join(line for line in page.splitlines() if not line.startswith("<track ")) + "\n"
    return page.rstrip("\n")
