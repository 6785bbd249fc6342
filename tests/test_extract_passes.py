"""Extraction passes: structure and order, the two passes merged, lists, standfirsts, and plain-text documents in <pre>."""

from __future__ import annotations

from articleaudio.extract.html import extract_article
from articleaudio.models import Source

from .conftest import line_events


def _html(body: str, head: str = "") -> Source:
    return Source("page.html", f"<html><head>{head}</head><body>{body}</body></html>".encode(), "html")


LONG = "The council met on Tuesday to discuss the budget for the coming year and agreed on most points. " * 2


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
