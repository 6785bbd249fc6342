"""Pages copied as plain text: the story and nothing else, its headline, byline and date; authored texts read whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from articleaudio.cli import cli
from articleaudio.extract import explain_extraction
from articleaudio.extract.textblocks import text_blocks
from articleaudio.extract.textpage import parse_date, read_text_page
from articleaudio.models import Source

from .conftest import CLUTTER, ROOT, SAMPLE, SEED_PARAGRAPHS, decode_mp3

SEED = ROOT.parent / "shared" / "seeds" / "000_b34fa6a59ba2dcd6.txt"
FEATURE = Path(__file__).parent / "texts" / "local-feature.txt"
WORDS = re.compile(r"\w+")


def _extract(path: Path, kind: str = "text", include_tables: bool = False):  # type: ignore[no-untyped-def]
    return explain_extraction(Source(str(path), path.read_bytes(), kind), include_tables=include_tables)


def test_the_seed_page_gives_its_eleven_story_paragraphs_and_nothing_else() -> None:
    # The page this project started from, as a reader copies it: 775 words were read before, 302 are the story.
    result = _extract(SEED)
    paragraphs = result.article.paragraphs
    assert len(paragraphs) == 11
    for paragraph, start in zip(paragraphs, SEED_PARAGRAPHS, strict=True):
        assert " ".join(paragraph.split()).startswith(start), (paragraph, start)
    assert not any(c.casefold() in " ".join(paragraphs).casefold() for c in CLUTTER)
    # no headline is set apart: the first sentence, shortened, stands in (never the file name's digits)
    assert result.article.title.startswith("China's Foreign Minister Wang Yi told U.S. Secretary of State")
    reasons = {d.reason for d in result.dropped}
    assert {"appeal", "teaser", "news feed", "newsletter form", "caption", "audio label"} <= reasons


def test_a_local_papers_feature_copied_as_text() -> None:
    result = _extract(FEATURE)
    article = result.article
    assert article.title == "The last ferryman of Hollow Creek"
    assert article.description == "After forty years on the river, Tom Pell is handing over his oars"
    assert article.authors == ("Maria Ostrowski",)
    assert article.date == "2024-03-14"
    assert len(article.paragraphs) == 7
    assert article.paragraphs[0].startswith("Every morning at half past five")
    assert article.paragraphs[-1].startswith("The town plans a small gathering")
    read = " ".join(article.paragraphs)
    furniture = ["Skip to main content", "cookies", "Listen to this article", "4 min", "Facebook", "ferrying passengers", "RELATED"]
    furniture += ["Advertisement", "newsletter", "Most read", "Roadworks", "All rights reserved", "Privacy policy"]
    for line in furniture:
        assert line not in read, line
    reasons = {d.text: d.reason for d in result.dropped}
    assert reasons["Tom Pell ferrying passengers across Hollow Creek at dawn. (Photo: Daniel Reyes / Millbrook Courier)"] == "caption"
    assert reasons["Listen to this article"] == "audio label"
    assert reasons["RELATED: Council votes to keep the Hollow Creek footpath open"] == "related-story card"
    assert (
        reasons["We use cookies to improve your experience on our site. By continuing to browse, you agree to our us…"] == "cookie notice"
    )


def test_extract_explain_lists_what_a_text_page_left_out() -> None:
    result = CliRunner().invoke(cli, ["extract", "--explain", str(FEATURE)])
    assert result.exit_code == 0, result.output
    assert "Title: The last ferryman of Hollow Creek" in result.output
    left_out = result.output.split("--- left out ---")[1]
    assert "[newsletter form] Sign up for our newsletter" in left_out
    assert "[copyright] © 2024 The Millbrook Courier. All rights reserved." in left_out


@pytest.mark.parametrize("path", sorted((ROOT / "bench" / "texts").rglob("*.txt")), ids=lambda p: p.name)
def test_an_authored_text_keeps_every_word(path: Path) -> None:
    result = _extract(path)
    article = result.article
    heard = [article.title] + [x for s in article.sections for x in ([s.heading] if s.heading else []) + list(s.paragraphs)]
    assert WORDS.findall(" ".join(heard)) == WORDS.findall(path.read_text(encoding="utf-8"))
    assert result.dropped == []


def test_an_authored_text_with_its_byline_and_date_is_still_read_whole(tmp_path: Path) -> None:
    essay = tmp_path / "essay.txt"
    essay.write_text(
        "On keeping bees\n\nBy Jane Roe\n\nMarch 3, 2024\n\n"
        "The first hive arrived in a cardboard box. Nobody had told us how loud it would be.\n\n"
        "Yes.\n\nThat was the whole of my answer when the neighbours asked whether we knew what we were doing.\n",
        encoding="utf-8",
    )
    article = _extract(essay).article
    assert article.title == "On keeping bees"
    assert "Yes." in article.paragraphs and "By Jane Roe" in article.paragraphs


def test_text_wrapped_at_a_fixed_width_is_joined_into_paragraphs() -> None:
    # regression: a text-mode browser's dump (lines cut at 72 columns) was read line by line
    wrapped = (
        "The council met on Tuesday to discuss the new bridge over the river, which\n"
        "has been closed since the spring floods damaged two of its supports.\n"
        "Engineers said the repairs would take another six weeks.\n\nNext paragraph.\n"
    )
    blocks = [b.text for b in text_blocks(wrapped)]
    assert blocks[0] == (
        "The council met on Tuesday to discuss the new bridge over the river, which has been closed since the spring floods "
        "damaged two of its supports."
    )
    assert blocks[1:] == ["Engineers said the repairs would take another six weeks.", "Next paragraph."]
    # short lines are not joined: a menu stays a menu
    assert [b.text for b in text_blocks("Home\nnews\nsport\n")] == ["Home", "news", "sport"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("By JEFFREY ROE JAN. 13, 2017", "2017-01-13"),
        ("Sept. 25, 2018", "2018-09-25"),
        ("Thu 3 Jan 2019 02.00 EST", "2019-01-03"),
        ("Published 2020-05-06", "2020-05-06"),
        ("No date here", None),
    ],
)
def test_dates_written_out(text: str, date: str | None) -> None:
    assert parse_date(text) == date


def test_a_page_as_a_browser_copies_it(tmp_path: Path) -> None:
    """Our sample page rendered by Chromium and copied whole (innerText), as a reader would: the story only."""
    from playwright.sync_api import sync_playwright

    from .test_player import CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(java_script_enabled=False, offline=True).new_page()
        page.goto(SAMPLE.as_uri())
        text = page.evaluate("document.body.innerText")
        browser.close()
    copied = tmp_path / "copied.txt"
    copied.write_text(text, encoding="utf-8")
    result = _extract(copied)
    paragraphs = result.article.paragraphs
    assert len(paragraphs) == len(SEED_PARAGRAPHS)
    for paragraph, start in zip(paragraphs, SEED_PARAGRAPHS, strict=True):
        assert " ".join(paragraph.split()).startswith(start)
    assert not any(c.casefold() in " ".join(paragraphs).casefold() for c in CLUTTER)


def test_stdin_gets_the_same_treatment(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", "-"], input=FEATURE.read_bytes())
    assert result.exit_code == 0, result.output
    assert "Title: The last ferryman of Hollow Creek" in result.output
    assert "Most read" not in result.output and "Every morning at half past five" in result.output


def test_converting_the_seed_text_names_the_file_after_its_first_sentence(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["convert", "-q", "--engine", "tone", str(SEED), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (mp3,) = tmp_path.glob("*.mp3")
    assert mp3.name.startswith("chinas-foreign-minister-wang-yi-told")
    samples, rate = decode_mp3(mp3)
    assert len(samples) / rate > 20


MARKDOWN = """---
title: Our energy bills this winter
author: Jane Roe
---

