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

from .conftest import CLUTTER, SAMPLE, SEED_PARAGRAPHS, line_events


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


def test_title_order_declared_then_document_title() -> None:
    body = f"<article><p>{LONG}</p></article>"
    # a JSON-LD headline that is a page type, not the headline, is passed over for Open Graph
    head = (
        "<title>Budget approved after long night - The Example Times</title>"
        '<script type=\'application/ld+json\'>{"@type": "Article", "headline": "Council list article"}</script>'
        "<meta property='og:title' content='Budget approved after a long night'>"
    )
    assert extract_article(_html(body, head)).title == "Budget approved after a long night"
    # without declared titles: the <title>'s headline part, or the whole when that part is short
    assert extract_article(_html(body, "<title>Budget approved after long night | Example Times</title>")).title == (
        "Budget approved after long night"
    )
    assert extract_article(_html(body, "<title>Mozilla - Wikipedia</title>")).title == "Mozilla - Wikipedia"


def test_spoken_title_leaves_out_the_site_name() -> None:
    from articleaudio.speech.script import intro_lines, outro_lines

    head = "<title>Budget approved - Example Times</title><meta property='og:site_name' content='Example Times'>"
    article = extract_article(_html(f"<article><p>{LONG}</p></article>", head))
    assert article.title == "Budget approved - Example Times"  # the tag keeps what the page declares
    assert intro_lines(article)[0] == "Budget approved."
    assert outro_lines(article) == ["You have been listening to Budget approved from Example Times."]


def test_spoken_site_name_leaves_out_a_tagline() -> None:
    from articleaudio.speech.script import intro_lines, outro_lines

    head = "<title>Budget approved</title><meta property='og:site_name' content='Example Times - Latest News &amp; Headlines'>"
    article = extract_article(_html(f"<article><p>{LONG}</p></article>", head))
    assert article.site_name == "Example Times - Latest News & Headlines"  # the tags keep what the page declares
    assert "Published by Example Times." in intro_lines(article)
    assert outro_lines(article) == ["You have been listening to Budget approved from Example Times."]


def test_the_narrators_own_words_follow_the_articles_language() -> None:
    from articleaudio.models import Article, Section
    from articleaudio.speech.script import intro_lines, outro_lines

    story = (Section(None, ("Murieron 5 personas.",)),)
    spanish = Article(title="Terremoto", sections=story, authors=("Ana Ruiz", "Juan Pérez"), site_name="El Diario", language="es-MX")
    assert intro_lines(spanish) == [
        "Terremoto.",
        "Por Ana Ruiz y Juan Pérez.",
        "Publicado por El Diario.",
        "Esta narración usa una voz sintética.",
    ]
    assert outro_lines(spanish) == ["Ha escuchado Terremoto de El Diario."]
    # Japanese and Chinese have words of their own (their voices spell English out letter by letter)
    japanese = Article(title="地震", sections=story, site_name="Example", language="ja")
    assert intro_lines(japanese)[-1] == "このナレーションは合成音声を使用しています。"
    chinese = Article(title="地震", sections=story, site_name="Example", language="zh-TW")
    assert intro_lines(chinese)[-2:] == ["发布于 Example.", "本朗读使用合成语音。"]
    # a language without words of its own gets the English ones
    korean = Article(title="지진", sections=story, site_name="Example", language="ko")
    assert intro_lines(korean)[-2:] == ["Published by Example.", "This narration uses a synthetic voice."]


def test_explain_lists_tables_and_code_left_out() -> None:
    table = "<table><tr><th>Year</th><th>Budget</th></tr><tr><td>2023</td><td>4.1 million</td></tr></table>"
    code = "<pre><code>SELECT sum(budget) FROM council WHERE year = 2023;</code></pre>"
    html = f"<article><p>{LONG}</p>{table}<p>{LONG}</p>{code}<p>{LONG}</p></article>"
    result = explain_extraction(_html(html))
    reasons = {d.reason: d.text for d in result.dropped}
    assert "Year Budget 2023" in reasons.get("table", "")
    assert "SELECT sum(budget)" in reasons.get("code", "")
    assert not any("SELECT" in p or "4.1 million" in p for p in result.article.paragraphs)
    with_tables = extract_article(_html(html), include_tables=True)
    assert any("4.1 million" in p for p in with_tables.paragraphs)


def test_a_data_table_indented_in_a_blockquote_is_a_table() -> None:
    # regression: the extractor read the quotation's text whole, so the table was read as a run of numbers
    rows = "".join(f"<tr><td>Company {n}</td><td>{8417 - n * 900}</td><td>{38 - n}.0%</td></tr>" for n in range(4))
    table = f"<blockquote><table><tr><th colspan='3'>Companies by changesets</th></tr>{rows}</table></blockquote>"
    page = _html(f"<article><p>{LONG}</p><p>The top companies are:</p>{table}<p>{LONG} End.</p></article>")
    assert not any("8417" in p for p in extract_article(page).paragraphs)
    assert "Company 0, 8417, 38.0%" in extract_article(page, include_tables=True).paragraphs


