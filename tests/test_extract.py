"""Extraction: the sample page and its clutter, metadata, Markdown and plain text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from articleaudio.cli import cli
from articleaudio.errors import ExtractionError
from articleaudio.extract.html import explain_extraction, extract_article
from articleaudio.models import Source
from articleaudio.source.load import load_source

from .conftest import CLUTTER, ROOT, SAMPLE, SEED_PARAGRAPHS


def test_sample_page_yields_exactly_the_eleven_paragraphs_in_order() -> None:
    article = extract_article(load_source(str(SAMPLE)))
    paragraphs = article.paragraphs
    assert len(paragraphs) == 11
    for expected, got in zip(SEED_PARAGRAPHS, paragraphs, strict=True):
        assert got.startswith(expected), (expected, got)
    text = "\n".join(paragraphs)
    for clutter in CLUTTER:
        assert clutter.lower() not in text.lower(), clutter


def test_sample_page_metadata() -> None:
    article = extract_article(load_source(str(SAMPLE)))
    assert article.title == "Wang Yi tells Blinken China does not help Russia's war effort"
    assert article.authors == ("Martin Fornusek",)
    assert article.site_name == "The Kyiv Independent"
    assert article.date == "2024-07-27"
    assert article.language == "en"
    assert article.url and article.url.endswith("/wang-yi-tells-blinken-china-does-not-help-russias-war-effort/")
    assert article.image and article.image.endswith("xi-putin-moscow.jpg")
    assert article.description and "foreign minister" in article.description


def test_explain_names_what_was_dropped_and_why() -> None:
    result = explain_extraction(load_source(str(SAMPLE)))
    reasons = {d.reason for d in result.dropped}
    assert {"caption", "related-story card", "news feed", "newsletter form", "audio player", "membership appeal"} <= reasons
    caption = next(d for d in result.dropped if d.reason == "caption")
    assert caption.text.startswith("Photo for illustrative purposes")


def _html(body: str, head: str = "") -> Source:
    return Source("page.html", f"<html><head>{head}</head><body>{body}</body></html>".encode(), "html")


LONG = "The council met on Tuesday to discuss the budget for the coming year and agreed on most points. " * 2


def test_headings_become_sections() -> None:
    article = extract_article(
        _html(f"<article><h1>Budget</h1><p>{LONG}</p><h2>Schools</h2><p>{LONG}</p><h2>Roads</h2><p>{LONG}</p></article>")
    )
    headings = [s.heading for s in article.sections]
    assert "Schools" in headings and "Roads" in headings
    assert headings.index("Schools") < headings.index("Roads")


def test_page_without_article_text_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="no article text"):
        extract_article(_html("<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><form><input></form>"))


def test_class_name_containing_a_clutter_word_does_not_cost_the_article() -> None:
    article = extract_article(_html(f"<div class='post has-related-links'><p>{LONG}</p><p>{LONG}</p></div>"))
    assert len(article.paragraphs) >= 1


def test_footnote_markers_and_furniture_lines_are_removed() -> None:
    body = f"<article><p>{LONG.strip()}[1]</p><p>Advertisement</p><p>Read more: a story about something else</p><p>{LONG}</p></article>"
    article = extract_article(_html(body))
    text = " ".join(article.paragraphs)
    assert "[1]" not in text and "Advertisement" not in text and "Read more" not in text


def test_markdown_headings_become_sections_and_markup_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "# My notes\n\nIntro with *emphasis* and a [link](http://x.example).\n\n## Part one\n\nFirst part.\n\n"
        "```\ncode is skipped\n```\n\n## Part two\n\n- item one\n- item two\n",
        encoding="utf-8",
    )
    article = extract_article(load_source(str(path)))
    assert article.title == "My notes"
    assert [s.heading for s in article.sections] == [None, "Part one", "Part two"]
    assert article.sections[0].paragraphs == ("Intro with emphasis and a link.",)
    assert article.sections[2].paragraphs == ("item one", "item two")
    assert "code is skipped" not in " ".join(article.paragraphs)


def test_plain_text_title_and_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("A headline without a full stop\n\nFirst paragraph here.\n\nSecond paragraph here.\n", encoding="utf-8")
    article = extract_article(load_source(str(path)))
    assert article.title == "A headline without a full stop"
    assert article.paragraphs == ["First paragraph here.", "Second paragraph here."]


def test_cli_extract_prints_metadata_and_text() -> None:
    result = CliRunner().invoke(cli, ["extract", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "Title: Wang Yi tells Blinken" in result.output
    assert "Photo for illustrative purposes" not in result.output


def test_cli_extract_json_and_output_dir(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(SAMPLE), "--format", "json", "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "sample-article.json").read_text(encoding="utf-8"))
    assert data["title"].startswith("Wang Yi")
    assert sum(len(s["paragraphs"]) for s in data["sections"]) == 11


def test_cli_extract_explain_lists_dropped() -> None:
    result = CliRunner().invoke(cli, ["extract", "--explain", str(SAMPLE)])
    assert result.exit_code == 0
    assert "[caption] Photo for illustrative purposes" in result.output


def test_story_inside_a_modal_or_read_more_wrapper_is_kept() -> None:
    # regression: whole stories shown in a "modal" or wrapped in "read-more" were removed as clutter
    body = "".join(f"<p>{LONG} Paragraph {i} adds more detail about the council budget.</p>" for i in range(6))
    for wrapper in ("modal-story", "read-more-body"):
        article = extract_article(_html(f"<div class='{wrapper}'>{body}</div><nav>Home News</nav>"))
        assert len(article.paragraphs) >= 5, wrapper


def test_heading_slug_ids_are_not_clutter_names() -> None:
    # regression: id="sharing-with-a-single-developer" matched the "share bar" rule
    html = f"<article><h2 id='sharing-with-a-single-developer'>Sharing with one developer</h2><p>{LONG}</p><p>{LONG}</p></article>"
    article = extract_article(_html(html))
    assert any("council met" in p for p in article.paragraphs)


def test_a_class_word_after_no_says_the_element_lacks_it() -> None:
    # regression: a list item marked "no_caption" (its picture has no caption) was dropped as a caption
    items = "".join(f"<div class='list-item no_caption'><p>Item {n}: {LONG}</p><img src='{n}.jpg'></div>" for n in ("one", "two", "three"))
    html = f"<article>{items}<div class='caption'>Photo by Jane Roe for the Example Times</div></article>"
    result = explain_extraction(_html(html))
    text = " ".join(result.article.paragraphs)
    assert all(f"Item {n}:" in text for n in ("one", "two", "three"))
    assert "Jane Roe" not in text
    assert [d.reason for d in result.dropped if d.reason == "caption"] == ["caption"]


def test_reference_sections_and_citation_lines_are_not_read() -> None:
    html = (
        f"<article><h1>Story</h1><p>{LONG}</p><h2>Background</h2><p>{LONG}</p><h2>References</h2>"
        "<ol><li>^ Smith, J. (2020). A paper. Retrieved 2021.</li></ol><p>^ Jones (2019). Another.</p></article>"
    )
    article = extract_article(_html(html))
    headings = [s.heading for s in article.sections]
    assert "References" not in headings
    assert not any(p.startswith("^") for p in article.paragraphs)


def test_an_undeclared_language_is_told_from_the_text() -> None:
    spanish = "".join(
        f"<p>Murieron cinco personas el martes en un accidente en la carretera de la costa, informaron las autoridades {i}.</p>"
        for i in range(4)
    )
    assert extract_article(_html(f"<article>{spanish}</article>")).language == "es"
    assert extract_article(_html(f"<article><p>{LONG}</p><p>{LONG}</p></article>")).language == "en"
    # a declared language stands; a text too short to tell gets none
    declared = Source("page.html", f"<html lang='fr'><body><article><p>{LONG}</p><p>{LONG}</p></article></body></html>".encode(), "html")
    assert extract_article(declared).language == "fr"
    assert extract_article(Source("note.txt", b"Nos vemos pronto.", "text")).language is None
    text = "Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beraten und den meisten Punkten zugestimmt. " * 2
    assert extract_article(Source("notiz.txt", text.encode(), "text")).language == "de"


def test_a_notice_with_its_own_close_control_is_not_read() -> None:
    notice = (
        "<div class='coo_box'><strong>Browser update</strong> <span>Log in without a code and browse five times faster</span>"
        " <a href='/setup.exe'>Update now</a> <em action-type='close'>×</em></div>"
    )
    app = "<div class='strip'><p>Read this story in our app, it is faster.</p><button aria-label='Dismiss'>Not now</button></div>"
    story = (
        f"<article><p>{LONG}</p><p>The result was 3 <span>×</span> 4 = 12, the clerk said, and everyone agreed.</p>"
        f"<p>The company, now called <a href='https://x.com'>X</a>, did not reply.</p><p>{LONG} End.</p></article>"
    )
    result = explain_extraction(_html(f"{notice}{app}{story}"))
    text = " ".join(result.article.paragraphs)
    assert "Browser update" not in text and "Update now" not in text and "in our app" not in text
    assert "3 × 4 = 12" in text and "now called X, did not reply" in text
    assert sum(d.reason == "banner" for d in result.dropped) == 2


def test_a_link_to_another_story_set_between_paragraphs_is_not_read() -> None:
    link = "<p class='interstitial-link'><i>[<a href='/other'>Bardo museum houses amazing Roman treasures</a>]</i></p>"
    result = explain_extraction(_html(f"<article><p>{LONG}</p>{link}<p>{LONG} End.</p></article>"))
    assert not any("Bardo" in p for p in result.article.paragraphs)
    assert any(d.reason == "promotion" and "Bardo" in d.text for d in result.dropped)


def test_a_wikis_see_also_and_external_links_sections_are_not_read() -> None:
    # regression: the headings read "See also[edit]" and "External links[edit]" when they were checked,
    # so their link lists were read under the section before
    edit = "<span class='mw-editsection'><span>[</span><a href='/edit'>edit</a><span>]</span></span>"
    links = "<ul><li><a href='/a'>Unitary matrix</a></li><li><a href='/b'>Hermitian form</a></li></ul>"
    html = (
        f"<article><h1>Matrix</h1><p>{LONG}</p><h2>Properties{edit}</h2><p>{LONG} More.</p>"
        f"<h2>See also{edit}</h2>{links}<h2>External links{edit}</h2>"
        '<ul><li>Hazewinkel, Michiel, ed. (2001), "Hermitian matrix", Encyclopedia of Mathematics</li></ul></article>'
    )
    article = extract_article(_html(html))
    assert [s.heading for s in article.sections] == [None, "Properties"]
    assert not any("Unitary" in p or "Hazewinkel" in p for p in article.paragraphs)


def test_a_headings_permalink_mark_is_not_part_of_its_chapter_title() -> None:
    html = (
        f"<article><p>{LONG}</p><h2>Setting up<a class='headerlink' href='#setting-up'>¶</a></h2><p>{LONG}</p>"
        f"<h2>Necessary API differences <a href='#api'>#</a></h2><p>{LONG} Two.</p><h2>Learning C#</h2><p>{LONG} Three.</p></article>"
    )
    headings = [s.heading for s in extract_article(_html(html, "<title>A guide</title>")).sections]
    assert headings == [None, "Setting up", "Necessary API differences", "Learning C#"]


def test_title_confirmed_by_the_document_title() -> None:
    head = (
        "<title>Budget approved after long night - The Example Times</title>"
        "<meta property='og:title' content='Budget approved after long night'>"
    )
    article = extract_article(_html(f"<h1>Local news</h1><article><p>{LONG}</p></article>", head))
    assert article.title == "Budget approved after long night"


def test_text_laid_out_with_br_only() -> None:
    line = "The council met on Tuesday to discuss the budget for the coming year and agreed on most points."
    article = extract_article(_html("<br>".join([line] * 12)))
    assert len(article.paragraphs) == 12


def test_deeply_nested_markup() -> None:
    article = extract_article(_html("<div>" * 3000 + f"<p>{LONG}</p><p>{LONG} Again.</p>" + "</div>" * 3000))
    assert article.word_count > 30


def test_amp_page() -> None:
    head = ('<meta charset="utf-8"><title>Amp story</title><link rel="canonical" href="https://news.example/amp-story">'
            '<style amp-boilerplate>body{visibility:hidden}</style>')  # fmt: skip
    page = f'<!doctype html><html amp lang="en"><head>{head}</head><body><article><h1>Amp story</h1><p>{LONG}</p>' \
           f'<amp-img src="a.jpg" width="1" height="1"></amp-img><p>{LONG} More.</p></article></body></html>'  # fmt: skip
    article = extract_article(Source("amp.html", page.encode(), "html"))
    assert article.title == "Amp story" and article.url == "https://news.example/amp-story" and article.word_count > 30


def test_windows_1251_page_is_read_in_cyrillic() -> None:
    text = "Городской совет во вторник обсудил бюджет на следующий год и согласовал большинство пунктов. " * 3
    page = f'<html><head><meta charset="windows-1251"></head><body><article><p>{text}</p><p>{text}</p></article></body></html>'
    article = extract_article(Source("ru.html", page.encode("windows-1251"), "html"))
    assert "Городской совет" in article.paragraphs[0]


@pytest.mark.slow
def test_ten_megabyte_page() -> None:
    words = ["council", "budget", "year", "school", "road", "hospital", "tram", "bridge"]
    words += ["harbour", "flood", "plan", "vote", "member", "city", "river", "market"]
    paragraphs = "".join(f"<p>{' '.join(words[(i * 7 + j) % len(words)] for j in range(60))} item {i}.</p>" for i in range(24000))
    data = f"<html><body><article>{paragraphs}</article></body></html>".encode()
    assert len(data) > 9_500_000
    article = extract_article(Source("big.html", data, "html"))
    assert len(article.paragraphs) > 20000


def test_links_with_widget_classes_inside_a_sentence_are_read() -> None:
    # regression: <a class="popup"> inside a paragraph was removed as a dialog, cutting the sentence
    html = (
        f"<article><p>{LONG}</p><p>The clerk said <a class='popup' href='#n'>that he would prefer not to</a> "
        f"and went back to his desk by the window.</p><p>{LONG}</p></article>"
    )
    text = " ".join(extract_article(_html(html)).paragraphs)
    assert "that he would prefer not to and went back" in text


def test_page_behind_an_open_overlay_is_still_read() -> None:
    # Sites set aria-hidden on everything behind an open overlay; the story there is still the story.
    body = "".join(f"<p>{LONG} Paragraph {i} adds more detail about the council budget.</p>" for i in range(6))
    article = extract_article(_html(f"<div aria-hidden='true'><article>{body}</article></div>"))
    assert len(article.paragraphs) >= 5
    hidden = extract_article(_html(f"<article>{body}</article><div hidden><p>{LONG} A hidden promotion text.</p></div>"))
    assert not any("hidden promotion" in p for p in hidden.paragraphs)


def test_words_in_neighbouring_blocks_are_not_glued_together() -> None:
    # regression: a list item's heading and its text were joined into one word ("WebIDEDevelop")
    items = "".join(f"<li><h3>Tool{i}</h3><p>Develop and debug your apps across many browsers, number {i}.</p></li>" for i in range(4))
    article = extract_article(_html(f"<article><p>{LONG}</p><ul>{items}</ul><p>{LONG}</p></article>"))
    text = " ".join(article.paragraphs)
    assert "Tool1Develop" not in text
    assert "Tool1 Develop" in text


def test_plainly_english_text_is_settled_without_the_language_model() -> None:
    # issue 16: loading py3langid costs half a second and 100 MB for a text that is plainly English
    from articleaudio.extract import language

    language._identifier.cache_clear()
    english = (ROOT / "bench" / "texts" / "news-1000.txt").read_text(encoding="utf-8")
    assert language.detect_language(english) == "en"
    assert language._identifier.cache_info().currsize == 0  # the model was never loaded
    # text in another language, or English words among many accented letters, still goes to the model
    assert language.detect_language("Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beraten. " * 3) == "de"
    assert language._identifier.cache_info().currsize == 1
