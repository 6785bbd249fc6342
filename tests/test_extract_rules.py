"""Extraction rules: titles, bylines, dates and site names; tables and code; furniture lines and misleading names."""

from __future__ import annotations

import json

import pytest

from articleaudio.extract.html import explain_extraction, extract_article
from articleaudio.models import Source


def _html(body: str, head: str = "") -> Source:
    return Source("page.html", f"<html><head>{head}</head><body>{body}</body></html>".encode(), "html")


LONG = "The council met on Tuesday to discuss the budget for the coming year and agreed on most points. " * 2


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
    # issue 19: Russian and Korean stories are introduced in Russian and Korean
    russian = Article(title="Нормы ГТО", sections=story, authors=("Вера",), site_name="gto-normativy.ru", language="ru")
    assert intro_lines(russian) == [
        "Нормы ГТО.",
        "Автор: Вера.",
        "Источник: gto-normativy.ru.",
        "Этот текст озвучен синтезированным голосом.",
    ]
    assert outro_lines(russian) == ["Вы слушали: Нормы ГТО. Источник: gto-normativy.ru."]
    korean = Article(title="지진", sections=story, site_name="JTBC", language="ko")
    assert intro_lines(korean)[-2:] == ["출처: JTBC.", "이 낭독은 합성 음성을 사용합니다."]
    # a language the table lacks gets no phrases at all, never English in its voice
    unknown = Article(title="Teitl", sections=story, authors=("Siân",), site_name="Example", language="cy")
    assert intro_lines(unknown) == ["Teitl."]
    assert outro_lines(unknown) == []


def test_the_narrators_phrases_cover_the_webs_thirty_languages() -> None:
    from articleaudio.speech.script import narrator_phrases

    table = narrator_phrases()
    most_used = [
        "en",
        "es",
        "de",
        "ja",
        "fr",
        "ru",
        "pt",
        "it",
        "nl",
        "pl",
        "tr",
        "fa",
        "zh",
        "vi",
        "id",
        "cs",
        "ko",
        "uk",
        "hu",
        "ar",
        "sv",
        "ro",
        "el",
        "da",
        "fi",
        "he",
        "th",
        "sk",
        "bg",
        "nb",
    ]
    assert len(most_used) == 30 and not [code for code in most_used if code not in table]
    for code, words in table.items():
        assert words.by.count("{names}") == 1 and words.published.count("{site}") == 1, code
        assert "{title}" in words.outro and "{title}" in words.outro_site and "{site}" in words.outro_site, code
        assert words.and_ and words.notice and "{" not in words.notice, code
        # written in the language: no English phrase copied into another language's row
        if code != "en":
            assert words.notice != table["en"].notice and not words.by.startswith("By "), code


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


def test_lines_laid_out_with_br_in_a_list_like_block_are_read_one_by_one() -> None:
    # issue 19: tour dates and venues separated by <br> were one "sentence" of 1,800 characters
    dates = "<br>".join(f"{d} – {city}, FL @ {venue}" for d, city, venue in [
        ("Aug 3", "Tampa", "MidFlorida Amphitheatre"), ("Aug 5", "West Palm Beach", "Coral Sky Amphitheatre"),
        ("Aug 7", "Orlando", "Amway Center"), ("Aug 9", "Miami", "Bayfront Park")])  # fmt: skip
    changes = "<br />".join(["+ Added Granite blocks", "+ Added Slime Block", "* Villager trading has been rebalanced"])
    verse = "<br>".join(["the fog comes", "on little cat feet", "it sits looking", "over harbor and city"])
    body = f"<article><h1>Tour</h1><p>{LONG}</p><p>{dates}</p><p>{LONG}</p><p>{changes}</p><p>{verse}</p></article>"
    paragraphs = extract_article(_html(body)).paragraphs
    assert "Aug 5 – West Palm Beach, FL @ Coral Sky Amphitheatre" in paragraphs
    assert "Aug 9 – Miami, FL @ Bayfront Park" in paragraphs
    # a bullet typed before each line is not read ("plus Added ...")
    assert [p for p in paragraphs if p.startswith(("Added", "Villager"))] == [
        "Added Granite blocks",
        "Added Slime Block",
        "Villager trading has been rebalanced",
    ]
    # verse runs on from line to line: one paragraph, as before
    assert "the fog comes on little cat feet it sits looking over harbor and city" in paragraphs


def test_shortcodes_and_template_tags_are_left_out_and_explained() -> None:
    # issue 19: "button link="morebikes dot co dot uk type="big" … /button" was read aloud
    body = (
        f"<article><p>{LONG}</p><p>Our pick of the week is the road bike below. "
        '[button link="http://morebikes.co.uk" type="big"]Buy now at More Bikes[/button] It rides well.</p>'
        "<p>Written by {{ author.name }} for the [highlight]weekend[/highlight] edition.</p>"
        '<p>[caption id="attachment_12" align="alignnone"]The bike on a hill[/caption]</p></article>'
    )
    extraction = explain_extraction(_html(body))
    paragraphs = extraction.article.paragraphs
    assert "Our pick of the week is the road bike below. It rides well." in paragraphs
    assert "Written by for the weekend edition." in paragraphs
    assert not any("[" in p or "{" in p or "bike on a hill" in p for p in paragraphs)
    assert sum(1 for d in extraction.dropped if d.reason == "template markup") == 4  # button, tag, highlight, caption