def test_a_highlighted_listing_in_a_pre_is_code_but_verse_in_a_pre_is_read() -> None:
    # regression: a <pre> whose text began "addEventListener" (no <code> inside) became a block quote and was read
    listing = (
        "<div class='wp_syntax'><table><tr><td class='code'><pre class='javascript'>addEventListener<span>(</span>"
        "'fetch', <span>function</span>(event) { event.respondWith(new Response('Hello')); });</pre></td></tr></table></div>"
    )
    bare = "<pre>fetch(url).then(function (res) { if (res.ok) { return res.json(); } });</pre>"
    verse = "<pre>The council sat till late at night,\nand argued long about the light.</pre>"
    page = _html(f"<article><p>{LONG}</p>{listing}<p>{LONG} Next.</p>{bare}{verse}<p>{LONG} End.</p></article>")
    result = explain_extraction(page)
    text = " ".join(result.article.paragraphs)
    assert "addEventListener" not in text and "respondWith" not in text and "res.json" not in text
    assert "argued long about the light" in text
    assert any(d.reason == "code" and "res.json" in d.text for d in result.dropped)
    # the listing's one-cell table is a table; read with tables, its code is still not read
    assert not any("respondWith" in p for p in extract_article(page, include_tables=True).paragraphs)
    # while a word of code in a data table's cell is read with the table
    table = (
        "<table><tr><th>Status</th><th>Next</th></tr><tr><td><code>enqueued</code></td><td>the <code>started</code> state</td></tr></table>"
    )
    with_tables = extract_article(_html(f"<article><p>{LONG}</p>{table}<p>{LONG} End.</p></article>"), include_tables=True)
    assert "enqueued, the started state" in with_tables.paragraphs


def test_prose_laid_out_in_a_table_is_read_but_a_data_table_is_not() -> None:
    layout = (
        "<table width='100%'><tr><td><a href='/'>Home</a></td>"
        f"<td><p>{LONG}</p><p>The clerk copied the minutes by hand and sent them to every member that week.</p>"
        f"<p>{LONG}</p></td></tr></table>"
    )
    article = extract_article(_html(layout))
    assert any("clerk copied the minutes" in p for p in article.paragraphs)
    data = "<table><tr><th>Year</th><th>Budget</th></tr><tr><td>2023</td><td>4.1 million</td></tr></table>"
    article = extract_article(_html(f"<article><p>{LONG}</p>{data}<p>{LONG}</p></article>"))
    assert not any("4.1 million" in p for p in article.paragraphs)
    # a grid written in a document editor (every cell a <p>, the header row in bold) is data too
    rows = [("<b>Status</b>", "<b>Next</b>", "<b>Action</b>"), ("new", "new", "Pick up tasks that are ready."),
            ("enqueued", "started", "Enqueue the task again."), ("claimed", "started", "Enqueue it once more.")]  # fmt: skip
    grid = "<table>" + "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>" for row in rows) + "</table>"
    page = _html(f"<article><p>{LONG}</p>{grid}<p>{LONG} The end.</p></article>")
    assert not any("enqueued" in p or p == "started" for p in extract_article(page).paragraphs)
    assert "enqueued, started, Enqueue the task again." in extract_article(page, include_tables=True).paragraphs


def test_site_name_recognised_by_its_web_address() -> None:
    from articleaudio.extract.metadata import without_site_name

    assert without_site_name("Budget approved - Example", None, "https://news.example.co.uk/a") == "Budget approved"
    assert without_site_name("Example | Budget approved", None, "https://www.example.org/a") == "Budget approved"
    assert without_site_name("Budget approved - Council", None, "https://example.org/a") == "Budget approved - Council"
    # the author's name goes too, with the site's, since both are spoken on lines of their own
    assert without_site_name("Budget approved - Jane Roe - Medium", "Medium", None, ("Jane Roe",)) == "Budget approved"
    assert without_site_name("'Why?': whales strand | Jane Roe", "The Example", None, ("Jane Roe",)) == "'Why?': whales strand"
    assert without_site_name("Medium", "Medium", None) == "Medium"


def test_blocks_the_generous_pass_finds_inside_the_story_are_read_but_not_those_around_it() -> None:
    from articleaudio.extract.passes import fill_gaps as _fill_gaps
    from articleaudio.models import Section

    story = ["The council voted on Tuesday to rebuild the bridge.", "Work starts in March and ends in 2027."]
    precise = [Section(None, (story[0],)), Section("Costs", (story[1],))]
    generous = [
        Section(None, ("Subscribe to our morning briefing.", story[0], "Three reasons the vote matters:", "Safety")),
        Section("Costs", (story[1], "More from the city desk")),
    ]
    filled = _fill_gaps(precise, generous)
    assert [s.heading for s in filled] == [None, "Costs"]
    assert filled[0].paragraphs == (story[0], "Three reasons the vote matters:", "Safety")
    assert filled[1].paragraphs == (story[1],)
    # When the generous pass lacks much of what the precise pass kept, it is not trusted.
    assert _fill_gaps(precise, [Section(None, (story[1], "More from the city desk"))]) == precise


def test_rows_of_teaser_cards_are_not_read_but_linked_section_headings_are() -> None:
    story = "".join(f"<p>{LONG} Paragraph {i} on the harbour works.</p>" for i in range(5))
    cards = "".join(
        f"<div class='block'><h4><span>Opinion</span> <a href='/opinion/{i}'>Columnist number {i} on the week</a></h4>"
        f"<p>THE week began with a row over parking and ended with column {i} about it.</p></div>"
        for i in range(3)
    )
    extraction = explain_extraction(_html(f"<article><h1>Harbour works</h1>{story}</article><div class='group'>{cards}</div>"))
    text = " ".join(extraction.article.paragraphs)
    assert "Paragraph 4 on the harbour works" in text
    assert "Columnist number" not in text and "ended with column" not in text
    assert sum(d.reason == "related-story card" and "Columnist number" in d.text for d in extraction.dropped) == 3
    # A listicle whose section headings link to what they review is a story, not a row of cards.
    sections = "".join(
        f"<section><h3><a href='/product/{i}'>Kettle {i}</a></h3><p>{LONG} {LONG} Kettle {i} boils fast.</p></section>" for i in range(3)
    )
    listicle = extract_article(_html(f"<article>{sections}</article>"))
    assert "Kettle 2 boils fast" in " ".join(listicle.paragraphs)