# Our energy bills this winter

We moved into the old farmhouse in autumn, and the first winter bills have now arrived.

| Month | kWh | Cost |
|---|---|---|
| Jan | 41,000 | $520 |
| Feb | 38,500 | $490 |

The heat pump did better than we feared.
"""


def test_a_markdown_table_is_left_out_or_read_row_by_row(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(MARKDOWN, encoding="utf-8")
    result = _extract(post, "markdown")
    assert result.article.paragraphs == [
        "We moved into the old farmhouse in autumn, and the first winter bills have now arrived.",
        "The heat pump did better than we feared.",
    ]
    assert [d.reason for d in result.dropped] == ["table"]
    with_tables = _extract(post, "markdown", include_tables=True).article.paragraphs
    assert with_tables[1:4] == ["Month, kWh, Cost", "Jan, 41,000, $520", "Feb, 38,500, $490"]
    assert not any("---" in p or "|" in p for p in with_tables)


def test_a_markdown_heading_that_repeats_the_title_is_read_once(tmp_path: Path) -> None:
    # regression: the front matter's title was spoken in the introduction and the "# heading" again as the first sentence
    post = tmp_path / "post.md"
    post.write_text(MARKDOWN, encoding="utf-8")
    article = _extract(post, "markdown").article
    assert article.title == "Our energy bills this winter"
    assert all(s.heading != "Our energy bills this winter" for s in article.sections)
    assert "Our energy bills this winter" not in article.paragraphs


def test_markdown_copied_from_a_site_loses_its_debris(tmp_path: Path) -> None:
    post = tmp_path / "saved.md"
    post.write_text(
        "# A walk on the moor\n\nShare this article\n\nThe path climbs steeply from the village and then levels out across the heather.\n\n"
        "Advertisement\n\nBy noon the mist had lifted and the whole valley lay below us.\n\nSign up for our newsletter\n",
        encoding="utf-8",
    )
    result = _extract(post, "markdown")
    assert result.article.paragraphs == [
        "The path climbs steeply from the village and then levels out across the heather.",
        "By noon the mist had lifted and the whole valley lay below us.",
    ]
    assert {d.reason for d in result.dropped} >= {"advertisement", "newsletter form"}


def test_read_text_page_reports_an_authored_text_as_such() -> None:
    page = read_text_page("A short note.\n\nIt has two paragraphs and nothing else.\n")
    assert not page.page and page.paragraphs == ["A short note.", "It has two paragraphs and nothing else."]
