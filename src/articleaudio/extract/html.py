"""Stage 2: find the article body and its metadata in a loaded source."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import ExtractionError
from ..models import Article, Section, Source, public_source
from .byline import byline_names, shown_authors, split_authors, visible_text
from .clutter import Dropped, prune_clutter
from .dates import iso_date
from .documents import extract_markdown, extract_plain, fallback_title
from .dom import squash as _squash
from .furniture import apparatus_heading, line_reason, repeats_headline, same_words, strip_footnote_markers, without_template_markup
from .language import detect_language, language_of_text
from .metadata import page_metadata, site_name_or_host
from .passes import announced_lists, fill_gaps, join_split_body, lead_with, page_order, unread_body_words
from .preformatted import reflow_text_documents
from .prepare import (
    drop_empty_inline,
    drop_misleading_names,
    mark_code_blocks,
    plain_inline_in_prose,
    sentences_in_headings,
    unwrap_layout_tables,
    wrap_loose_text,
)

LOGGER = logging.getLogger(__name__)

_MIN_WORDS = 12
_RESCUE_SHARE = 0.6
_EXTENSIVE_DATE_SEARCH_CHARS = 2_000_000


@dataclass
class Extraction:
    """An article together with an account of what was left out."""

    article: Article
    dropped: list[Dropped] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    """The parts of a body split into several containers that were read together (see ``join_split_body``)."""
    warnings: list[str] = field(default_factory=list)
    """What the reader of the narration should know: the page's body holds clearly more prose than is read."""


def extract_article(source: Source, include_tables: bool = False) -> Article:
    """Return the readable article in ``source``; raise ExtractionError when there is none."""
    return explain_extraction(source, include_tables).article


def explain_extraction(source: Source, include_tables: bool = False) -> Extraction:
    """Like extract_article, but also report every dropped element and why."""
    text = source.text()
    if source.kind == "html":
        result = _extract_html(text, source, include_tables)
    elif source.kind == "markdown":
        result = Extraction(*extract_markdown(text, source, include_tables))
    else:
        result = Extraction(*extract_plain(text, source))
    result.article = _without_template_markup(result.article, result.dropped)
    # A web page whose "article" is a couple of words is a menu or an error page, not a story.
    if not result.article.paragraphs or (source.kind == "html" and result.article.word_count < 3):
        raise ExtractionError("no article text found", source.name)
    # An undeclared language (a plain-text file, a page without lang) is told from the text, so that a
    # Spanish story is not read with English number rules and an English voice.
    if not result.article.language and (detected := detect_language(" ".join(result.article.paragraphs))):
        result.article = replace(result.article, language=detected)
    # A German edition publishing English copy declares "de": the text's own language wins when it is plain.
    elif result.article.language and (written := language_of_text(result.article.paragraphs, result.article.language)):
        result.article = replace(result.article, language=written, declared_language=result.article.language)
    return result


def _without_template_markup(article: Article, dropped: list[Dropped]) -> Article:
    """The article without the shortcodes and template tags a site left in its text, whatever the source."""
    sections: list[Section] = []
    for section in article.sections:
        heading = section.heading
        if heading:
            heading, taken = without_template_markup(heading)
            dropped.extend(Dropped("template markup", piece[:100]) for piece in taken)
        paragraphs = []
        for paragraph in section.paragraphs:
            paragraph, taken = without_template_markup(paragraph)
            dropped.extend(Dropped("template markup", piece[:100]) for piece in taken)
            if paragraph:
                paragraphs.append(paragraph)
        if paragraphs or not section.paragraphs:
            sections.append(Section(heading or None, tuple(paragraphs)))
    return replace(article, sections=tuple(sections))


# --- HTML ---------------------------------------------------------------------------------