def test_json_ld_wrapped_in_cdata_and_meta_names_in_any_case_are_read() -> None:
    body = f"<article><h1>Harbour works</h1><p>{LONG}</p></article>"
    ld = '<script type="application/ld+json">\n<![CDATA[\n{"@type": "NewsArticle", "headline": "Harbour works begin"}\n]]>\n</script>'
    og = "<meta property='og:title' content='Harbour works begin - The Example Times'>"
    head = f"<title>Harbour works begin - The Example Times</title>{ld}{og}"
    assert extract_article(_html(body, head)).title == "Harbour works begin"
    head = "<title>draft-roe-harbour-02 - Harbour works</title><meta name='DC.Title' content='Harbour works'>"
    assert extract_article(_html(body, head)).title == "Harbour works"


def test_a_declared_title_that_is_the_site_tagline_gives_way_to_the_headline() -> None:
    body = f"<article><h1>Russia: Space ship breaks up over Siberia</h1><p>{LONG}</p></article>"
    tagline = "<meta property='og:title' content='Example News - Latest News &amp; Headlines'>"
    head = f"<title>Russia: Space ship breaks up over Siberia</title>{tagline}"
    assert extract_article(_html(body, head)).title == "Russia: Space ship breaks up over Siberia"
    # a declared title that the <title> bears out stands
    head = "<title>Space ship breaks up - Example News</title><meta property='og:title' content='Space ship breaks up over Siberia'>"
    assert extract_article(_html(body, head)).title == "Space ship breaks up over Siberia"


def test_meta_properties_may_hold_several_names_and_dublin_core_creators_are_people() -> None:
    body = f"<article><h1>Harbour works</h1><p>{LONG}</p></article>"
    head = (
        "<title>Untitled</title><meta property='x:title dc:title' content='Harbour works begin'>"
        "<meta name='author' content='Site Admin'>"
        "<meta name='DC.Creator' content='Roe, Jane'><meta name='DC.Creator' content='Doe, J. R.'>"
        "<meta name='DC.Creator' content='Mary Major, Richard Miles'>"
        "<meta property='og:description' content=''><meta name='description' content='The council met.'>"
        "<meta itemprop='x' name='datePublished' content='2024-05-06T10:00:00Z'>"
    )
    article = extract_article(_html(body, head))
    assert article.title == "Harbour works begin"
    assert article.authors == ("Jane Roe", "J. R. Doe", "Mary Major", "Richard Miles")
    assert article.description == "The council met."
    assert article.date == "2024-05-06"


def test_a_copyright_year_is_not_a_publication_date() -> None:
    body = f"<article><h1>Harbour works</h1><p>{LONG}</p></article><footer>© 2019 Example News</footer>"
    assert extract_article(_html(body)).date is None
    # a date the page declares stands, whatever the day
    assert extract_article(_html(body, "<meta property='article:published_time' content='2019-01-01T08:00:00Z'>")).date == "2019-01-01"


def test_a_guessed_author_counts_only_where_the_page_shows_it() -> None:
    from articleaudio.extract.byline import shown_authors as _shown_authors

    page = "Menu Sign in By Jane Roe May 18, 2017 The council met on Tuesday."
    assert _shown_authors(("Jane Roe May",), page) == ("Jane Roe",)
    assert _shown_authors(("Theresa May",), "By Theresa May. The council met.") == ("Theresa May",)
    assert _shown_authors(("John Doe",), page) == ()
    assert _shown_authors(("Last Updated January 7",), "Last Updated January 7, 2025") == ()
    # a name in a hidden menu is not shown to the reader
    body = f"<nav><span class='username'>Username</span></nav><article><p>{LONG}</p></article>"
    from bs4 import BeautifulSoup

    from articleaudio.extract.byline import visible_text as _visible_text

    assert "Username" not in _visible_text(BeautifulSoup(body, "lxml"))
    assert "council met" in _visible_text(BeautifulSoup(body, "lxml"))


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Photos by Jane Roe (Shutterstock), John Doe", "credit"),
        ("Photo by Ricardo Angel", "credit"),
        ("Image courtesy of the city archive", "credit"),
        ("Photo: Jane Roe/Example Agency", "credit"),
        ("Photos by amateur astronomers show the comet's tail. They were taken in May.", None),
        ("Photos by amateur astronomers show the comet's tail", None),
        ("The photographs were taken by a drone flying over the harbour.", None),
        ("(Reporting by Jane Roe in Cairo; Editing by John Doe)", "credit"),
        ("Reporting by the Guardian revealed that the minister lied.", None),
        ("Tags: politics, economy, budget", "tag list"),
        ("Topics discussed included the budget.", None),
        ("Wednesday, March 25, 2015 at 3:46 p.m. EDT", "dateline"),
        ("2/26/2015 7:11 AM PST BY TMZ STAFF", "dateline"),
        ("May 5 was the day it happened.", None),
        ("24 July 2015", "dateline"),
        ("24 July 2015 was a hot day in the city.", None),
        ("From the section US & Canada", "navigation"),
        ("Home > World > Europe > Harbour works begin", "navigation"),
        ("___", "no words"),
        ("—", "no words"),
        ("Tech › News › Story", "navigation"),
        ("If a > b and b > c, then a > c.", None),
        ("CNNMoney (New York) First published February 1, 2016: 1:28 AM ET", "updated line"),
        ("The study was published on May 5 in Nature.", None),
        ("The train left at 7:30 and was updated at 8:15 pm.", None),
        ("Gift this article", "share bar"),
        ("Follow us on Twitter", "share bar"),
        ("Follow the money, she said.", None),
        ("Copyright 2024 Example News. All rights reserved.", "copyright"),
        ("941 comments", "comments"),
        ("This website and all documents on it are licensed under a Creative Commons Attribution 3.0 License .", "copyright"),
        ("Its source code is licensed under the Mozilla Public License.", None),
        ("Comments from readers poured in.", None),
        ("The rocket stands on its pad in Baikonur. (Jane Roe/ Example Agency photo via AP)", "caption"),
        ("Fans wait outside the arena. (AP Photo/John Doe)", "caption"),
        ("He took the photo (with a borrowed camera).", None),
        ("She bought a camera (a Leica, by the way)", None),
        ("Reviewed by Hansa D. Bhargava, MD", "byline"),
        ("Medically reviewed by Jane Roe, PhD", "byline"),
        ("Reviewed by the board in May, the plan was approved.", None),
        ("Por", "byline"),
        ("By and large, the plan worked.", None),
        ("By John Gruber", "byline"),
        ("Por Steven Lee Myers, Keith Bradsher y Tariq Panja", "byline"),
        ("By Monday, Tuesday and Friday", None),
        ("By land and sea", None),
        ("(All photos: Atlas staff)", "credit"),
        ("08.04.2015 12:46", "dateline"),
        ("08.04.2015 war ein Mittwoch.", None),
        ("— West Ham United (@WestHam) October 31, 2021", "credit"),
        ("Posted by Andrew Hayden, Software Engineer on Google Play", "byline"),
        ("Posted by readers, the photos went viral.", None),
        ("All photos were taken in May.", None),
        ("Tuesday 15 October 2019 by Bradley M. Kuhn", "dateline"),
        ("Coordinates: 42°S 174°E\ufeff / \ufeff42°S 174°E", "coordinates"),
        ("Coordinates: the ship's position was never logged.", None),
        ("Related: Rich are paying more in taxes", "related-story card"),
        ("Related to each other: for example, a caching server and a web server", None),
        ("More games news:", "related-story card"),
        ("More world coverage", "related-story card"),
        ("More news", "related-story card"),
        ("More news is expected from the council on Friday.", None),
    ],
)
def test_furniture_lines(line: str, reason: str | None) -> None:
    from articleaudio.extract.furniture import line_reason

    assert line_reason(line) == reason