@pytest.mark.parametrize("credit", ["사진=JTBC", "Foto: dpa", "Фото: РИА Новости", "Photo: Jane Roe/Agency", "(Foto: Ansa)"])
def test_photo_credits_in_any_language_are_left_out(credit: str) -> None:
    body = f"<article><p>{LONG}</p><p>{credit}</p><p>{LONG}</p></article>"
    extraction = explain_extraction(_html(body))
    assert credit not in extraction.article.paragraphs
    assert any(d.reason == "credit" and d.text.startswith(credit[:5]) for d in extraction.dropped)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Текст Лида Буслаева", ("Лида Буслаева",)),
        ("Автор: Вера", ("Вера",)),
        ("Autor: Jan Novák", ("Jan Novák",)),
        ("Texto: Ana Ruiz", ("Ana Ruiz",)),
        ("Por Ana Ruiz y Juan Pérez", ("Ana Ruiz", "Juan Pérez")),
        ("홍길동 기자", ("홍길동",)),
        ("作者：王小明", ("王小明",)),
        ("di Mario Rossi", ("Mario Rossi",)),
        # names that start like a label word stay whole
        ("Di Maio Luigi", ("Di Maio Luigi",)),
        ("Oleh Sentsov", ("Oleh Sentsov",)),
        ("Textor Smith", ("Textor Smith",)),
    ],
)
def test_a_byline_loses_its_label_words_in_every_language(byline: str, names: tuple[str, ...]) -> None:
    head = f"<meta name='author' content='{byline}'><meta property='og:site_name' content='Example'>"
    assert extract_article(_html(f"<article><p>{LONG}</p></article>", head)).authors == names


@pytest.mark.parametrize(
    ("declared", "spoken"),
    [
        ("Copyright 2014", "gto-normativy.ru"),
        ("© Example Media Ltd", "gto-normativy.ru"),
        ("потеря веса до 10 кг. Отзывы.", "gto-normativy.ru"),
        ("Your daily source for the best news and views on tech", "gto-normativy.ru"),
        ("ГТО Нормативы", "ГТО Нормативы"),
        ("Yahoo!", "Yahoo!"),
    ],
)
def test_a_site_name_that_is_no_name_is_replaced_by_the_host(declared: str, spoken: str) -> None:
    head = f"<meta property='og:site_name' content='{declared}'><link rel='canonical' href='https://www.gto-normativy.ru/a/1'>"
    assert extract_article(_html(f"<article><p>{LONG}</p></article>", head)).site_name == spoken


_ENGLISH_COPY = (
    "The physicists said on Tuesday that the results of the experiment were far stronger than they had expected, and that the "
    "work would now be repeated at two other laboratories in Europe. Their colleagues were cautious about the claim, which has "
    "been made before, and which was withdrawn when the data turned out to have been read the wrong way."
)
_GERMAN_COPY = (
    "Die Physiker sagten am Dienstag, dass die Ergebnisse des Experiments viel stärker seien als erwartet, und dass die Arbeit "
    "nun an zwei weiteren Laboratorien in Europa wiederholt werde. Ihre Kollegen blieben vorsichtig, denn die Behauptung wurde "
    "schon einmal aufgestellt und wieder zurückgezogen, als sich herausstellte, dass die Daten falsch gelesen worden waren."
)


@pytest.mark.parametrize(
    ("declared", "paragraphs", "language", "declared_language"),
    [
        # issue 19: English copy on a German edition, German copy on an English page: the text's language wins
        ("de", [_ENGLISH_COPY, _ENGLISH_COPY + " More.", _ENGLISH_COPY + " Again."], "en", "de"),
        ("en-US", [_GERMAN_COPY, _GERMAN_COPY + " Mehr.", _GERMAN_COPY + " Noch."], "de", "en-US"),
        # the declaration is kept when the text agrees, is short, or mixes the two languages
        ("de", [_GERMAN_COPY, _GERMAN_COPY + " Mehr."], "de", None),
        ("de", ["The physicists said on Tuesday that the results were stronger than expected."], "de", None),
        ("en", [_ENGLISH_COPY, _ENGLISH_COPY + " More.", _GERMAN_COPY, _GERMAN_COPY + " Mehr."], "en", None),
    ],
)
def test_the_language_the_text_is_written_in_wins_over_a_wrong_declaration(
    declared: str, paragraphs: list[str], language: str, declared_language: str | None
) -> None:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"<html lang='{declared}'><head><title>Physics</title></head><body><article><h1>Physics</h1>{body}</article></body></html>"
    article = extract_article(Source("page.html", page.encode(), "html"))
    assert (article.language, article.declared_language) == (language, declared_language)


def test_extract_says_when_the_text_overrode_the_declared_language(tmp_path) -> None:
    from click.testing import CliRunner

    from articleaudio.cli import cli

    body = "".join(f"<p>{_ENGLISH_COPY} {n}.</p>" for n in ("One", "Two", "Three"))
    page = tmp_path / "story.html"
    page.write_text(f"<html lang='de'><head><title>Physics</title></head><body><article>{body}</article></body></html>")
    result = CliRunner().invoke(cli, ["extract", str(page)])
    assert result.exit_code == 0 and "Language: en (the page declares de)" in result.output
    result = CliRunner().invoke(cli, ["extract", "--format", "json", str(page)])
    assert json.loads(result.output)["declared_language"] == "de"