def _extract_html(html: str, source: Source, include_tables: bool) -> Extraction:
    import trafilatura
    from bs4 import BeautifulSoup
    from trafilatura.metadata import extract_metadata

    try:
        soup = BeautifulSoup(html, "lxml")
    except Exception as exc:  # noqa: BLE001  # the parser's own errors vary; any of them means unreadable HTML
        raise ExtractionError(f"HTML cannot be parsed ({exc})", source.name) from None
    meta = page_metadata(soup)
    try:
        # The search of the whole text for a date takes seconds on a page of megabytes; past that size only
        # the markup (meta tags, <time> elements, the URL) is searched.
        tmeta = extract_metadata(html, default_url=source.url, extensive=len(html) <= _EXTENSIVE_DATE_SEARCH_CHARS)
    except Exception:  # metadata is a bonus; a failure here must not lose the article
        LOGGER.debug("trafilatura metadata failed for %s", source.name, exc_info=True)
        tmeta = None
    title = _squash(meta.get("title") or (tmeta.title if tmeta else None) or "") or fallback_title(source)
    # A declared author wins; one that names nobody (a profile URL) counts as none.
    authors = split_authors(meta.get("author"))
    if not authors:
        # The extractor's own guess, kept only where the page shows it outside menus, forms and hidden
        # elements: a wrong name read aloud is worse than none. The page's byline element, where there
        # is one, gives the names as printed ("Nelson D. Schwartz", not "Nelson D Schwartz") and stands
        # in for a guess the page does not show.
        authors = shown_authors(split_authors(tmeta.author if tmeta else None), visible_text(soup))
        printed = byline_names(soup)
        if printed and (not authors or same_words(", ".join(printed), ", ".join(authors))):
            authors = printed
    dropped = prune_clutter(soup)
    reflow_text_documents(soup)
    mark_code_blocks(soup)
    unwrap_layout_tables(soup)
    drop_misleading_names(soup)
    drop_empty_inline(soup)
    plain_inline_in_prose(soup)
    sentences_in_headings(soup)
    wrap_loose_text(soup)
    cleaned = str(soup)

    code_dropped: dict[bool, list[Dropped]] = {True: [], False: []}

    def run(precision: bool) -> list[Section]:
        try:
            doc = trafilatura.bare_extraction(cleaned, url=source.url, include_comments=False, include_tables=include_tables,
                                              with_metadata=False, favor_precision=precision, favor_recall=not precision)  # fmt: skip
        except Exception:  # the extractor may trip on odd markup; another mode or the fallback takes over
            LOGGER.debug("trafilatura failed for %s", source.name, exc_info=True)
            return []
        body = getattr(doc, "body", None)
        return _sections_from_xml(body, include_tables, code_dropped[precision]) if body is not None else []

    def words(sections: list[Section]) -> int:
        return sum(len(p.split()) for s in sections for p in s.paragraphs)

    # 1. precision first: a narrator reading boilerplate is worse than one missing a caption;
    # 2. but when that keeps much less than a recall-minded pass finds, it has lost the story: take the latter;
    #    otherwise what the recall-minded pass finds *between* the story's first and last paragraph is story too;
    # 3. blocks in the page's order, led by the standfirst when the page shows one that the body left out;
    # 4. and when neither pass finds prose, the paragraph-density fallback.
    sections = run(precision=True)
    generous = run(precision=False)
    chosen = True
    if words(sections) < _RESCUE_SHARE * words(generous):
        sections, chosen = generous, False
    else:
        sections = fill_gaps(sections, generous)
    page_text = (soup.body or soup).get_text(" ")
    sections = page_order(sections, page_text)
    sections, joined = join_split_body(sections, soup, page_text)
    sections = announced_lists(sections, soup)
    description = meta.get("description") or (tmeta.description if tmeta else None)
    for standfirst in _standfirsts(soup, description):
        if (led := lead_with(sections, standfirst, page_text, title)) is not sections:
            sections = led
            break
    code = code_dropped[chosen]
    if words(sections) < _MIN_WORDS:
        sections, code = _density_fallback(soup), []  # the fallback reads paragraphs only; no code was weighed
    sections, line_drops = _filter_lines(sections, title, authors)
    dropped.extend(line_drops)
    dropped.extend(code)
    if not include_tables:
        dropped.extend(_unread_tables(soup))
    url = meta.get("url") or source.url or (tmeta.url if tmeta else None)
    article = Article(
        title=title,
        sections=tuple(sections),
        authors=authors,
        site_name=site_name_or_host(meta.get("site_name") or (tmeta.sitename if tmeta else None), url),
        date=iso_date(meta.get("date") or _guessed_date(tmeta.date if tmeta else None)),
        url=url,
        language=meta.get("language") or (tmeta.language if tmeta else None),
        description=meta.get("description") or (tmeta.description if tmeta else None),
        image=meta.get("image") or (tmeta.image if tmeta else None),
        section=meta.get("section"),
        source=public_source(source.name),
    )
    quoted = {_squash(q.get_text(" ")) for q in soup.find_all("blockquote")}
    quoted |= {_squash(p.get_text(" ")) for q in soup.find_all("blockquote") for p in q.find_all("p")}
    if quotes := tuple(p for p in article.paragraphs if p in quoted):
        article = replace(article, block_quotes=quotes)
    warnings = []
    if (unread := unread_body_words(soup, article.word_count)) is not None:
        warnings.append(f"the page's story containers hold {unread:,} words of prose; {article.word_count:,} are read")
    return Extraction(article, dropped, joined, warnings)


def _guessed_date(value: str | None) -> str | None:
    """The date guessed from the page's text, unless it is a year alone ("© 2024" becomes "2024-01-01")."""
    return None if value is None or value.endswith("-01-01") else value