@pytest.mark.parametrize(
    ("name", "generated"),
    [
        *[("NavzzU", True), ("JWA6Pb", True), ("css-z6dj7x", True), ("sc-bdVaJa", True), ("e1wiw3jv0", True)],
        *[("navBar", False), ("mainContent", False), ("story-body-2", False), ("col-md-6", False), ("author", False)],
    ],
)
def test_names_made_up_by_build_tools(name: str, generated: bool) -> None:
    from articleaudio.extract.prepare import generated_name

    assert generated_name(name) is generated


@pytest.mark.parametrize(
    ("name", "misleading"),
    [
        *[("no_caption", True), ("has-no-sidebar", True), ("without-comments", True), ("NavzzU", True)],
        *[("caption", False), ("nonprofit", False), ("notice", False), ("story-body", False)],
    ],
)
def test_names_that_mislead_a_word_matching_extractor(name: str, misleading: bool) -> None:
    from articleaudio.extract.prepare import misleading_name

    assert misleading_name(name) is misleading


def test_a_list_storys_opening_sentence_set_as_a_heading_is_read_as_a_paragraph() -> None:
    # regression: the story's first sentence sat in an <h2> inside <div class="item no_caption">; the
    # extractor read "caption" in the class and dropped it
    lede = "The mother of a woman who took pills bought online has described how her daughter was burning up from within."
    items = "".join(f"<div class='item'><p>{LONG} Item {i}.</p></div>" for i in range(5))
    first = f"<div class='item no_caption'><h2>{lede}</h2><img src='a.jpg'></div>"
    page = f"<article><h1>Pills</h1>{first}{items}<h2>Inquest</h2><p>{LONG}</p></article>"
    article = extract_article(_html(page, "<title>Pills</title>"))
    assert article.paragraphs[0] == lede
    assert [s.heading for s in article.sections if s.heading] == ["Inquest"]


def test_a_paragraph_whose_made_up_id_contains_a_clutter_word_is_read() -> None:
    # regression: trafilatura read "nav" inside id="NavzzU" and dropped a paragraph of a film list
    paragraphs = [f"<p id='p{i}Xq7'>{LONG} Paragraph {i} of the review list.</p>" for i in range(6)]
    paragraphs.insert(3, "<p id='NavzzU'>Winner of the top prize, The Square is a needling comedy about the art world and its money.</p>")
    text = " ".join(extract_article(_html(f"<article>{''.join(paragraphs)}</article>")).paragraphs)
    assert "needling comedy" in text


def test_text_written_straight_into_a_container_between_headings_is_read() -> None:
    # regression: a blog post's prose sat in the post's <div> after an <h2>, split by <br><br>;
    # trafilatura kept the headings and list and dropped the prose
    prose = [f"{LONG} Step {i} of the set-up is described here in full." for i in range(4)]
    body = (
        f"<div class='post-body'><h2>Getting started</h2>{prose[0]}<br><br>{prose[1]}<br>"
        f"<ul><li>one item of the list</li><li>another item</li></ul>{prose[2]}<br><br><h2>Next</h2>{prose[3]}</div>"
    )
    article = extract_article(_html(body))
    text = " ".join(article.paragraphs)
    assert all(f"Step {i} of the set-up" in text for i in range(4))
    assert any(p.startswith("The council met") and "Step 1" in p and "Step 0" not in p for p in article.paragraphs)


