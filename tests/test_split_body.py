"""A story body split into parts: sibling containers of one class with an advertisement row, a newsletter module,
a video player or a "most popular" rail between them. Pages written here after the shapes of real templates."""

from __future__ import annotations

from itertools import pairwise

import pytest
from click.testing import CliRunner

from articleaudio.cli import cli
from articleaudio.extract.html import explain_extraction, extract_article
from articleaudio.models import Source

STORY = [
    f"Paragraph {n} of the story: the council weighed the harbour plan for hours, and residents told the members "
    f"what the new quay and the ferry would mean for them."
    for n in range(1, 16)
]
CUTS = (0, 4, 9, 15)


def _chunks() -> list[list[str]]:
    return [STORY[a:b] for a, b in pairwise(CUTS)]


def _ps(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _popular(n: int) -> str:
    links = "".join(f"<a href='/m{n}{k}'><h4>Most popular story {k}, a headline long enough to look like prose</h4></a>" for k in range(5))
    return f"<div class='journey-unit'><h3>Most Popular</h3>{links}</div>"


def magazine() -> str:
    # "body__container article__body" parts with full-width ad slots and "most popular" units between them
    between = [
        "<div class='ad__slot ad__slot--mid-content full-bleed'><div class='ad-label'>Advertisement</div></div>" + _popular(n)
        for n in range(2)
    ]
    parts = [f"<div class='body__container article__body grid-layout__content'><div class='body__inner-container'>{_ps(c)}</div></div>"
             for c in _chunks()]  # fmt: skip
    body = parts[0] + between[0] + parts[1] + between[1] + parts[2]
    head = "<head><title>Harbour plan | Example Mag</title></head>"
    return f"<html lang='en'>{head}<body><main><article><h1>Harbour plan</h1>{body}</article></main></body></html>"


def companion_columns() -> str:
    # grid rows: a companion column of the story beside a rail, a video player and a newsletter form in rows between
    rail = "<div class='grid-col-4'><div class='rail'>" + _popular(9) + "</div></div>"
    rows = [f"<div class='grid-row'><div class='grid-col-8'><section class='StoryBodyCompanionColumn'><div class='css-53u6y8'>{_ps(c)}"
            f"</div></section></div>{rail}</div>" for c in _chunks()]  # fmt: skip
    video = "<div class='grid-row full-bleed'><div class='video-player'><p>Watch: the harbour at dawn</p><button>Play</button></div></div>"
    newsletter = ("<div class='grid-row'><div class='newsletter'><h3>The Morning</h3><p>Sign up to get the day's news in your inbox, every "
                  "weekday.</p><form><input type='email'><button>Sign up</button></form></div></div>")  # fmt: skip
    page = rows[0] + video + rows[1] + newsletter + rows[2]
    return (
        f"<html lang='en'><head><title>Harbour plan</title></head><body><div class='page'><h1>Harbour plan</h1>{page}</div></body></html>"
    )


def article_body_sections() -> str:
    # repeated itemprop="articleBody" sections, "story continues below advertisement" between them
    parts = [f"<div class='article-body' itemprop='articleBody'>{_ps(c)}</div>" for c in _chunks()]
    ad = "<div class='ad-container'><p>Story continues below advertisement</p></div>"
    body = parts[0] + ad + parts[1] + ad + parts[2]
    return f"<html lang='en'><head><title>Harbour plan</title></head><body><div itemscope><h1>Harbour plan</h1>{body}</div></body></html>"


@pytest.mark.parametrize("page", [magazine, companion_columns, article_body_sections])
def test_every_part_of_a_split_body_is_read_in_order_and_nothing_between(page) -> None:  # type: ignore[no-untyped-def]
    article = extract_article(Source("page.html", page().encode(), "html"))
    assert [p for p in article.paragraphs if p.startswith("Paragraph")] == STORY
    assert not [p for p in article.paragraphs if "popular" in p.lower() or "sign up" in p.lower() or "advertisement" in p.lower()]


def test_explain_shows_the_parts_read_together(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extraction = explain_extraction(Source("page.html", magazine().encode(), "html"))
    assert len(extraction.joined) == 2 and all("body__inner-container" in line for line in extraction.joined)
    page = tmp_path / "mag.html"
    page.write_text(magazine(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--explain", str(page)])
    assert "--- read together: the body is split into parts ---" in result.output and "of 3 (body__inner-container)" in result.output


def test_excerpts_of_other_posts_are_not_a_split_body() -> None:
    # a story followed by other posts' excerpts in containers of the same class: not parts of one story
    story = f"<div class='entry-content'>{_ps(STORY[:6])}</div>"
    others = "".join(
        f"<h2>Another post {n}</h2><p class='intro'>An introduction of some length to another post of this blog, which is a story "
        f"of its own, with words of its own that do not belong to the first.</p><div class='entry-content'>"
        f"<p>Post {n} excerpt: the library reopened after the floods, and its readers came back in their hundreds.</p></div>"
        for n in range(3)
    )
    body = f"<article><h1>Harbour plan</h1>{story}</article>{others}"
    page = f"<html lang='en'><head><title>Harbour plan</title></head><body>{body}</body></html>"
    article = extract_article(Source("page.html", page.encode(), "html"))
    assert not [p for p in article.paragraphs if "excerpt" in p]


def test_a_page_holding_more_of_the_story_than_is_read_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # story containers of different classes, far apart: the second and third are not read, and the user is told
    rail = (
        "<div class='rail'>"
        + "".join(f"<a href='/r{k}'><h4>Most popular story {k}, a headline long enough</h4></a>" for k in range(8))
        + "</div>"
    )
    body = (f"<article><h1>Harbour plan</h1><div class='article-body'>{_ps(STORY[:4])}</div></article>{rail}"
            f"<div class='x'><div class='story-body-continued'>{_ps(STORY[4:11])}</div></div>{rail}"
            f"<div class='y'><div class='entry-content more-text'>{_ps(STORY[11:])}</div></div>")  # fmt: skip
    page = tmp_path / "long.html"
    page.write_text(f"<html lang='en'><head><title>Harbour plan</title></head><body>{body}</body></html>", encoding="utf-8")
    extraction = explain_extraction(Source(str(page), page.read_bytes(), "html"))
    read = extraction.article.word_count
    assert read < 300 and len(extraction.warnings) == 1 and f"; {read:,} are read" in extraction.warnings[0]
    result = CliRunner().invoke(cli, ["convert", str(page), "--engine", "tone", "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0 and f"articleaudio: warning: {page}: the page's story containers hold" in result.output
    # a page read whole says nothing
    assert explain_extraction(Source("page.html", magazine().encode(), "html")).warnings == []