def _sections_from_xml(body: Any, include_tables: bool, dropped: list[Dropped] | None = None) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []

    def close() -> None:
        if heading is not None or paragraphs:
            sections.append(Section(heading, tuple(paragraphs)))

    for element in _top_blocks(body):
        tag = element.tag
        if tag == "head":
            close()
            heading, paragraphs = _squash(_element_text(element)) or None, []
        elif tag == "list":
            paragraphs.extend(_list_items(element))
        elif tag == "table":
            if include_tables:
                for row in element.iter("row"):
                    cells = [_squash(_cell_text(c)) for c in row.iter("cell")]
                    if any(cells):
                        paragraphs.append(", ".join(c for c in cells if c))
        elif tag == "code":
            if dropped is not None and (text := _squash(_element_text(element))):
                dropped.append(Dropped("code", text[:100]))
        elif tag == "graphic":
            continue
        elif lines := _listed_lines(element):
            paragraphs.extend(lines)
        else:
            text = _squash(_element_text(element))
            if text:
                paragraphs.append(text)
    close()
    return [s for s in sections if s.paragraphs]


_BULLET = re.compile(r"^[-+*•·▪◦–—>]\s+")  # a numbered line keeps its number: it may be a ranking


def _listed_lines(element: Any) -> list[str] | None:
    """The lines of a block that the page laid out as a list with ``<br>`` (dates and venues, scores,
    changes in a release), each a paragraph of its own as a list's items are, their bullets dropped;
    None for prose or verse, whose lines run on.

    Read as one paragraph, such a list became a single "sentence" of 1,700 characters.
    """
    if sum(1 for child in element.iter("lb")) < 2:
        return None
    lines = [_squash(line) for line in _element_text(element, line_break="\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) < 3:
        return None
    opens = sum(1 for line in lines if _BULLET.match(line) or not line[0].islower())
    unfinished = sum(1 for line in lines if line[-1] not in '.!?…:;,"”’。！？」』）')
    if opens * 3 < len(lines) * 2 or unfinished * 3 < len(lines) * 2:
        return None
    return [_BULLET.sub("", line) or line for line in lines]


def _cell_text(cell: Any) -> str:
    """A table cell's text without the program listings in it (a highlighter's one-cell table), while a
    word of code inside the cell's text ("the <code>started</code> state") stays."""
    listings = [c for c in cell if c.tag == "code" and ("\n" in (text := "".join(c.itertext()).strip()) or len(text) >= 40)]
    if not listings:
        return _element_text(cell)
    for listing in listings:
        listing.tag = "listing"
    return _element_text(cell, skip="listing")


def _top_blocks(element: Any) -> Any:
    """The blocks of the extractor's XML in order, looking inside the <div> groups it sometimes keeps.

    Read as one block, such a group became a single paragraph holding the page's heading, a reviewer's
    line and the whole story.
    """
    for child in element:
        if child.tag == "div" or (child.tag == "quote" and _only_blocks(child)):
            yield from _top_blocks(child)
        else:
            yield child


def _only_blocks(element: Any) -> bool:
    """Whether ``element`` holds paragraphs (or lists, headings) and no loose text of its own."""
    children = list(element)
    return (
        bool(children)
        and all(c.tag in {"p", "list", "head", "quote", "div"} for c in children)
        and not (element.text or "").strip()
        and not any((c.tail or "").strip() for c in children)
    )


def _list_items(element: Any) -> list[str]:
    """A list's items in order, each read once: a nested list follows its parent item's own words."""
    found: list[str] = []
    for item in element:
        if item.tag != "item":
            continue
        if text := _squash(_element_text(item, skip="list")):
            found.append(text)
        for sub in item:
            if sub.tag == "list":
                found.extend(_list_items(sub))
    return found


# Inline markup in the extractor's XML; every other element is a block whose edges are word breaks.
_XML_INLINE = frozenset({"hi", "ref", "del", "span", "sub", "sup"})


def _element_text(element: Any, skip: str | None = None, line_break: str = " ") -> str:
    """The text of an XML element, with a space wherever a block, a cell or a line break meets the next.

    Joining the raw text nodes would glue "WebIDE" (a heading) to "Develop" (the next line) into a
    word that no engine can read. Children tagged ``skip`` are left out (their tails are kept); a line
    break (``<lb/>``) becomes ``line_break``.
    """
    parts: list[str] = [element.text or ""]
    for child in element:
        block = child.tag not in _XML_INLINE
        edge = line_break if child.tag == "lb" else " " if block else ""
        parts.append(edge)
        parts.append("" if child.tag == skip else _element_text(child, line_break=line_break))
        parts.append(edge)
        parts.append(child.tail or "")
    return "".join(parts)


def _shown_alone(soup: Any, text: str) -> bool:
    """Whether the page shows ``text`` as an element of its own, outside links (a standfirst, not a teaser)."""
    if len(text.split()) < _MIN_WORDS:
        return False
    body = soup.body or soup
    first = text.split()[0]
    for node in body.find_all(string=lambda s: first in s):  # the elements that could hold it
        element = node.parent
        while element is not None and element is not body and len(element.get_text()) <= 2 * len(text):
            if _squash(element.get_text(" ")) == text:
                return element.find_parent("a") is None and element.name != "a"
            element = element.parent
    return False


def _standfirsts(soup: Any, description: str | None) -> Iterator[str]:
    """The texts that may open the story, best first: the declared description where the page shows it on
    its own, then the prose set in a ``<header>`` (looked for only when the first does not lead)."""
    if description and _shown_alone(soup, declared := _squash(description)):
        yield declared
    if prose := _header_prose(soup):
        yield prose


def _header_prose(soup: Any) -> str | None:
    """The first sentence-like text set in a ``<header>`` (a standfirst the page did not declare), if any.

    Sites set the story's opening summary in the article's ``<header>``, under the headline or alone, and
    the extractor drops headers with the site's menu. Only prose counts: a paragraph of its own (or the
    header's whole text when it has no blocks) of at least twelve words ending a sentence, with no link
    and nothing the furniture rules know. ``lead_with`` then reads it only where it stands between the
    headline and the story.
    """
    for header in soup.find_all("header"):
        blocks = header.find_all(["p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "nav", "form"])
        candidates = [p for p in blocks if p.name == "p"] if blocks else [header]
        for candidate in candidates:
            text = _squash(candidate.get_text(" "))
            if len(text.split()) >= _MIN_WORDS and text[-1:] in '.!?"”’' and candidate.find("a") is None and line_reason(text) is None:
                return text
    return None


def _unread_tables(soup: Any) -> list[Dropped]:
    """Data tables left on the page (layout tables were already turned into blocks): none of them is read."""
    found = []
    for table in soup.find_all("table"):
        if table.find_parent("table") is None and len(text := _squash(table.get_text(" "))) >= 20:
            found.append(Dropped("table", text[:100]))
    return found


def _density_fallback(soup: Any) -> list[Section]:
    """Paragraph elements with sentence-like text, in page order: a last resort."""
    found = []
    for p in soup.find_all(["p", "li", "blockquote"]):
        if p.find_parent(["p", "li", "blockquote"]) is not None:
            continue
        text = _squash(p.get_text(" "))
        links = _squash(" ".join(a.get_text(" ") for a in p.find_all("a")))
        if len(text) >= 60 and re.search(r"[.!?\"”']$", text) and len(links) < 0.5 * len(text):
            found.append(text)
    if not found:
        # Text laid out with <br> rather than paragraphs: each line that reads like prose is one.
        body = soup.body or soup
        for br in body.find_all("br"):
            br.replace_with("\n")
        for line in body.get_text("").split("\n"):
            text = _squash(line)
            if len(text) >= 60 and re.search(r"[.!?\"”']$", text):
                found.append(text)
    return [Section(None, tuple(found))] if found else []


# The link to a heading's own anchor that docs and blogs print after it ("Setting up¶", "Necessary API differences #").
# ("Learning C#" keeps its sharp: a "#" counts only after a space.)
_PERMALINK = re.compile(r"(?:\s*[¶🔗]+|\s+#+)$")


def _filter_lines(sections: list[Section], title: str, authors: tuple[str, ...]) -> tuple[list[Section], list[Dropped]]:
    kept: list[Section] = []
    dropped: list[Dropped] = []
    for section in sections:
        heading = _PERMALINK.sub("", _squash(strip_footnote_markers(section.heading or ""))) or None
        if heading and apparatus_heading(heading):  # "External links[edit]" too
            dropped.append(Dropped("reference section", f"{heading}: {len(section.paragraphs)} paragraphs"))
            continue
        paragraphs = []
        for paragraph in section.paragraphs:
            reason = line_reason(paragraph, title, authors)
            if reason:
                dropped.append(Dropped(reason, paragraph[:100]))
            else:
                paragraphs.append(_squash(strip_footnote_markers(paragraph)))
        if heading and repeats_headline(heading, title):
            dropped.append(Dropped("headline repeated", heading))  # the introduction reads the title already
            heading = None
        elif heading and line_reason(heading, "", ()) is not None:
            dropped.append(Dropped("heading of furniture", heading))
            heading = None
        if paragraphs:
            kept.append(Section(heading, tuple(paragraphs)))
    return kept, dropped