def test_a_heading_that_repeats_the_headline_is_not_read_twice() -> None:
    # regression: the <h1> came through as the first section's heading, so the title was read
    # in the introduction and again at the start of the body
    head = '<meta property="og:title" content="Facebook Is Tracking Me Even Though I\'m Not on Facebook">'
    body = (
        "<article><h1>Facebook Is Tracking Me Even Though I’m Not on Facebook</h1>"
        f"<p>{LONG}</p><h2>Information from other users</h2><p>{LONG}</p>"
        f"<h2>Babies Who Eat Peanuts Early May Avoid Allergy</h2><p>{LONG}</p></article>"
    )
    article = extract_article(_html(body, head))
    assert [s.heading for s in article.sections] == [None, "Information from other users", "Babies Who Eat Peanuts Early May Avoid Allergy"]
    from articleaudio.extract.furniture import repeats_headline

    assert repeats_headline("Babies Who Eat Peanuts Early May Avoid Allergy Reviewed by Jane Roe, MD", "Babies Who Eat Peanuts Early")
    assert not repeats_headline("Budget", "Budget approved after a long night")


def test_a_degree_after_a_comma_stays_with_the_name() -> None:
    from articleaudio.extract.byline import split_authors

    assert split_authors("By Brenda Goodman, MA") == ("Brenda Goodman, MA",)
    assert split_authors("Brenda Goodman; MA") == ("Brenda Goodman, MA",)
    assert split_authors("Martin Luther King, Jr.") == ("Martin Luther King, Jr.",)
    assert split_authors("Jane Roe, John Doe and Mary Major") == ("Jane Roe", "John Doe", "Mary Major")


def test_an_editor_or_reviewer_is_not_an_author() -> None:
    from articleaudio.extract.byline import split_authors

    assert split_authors("Written by Jane Roe Edited by John Doe") == ("Jane Roe",)
    assert split_authors("By Jane Roe; Medically reviewed by John Doe, MD") == ("Jane Roe",)
    assert split_authors("By: Jane Roe and Byron Low") == ("Jane Roe", "Byron Low")
    # an author card's buttons are not part of the name
    assert split_authors("Patrick Allan Profile Follow Unfollow") == ("Patrick Allan",)
    assert split_authors("Profile Follow") == ()
    assert split_authors("Mark Follows") == ("Mark Follows",)
    assert split_authors("von Neumann") == ("von Neumann",)


def test_the_byline_element_gives_the_names_as_printed() -> None:
    from bs4 import BeautifulSoup

    from articleaudio.extract.byline import byline_names

    # no declared author: the byline element names them, with the initial's full stop kept
    body = f"<article><h1>Harbour works</h1><p class='pb-byline'>By Nelson D. Schwartz and Jane Roe</p><p>{LONG}</p></article>"
    assert extract_article(_html(body)).authors == ("Nelson D. Schwartz", "Jane Roe")
    # the bylines of related-story cards are not the story's
    cards = "<ul><li><span class='byline'>By John Doe</span><a href='/other'>Another story</a></li></ul>"
    assert byline_names(BeautifulSoup(f"{cards}<p class='byline'>By Jane Roe</p>", "lxml")) == ("Jane Roe",)
    assert byline_names(BeautifulSoup(f"{cards}<p class='byline' hidden>By Jane Roe</p>", "lxml")) == ()
    assert byline_names(BeautifulSoup("<span class='byline'>Richard (R.J.) Eskow</span>", "lxml")) == ("Richard (R.J.) Eskow",)
    comments = "<div id='comments'><div class='entry'><span class='comment-author'>Mary Major</span> Great read!</div></div>"
    assert byline_names(BeautifulSoup(comments, "lxml")) == ()
    # a byline in another language ("por", "par", "Von")
    spanish = "<ul itemprop='author'><span>por </span><li><a rel='author'><span>César Salza</span></a></li></ul>"
    assert byline_names(BeautifulSoup(spanish, "lxml")) == ("César Salza",)
    assert byline_names(BeautifulSoup("<p class='byline'>Von Jane Roe</p>", "lxml")) == ("Jane Roe",)
    # a class that says "author" on something that is not a name is passed over
    assert byline_names(BeautifulSoup("<div class='author-hovercard'>Profile: 12 posts, follow</div>", "lxml")) == ()
    # a declared "author" that is a profile URL names nobody: the byline element does
    head = "<meta name='author' content='https://social.example/profile.php?id=janeroe'>"
    body = f"<article><h1>Harbour works</h1><p class='byline'>por Jane Roe</p><p>{LONG}</p></article>"
    assert extract_article(_html(body, head)).authors == ("Jane Roe",)
    # a declared author wins over the byline element
    head = "<meta name='author' content='Mary Major'>"
    body = f"<article><h1>Harbour works</h1><p class='byline'>By Jane Roe</p><p>{LONG}</p></article>"
    assert extract_article(_html(body, head)).authors == ("Mary Major",)


def test_hidden_text_is_not_read_even_when_it_is_most_of_the_page() -> None:
    # regression: a guard that spares story wrappers also spared a hidden block holding most of the paragraphs
    hidden = "".join(f"<p>Hidden paragraph {i} repeats old copy that the page no longer shows to anyone at all.</p>" for i in range(8))
    shown = "".join(f"<p>{LONG} Shown paragraph {i}.</p>" for i in range(3))
    for style in ("visibility: hidden;", "display:none"):
        text = " ".join(
            extract_article(_html(f"<article><h1>Lorem</h1><div style='{style}'>{hidden}</div><div>{shown}</div></article>")).paragraphs
        )
        assert "Shown paragraph 2" in text
        assert "Hidden paragraph" not in text


def test_words_after_an_empty_inline_element_are_read() -> None:
    # regression: trafilatura's precision pass removed "<span><img></span>" together with the words after it,
    # so "A square matrix is Hermitian if and only if ..." was read "A square matrix adjoint, ..."
    formula = "<span class='math'><img src='a.svg' alt='A'></span>"
    # (first and last paragraphs: the gap filling between the two passes cannot stand in for them there)
    html = (
        f"<article><p>A square matrix {formula} is Hermitian if and only if it is equal to its "
        f"<a href='/adjoint'>adjoint</a>, that is, it satisfies the rule.</p><p>{LONG}</p><p>{LONG} Again.</p>"
        "<p>They did not understand that<span> </span>regulations exist for a reason, the clerk said.</p></article>"
    )
    text = " ".join(extract_article(_html(html)).paragraphs)
    assert "A square matrix is Hermitian if and only if it is equal to its adjoint" in text
    assert "understand that regulations" in text


def test_words_inside_a_classed_span_in_a_sentence_are_read() -> None:
    # regression: trafilatura's precision pass removed <span class="link"> and the words in it mid-sentence
    link = "<span class='link' section='shortcodeLink'><a href='/abuse'>fight against abuse on the network</a></span>"
    hidden = "<a href='/w'>the website<span class='visually-hidden'> (opens in a new window)</span></a>"
    quiet = "<span aria-hidden='true'>**WRONG**</span>"
    html = (
        f"<article><p>The company has taken part in the {link}, taking steps even on verified accounts.</p><p>{LONG}</p>"
        f"<p>{LONG} Again.</p><p>{quiet}Details of the plan are on {hidden} of the council, the clerk said.</p></article>"
    )
    text = " ".join(extract_article(_html(html)).paragraphs)
    assert "taken part in the fight against abuse on the network, taking steps" in text
    assert "on the website of the council" in text
    assert "WRONG" not in text


def test_spans_inside_sentences_are_unwrapped_in_place() -> None:
    from bs4 import BeautifulSoup

    from articleaudio.extract.prepare import plain_inline_in_prose

    sentence = (
        "<p>The <span class='a'>council <span class='b'>voted</span> on</span> the <b class='c'>budget</b> and "
        "<span class='d'>the roads</span> plan on Tuesday evening, <span>after a long debate</span> that ran late.</p>"
    )
    soup = BeautifulSoup(f"<article>{sentence}<p>{LONG}</p></article>", "lxml")
    assert plain_inline_in_prose(soup) == 5
    paragraph = soup.find("p")
    assert paragraph is not None and paragraph.find("span") is None and paragraph.find("b").attrs == {}
    words = "The council voted on the budget and the roads plan on Tuesday evening, after a long debate that ran late."
    assert " ".join(paragraph.get_text().split()) == words


def test_gap_filling_keeps_what_only_the_precise_pass_found() -> None:
    from articleaudio.extract.passes import fill_gaps as _fill_gaps
    from articleaudio.models import Section

    story = [f"{LONG} Paragraph {i}." for i in range(4)]
    precise = [Section(None, ("A square matrix adjoint.", *story))]
    generous = [Section(None, ("Menu teaser.", story[0], story[1], "A quoted aside.", story[2], story[3], "Footer."))]
    merged = [p for s in _fill_gaps(precise, generous) for p in s.paragraphs]
    # what only the precise pass has stays in place; the generous pass fills the gap inside the span, not outside it
    assert merged == ["A square matrix adjoint.", story[0], story[1], "A quoted aside.", story[2], story[3]]
    # inside the span, the generous pass's fuller version of a block replaces the precise pass's shorter one
    precise = [Section(None, (story[0], "A square matrix adjoint.", *story[1:]))]
    generous = [Section(None, (story[0], "A square matrix is Hermitian if it equals its adjoint.", *story[1:]))]
    merged = [p for s in _fill_gaps(precise, generous) for p in s.paragraphs]
    assert merged == [story[0], "A square matrix is Hermitian if it equals its adjoint.", *story[1:]]


def test_gap_filling_with_a_line_repeated_thousands_of_times_is_linear() -> None:
    # regression: a general alignment (difflib) of the two passes took minutes on such a page.
    # Lines of our code executed are counted, not seconds: twice the page may cost about twice the work, not four times.
    from articleaudio.extract.passes import fill_gaps as _fill_gaps
    from articleaudio.models import Section

    def pages(n: int) -> tuple[list[Section], list[Section]]:
        precise = [Section(None, tuple(x for i in range(n) for x in (f"Unique paragraph {i} of the story.", "Share this.")))]
        generous = [
            Section(None, tuple(x for i in range(n) for x in ("Share this.", f"Unique paragraph {i} of the story.", "Share this.")))
        ]
        return precise, generous

    small, large = line_events(lambda: _fill_gaps(*pages(300))), line_events(lambda: _fill_gaps(*pages(600)))
    assert large < 2.6 * small, (small, large)
    merged = [p for s in _fill_gaps(*pages(2500)) for p in s.paragraphs]
    assert [p for p in merged if p.startswith("Unique")] == [f"Unique paragraph {i} of the story." for i in range(2500)]


def test_blocks_inside_a_group_in_the_extractors_output_stay_apart() -> None:
    # regression: a <div> in trafilatura's XML was read as one paragraph holding the heading and the story
    from lxml import etree

    from articleaudio.extract.html import _sections_from_xml

    body = etree.fromstring(
        "<main><div><head>Peanuts early</head><p>Reviewed by Jane Roe</p><p>First paragraph.</p>"
        "<div><p>Second paragraph.</p></div></div><p>Third paragraph.</p></main>"
    )
    sections = _sections_from_xml(body, include_tables=False)
    assert [s.heading for s in sections] == ["Peanuts early"]
    assert sections[0].paragraphs == ("Reviewed by Jane Roe", "First paragraph.", "Second paragraph.", "Third paragraph.")


def test_a_nested_list_is_read_once_after_its_parent_item() -> None:
    # regression: the parent item's text held its sub-items, which were then read again on their own
    from lxml import etree

    from articleaudio.extract.html import _sections_from_xml

    body = etree.fromstring(
        "<main><list><item>In progress:<list><item>Bug one fixed</item><item>Bug two <hi>fixed</hi></item></list>"
        " more soon</item><item>Last item</item></list>"
        "<quote><p>First quoted paragraph.</p><p>Second quoted paragraph.</p></quote></main>"
    )
    (section,) = _sections_from_xml(body, include_tables=False)
    assert section.paragraphs == (
        "In progress: more soon",
        "Bug one fixed",
        "Bug two fixed",
        "Last item",
        "First quoted paragraph.",
        "Second quoted paragraph.",
    )


def test_a_list_its_lead_in_announces_is_read_after_it() -> None:
    # regression: the extractor kept "In progress:" and dropped the list of bug titles (all links) under it
    bugs = [f"Bug {n} – Prevent picture windows from opening on top of one another, case {n}" for n in range(3)]
    items = "".join(f"<li><a href='/bug/{n}'>{bug}</a></li>" for n, bug in enumerate(bugs))
    notes = "".join(f"<li>{LONG} Note {i} on the release.</li>" for i in range(4))
    page = f"<article><h2>Release notes</h2><ul>{notes}<li>In progress:<ul>{items}</ul></li></ul><h2>Search</h2><p>{LONG}</p></article>"
    paragraphs = extract_article(_html(page)).paragraphs
    at = paragraphs.index("In progress:")
    assert paragraphs[at + 1 : at + 4] == bugs
    assert sum(bugs[0] in p for p in paragraphs) == 1
    # a list of related stories under its own lead-in is not added, nor is a menu of one-word links
    from bs4 import BeautifulSoup

    from articleaudio.extract.passes import announced_lists
    from articleaudio.models import Section

    related = "".join(f"<li><a href='/s/{n}'>Review: a story about games number {n}</a></li>" for n in range(3))
    menu = "".join(f"<li><a href='/{w}'>{w}</a></li>" for w in ("Home", "World", "Sport"))
    soup = BeautifulSoup(f"<p>{LONG}</p><p>More games news:</p><ul>{related}</ul><p>Sections:</p><ul>{menu}</ul>", "lxml")
    sections = [Section(None, (LONG.strip(), "More games news:", "Sections:"))]
    assert announced_lists(sections, soup) == sections


def test_a_wiki_headings_edit_link_is_not_read() -> None:
    html = f"<article><p>{LONG}</p><h2>Community<span>[<a href='/edit'>edit</a>]</span></h2><p>{LONG}</p></article>"
    article = extract_article(_html(html))
    assert "Community" in [s.heading for s in article.sections]


def test_blocks_the_extractor_returned_out_of_order_are_read_in_page_order() -> None:
    from articleaudio.extract.passes import page_order
    from articleaudio.models import Section

    intro = "Glass cloche terrariums are not only appealing to the eye, they also keep a bit of nature at home."
    step = "Measure the circumference of your cloche and cut the foam a little smaller than that."
    supplies = ["Cloche", "Planter saucer, small shallow dish or a platform of your choice", "Moss"]
    page = f"How to build a terrarium. {intro} What you need: {' '.join(supplies)} Step 1 {step} Share this"
    # the extractor gave the list first, then what it recovered from the rest of the page
    got = page_order([Section(None, (*supplies, intro)), Section("Step 1", (step,))], page)
    assert [(s.heading, s.paragraphs) for s in got] == [(None, (intro, *supplies)), ("Step 1", (step,))]
    # in page order already: nothing moves
    in_order = [Section(None, (intro, *supplies)), Section("Step 1", (step,))]
    assert page_order(in_order, page) is in_order
    # a paragraph the page says twice (a pull quote) places nothing
    twice = f"{intro} {page}"
    assert page_order([Section(None, (step, intro))], twice) == [Section(None, (step, intro))]


def test_a_label_the_precise_pass_dropped_is_read_once_as_a_sentence_of_its_own() -> None:
    from articleaudio.extract.passes import fill_gaps
    from articleaudio.models import Section

    steps = ["Measure the cloche and cut the foam a little smaller.", "Insert your plant into the hole you dug."]
    supplies = ("Cloche", "Planter saucer", "Floral foam", "Ruler", "Spoon", "Wire pins", "Small plants", "Moss", "Tweezers")
    intro = "Glass cloche terrariums keep a little nature in your home all year."
    precise = [Section(None, (*supplies, intro, *steps))]
    # the generous pass keeps the labels but also gives the supplies list flattened into one paragraph
    generous = [Section(None, (*supplies, intro, "What you need: " + " ".join(supplies), "Step 1 " + steps[0], "Step 2 " + steps[1]))]
    merged = [p for s in fill_gaps(precise, generous) for p in s.paragraphs]
    # the lead-in the precise pass dropped is said before the list it introduces
    assert merged == ["What you need:", *supplies, intro, "Step 1. " + steps[0], "Step 2. " + steps[1]]
    # a "label" that is furniture is not taken
    precise = [Section(None, (intro, steps[0]))]
    generous = [Section(None, (intro, "Advertisement " + steps[0]))]
    assert [p for s in fill_gaps(precise, generous) for p in s.paragraphs] == [intro, steps[0]]


def test_the_standfirst_under_the_headline_is_read_first() -> None:
    dek = "Tax cuts, spending increases and higher interest rates could make it harder to respond to the next recession."
    body = "".join(f"<p>{LONG} Paragraph {i} adds detail.</p>" for i in range(6))
    head = f"<title>Debt costs soar</title><meta name='description' content='{dek}'>"
    page = f"<article><header><h1>Debt costs soar</h1><p class='summary'>{dek}</p></header><section>{body}</section></article>"
    article = extract_article(_html(page, head))
    assert article.paragraphs[0] == dek
    assert sum(dek in p for p in article.paragraphs) == 1
    # a site's tagline shown above the headline is not a standfirst
    tagline = "Example News brings you all the news from the city and the region, every single day of the week."
    head = f"<title>Debt costs soar</title><meta name='description' content='{tagline}'>"
    page = f"<p class='site-tagline'>{tagline}</p><article><h1>Debt costs soar</h1><section>{body}</section></article>"
    assert all(tagline not in p for p in extract_article(_html(page, head)).paragraphs)


def test_a_standfirst_set_in_the_storys_header_is_read_first() -> None:
    # regression: the summary set straight into the story's <header> (no <p>, no meta description) was dropped
    dek = "Most of the work our brains do happens unconsciously, but when does that moment of insight occur? New research looks."
    body = "".join(f"<p>{LONG} Paragraph {i} adds detail.</p>" for i in range(6))
    menu = "<header><a href='/'>Home</a> <a href='/news'>News</a> <span>Health news from the clinic, every day of the week.</span></header>"
    for header in (f"<header>{dek}</header>", f"<header><h2>Insight</h2><p>{dek}</p></header>"):
        page = f"{menu}<h1>Insight</h1><article>{header}<section>{body}</section></article>"
        paragraphs = extract_article(_html(page, "<title>Insight</title>")).paragraphs
        assert paragraphs[0] == dek
        assert not any("Health news from the clinic" in p for p in paragraphs)


def test_a_byline_line_with_the_authors_role_is_not_read() -> None:
    from articleaudio.extract.furniture import line_reason

    authors = ("Andrew Hayden",)
    assert line_reason("Posted by Andrew Hayden, Software Engineer on Google Play", "", authors) == "byline"
    assert line_reason("Posted by Andrew Hayden on Monday, the plan drew many comments from readers.", "", authors) is None


def _rfc_page(pages: int = 6) -> Source:
    header = "Internet-Draft              exampleStorage                  December 2014"
    prose = (
        "   Many services for data storage are available over the internet. This\n"
        "   specification describes a vendor-independent interface for such\n"
        "   services. It is based on https and bearer tokens.\n"
    )
    more = (
        "   Page {n} of the draft says more. Each request carries a token.\n   The server checks it. Internet-\n"
        "   Drafts expire. Tokens are as in\n   [BEARER], section 2.\n"
    )
    blocks = [
        "Table of Contents\n\n   1. Introduction.......................................2\n"
        "   2. Requests...........................................3\n\n"
        f"1.  Introduction\n\n{prose}\n   Jane Roe                                                 [Page 1]\n"
    ]
    for n in range(2, pages + 1):
        blocks.append(
            f"{header}\n\n{n}.  Requests part {n}\n\n{more.format(n=n)}\n"
            f"   GET /storage/jane/notes/ HTTP/1.1\n   Host: example.com\n   Authorization: Bearer abc123\n\n"
            "   HTTP/1.1 200 OK\n   Access-Control-Allow-Origin: everyone\n   Access-Control-Allow-Methods: GET\n"
            "   Access-Control-Expose-Headers: ETag\n   Content-Type: text/plain\n\n"
            '   {\n     "items": "none",\n     "count": "zero"\n   }\n\n'
            f"   Jane Roe                                                 [Page {n}]\n"
        )
    body = "".join(f"<pre>{b}</pre><!--NewPage-->" for b in blocks)
    return Source("draft.html", f"<html><head><title>Example storage</title></head><body>{body}</body></html>".encode(), "html")


def test_a_plain_text_document_in_pre_blocks_is_read_as_paragraphs_and_headings() -> None:
    article = extract_article(_rfc_page())
    headings = [s.heading for s in article.sections]
    assert headings[:2] == ["1. Introduction", "2. Requests part 2"]
    text = " ".join(article.paragraphs)
    assert "Many services for data storage are available over the internet. This specification describes" in text
    assert "The server checks it. Internet-Drafts expire. Tokens are as in [BEARER], section 2." in text
    # the running header, the page footers, the contents' dot leaders and the example request are not read
    for furniture in (
        "exampleStorage",
        "[Page",
        "....",
        "Table of Contents",
        "GET /storage",
        "Bearer abc123",
        "200 OK",
        "Access-Control",
        "items",
    ):
        assert furniture not in text, furniture


def test_code_samples_in_an_article_stay_code() -> None:
    story = "".join(f"<p>{LONG} Paragraph {i} explains the loop.</p>" for i in range(6))
    code = "<pre>for item in items:\n    total += item.price  # add it up\nprint(total)</pre>"
    article = extract_article(_html(f"<article>{story}{code}</article>"))
    assert "total +=" not in " ".join(article.paragraphs)


def test_a_mail_in_a_pre_block_is_read_as_paragraphs_without_headings() -> None:
    quoted = "> Jane wrote that the budget vote moved. It is now on Friday.\n> She asked who can attend.\n"
    prose = "\n\n".join(
        f"The council met on day {n}. Members agreed on most points. The budget passes next week.\nNobody objected." for n in range(4)
    )
    mail = f"Hi all\n\n{quoted}\n{prose}\n\nThanks\n"
    article = extract_article(_html(f"<pre>{mail}</pre>"))
    assert [s.heading for s in article.sections] == [None]
    assert "Jane wrote that the budget vote moved. It is now on Friday. She asked who can attend." in article.paragraphs


def test_a_wiki_gallerys_captions_are_not_read() -> None:
    gallery = "<ul class='gallery'>" + "".join(
        f"<li class='gallerybox'><img src='{n}.jpg'><div class='gallerytext'>Rural scene near town {n}</div></li>" for n in range(3)
    )
    article = extract_article(_html(f"<article><p>{LONG}</p>{gallery}</ul><p>{LONG} More.</p></article>"))
    assert not any("Rural scene" in p for p in article.paragraphs)
