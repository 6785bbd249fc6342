"""Stage 2: find the article body and its metadata in a loaded source."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .clean import Dropped, apparatus_heading, line_reason, prune_clutter, strip_footnote_markers, unwrap_layout_tables
from .errors import ExtractionError
from .models import Article, Section, Source

LOGGER = logging.getLogger(__name__)

_MIN_WORDS = 12
_RESCUE_SHARE = 0.6
_FILL_MISSING_SHARE = 0.2
_SPACE_RE = re.compile(r"\s+")


@dataclass
class Extraction:
    """An article together with an account of what was left out."""

    article: Article
    dropped: list[Dropped] = field(default_factory=list)


def extract_article(source: Source, include_tables: bool = False) -> Article:
    """Return the readable article in ``source``; raise ExtractionError when there is none."""
    return explain_extraction(source, include_tables).article


def explain_extraction(source: Source, include_tables: bool = False) -> Extraction:
    """Like extract_article, but also report every dropped element and why."""
    text = source.text()
    if source.kind == "html":
        result = _extract_html(text, source, include_tables)
    elif source.kind == "markdown":
        result = Extraction(_extract_markdown(text, source))
    else:
        result = Extraction(_extract_plain(text, source))
    # A web page whose "article" is a couple of words is a menu or an error page, not a story.
    if not result.article.paragraphs or (source.kind == "html" and result.article.word_count < 3):
        raise ExtractionError("no article text found", source.name)
    return result


def _squash(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _fallback_title(source: Source) -> str:
    if source.name == "-":
        return "Untitled article"
    stem = Path(source.name.rstrip("/").split("?")[0]).stem
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled article"


# --- HTML ---------------------------------------------------------------------------------


def _extract_html(html: str, source: Source, include_tables: bool) -> Extraction:
    import trafilatura
    from bs4 import BeautifulSoup
    from trafilatura.metadata import extract_metadata

    try:
        soup = BeautifulSoup(html, "lxml")
    except Exception as exc:  # noqa: BLE001  # the parser's own errors vary; any of them means unreadable HTML
        raise ExtractionError(f"HTML cannot be parsed ({exc})", source.name) from None
    meta = _page_metadata(soup)
    try:
        tmeta = extract_metadata(html, default_url=source.url)
    except Exception:  # metadata is a bonus; a failure here must not lose the article
        LOGGER.debug("trafilatura metadata failed for %s", source.name, exc_info=True)
        tmeta = None
    title = _squash(meta.get("title") or (tmeta.title if tmeta else None) or "") or _fallback_title(source)
    if meta.get("author"):
        authors = _split_authors(meta["author"])
    else:
        # The extractor's own guess, kept only where the page shows it outside menus, forms and hidden
        # elements: a wrong name read aloud is worse than none.
        authors = _shown_authors(_split_authors(tmeta.author if tmeta else None), _visible_text(soup))
    dropped = prune_clutter(soup)
    unwrap_layout_tables(soup)
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
    # 3. and when neither finds prose, the paragraph-density fallback.
    sections = run(precision=True)
    generous = run(precision=False)
    chosen = True
    if words(sections) < _RESCUE_SHARE * words(generous):
        sections, chosen = generous, False
    else:
        sections = _fill_gaps(sections, generous)
    if words(sections) < _MIN_WORDS:
        sections = _density_fallback(soup)
    sections, line_drops = _filter_lines(sections, title, authors)
    dropped.extend(line_drops)
    dropped.extend(code_dropped[chosen])
    if not include_tables:
        dropped.extend(_unread_tables(soup))
    article = Article(
        title=title,
        sections=tuple(sections),
        authors=authors,
        site_name=meta.get("site_name") or (tmeta.sitename if tmeta else None),
        date=_iso_date(meta.get("date") or (tmeta.date if tmeta else None)),
        url=meta.get("url") or source.url or (tmeta.url if tmeta else None),
        language=meta.get("language") or (tmeta.language if tmeta else None),
        description=meta.get("description") or (tmeta.description if tmeta else None),
        image=meta.get("image") or (tmeta.image if tmeta else None),
        source=source.name,
    )
    return Extraction(article, dropped)


def _fill_gaps(precise: list[Section], generous: list[Section]) -> list[Section]:
    """The precise pass's span of the page, with what the generous pass found inside that span.

    A precision-minded extractor drops short list items, block quotes and asides *inside* a story as
    readily as the teasers around it. Whatever a recall-minded pass finds between the first and the
    last block the precise pass kept is read; what lies outside that span is not. When the two passes
    disagree on the story itself (the generous pass lacks much of what the precise one kept), the
    precise pass stands alone.
    """
    blocks = _blocks(generous)
    kept = {text for _, text in _blocks(precise)}
    inside = [i for i, (_, text) in enumerate(blocks) if text in kept]
    found = {text for _, text in blocks}
    missing = sum(len(p.split()) for s in precise for p in s.paragraphs if p not in found)
    if not inside or missing > _FILL_MISSING_SHARE * sum(len(p.split()) for s in precise for p in s.paragraphs):
        return precise
    return _sections(blocks[inside[0] : inside[-1] + 1])


def _blocks(sections: list[Section]) -> list[tuple[bool, str]]:
    """Sections as a flat run of (is_heading, text)."""
    return [item for s in sections for item in ([(True, s.heading)] if s.heading else []) + [(False, p) for p in s.paragraphs]]


def _sections(blocks: list[tuple[bool, str]]) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    for is_heading, text in blocks:
        if is_heading:
            if paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = text, []
        else:
            paragraphs.append(text)
    if paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return sections


def _sections_from_xml(body: Any, include_tables: bool, dropped: list[Dropped] | None = None) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []

    def close() -> None:
        if heading is not None or paragraphs:
            sections.append(Section(heading, tuple(paragraphs)))

    for element in body:
        tag = element.tag
        if tag == "head":
            close()
            heading, paragraphs = _squash(_element_text(element)) or None, []
        elif tag == "list":
            paragraphs.extend(t for item in element.iter("item") if (t := _squash(_element_text(item))))
        elif tag == "table":
            if include_tables:
                for row in element.iter("row"):
                    cells = [_squash(_element_text(c)) for c in row.iter("cell")]
                    if any(cells):
                        paragraphs.append(", ".join(c for c in cells if c))
        elif tag == "code":
            if dropped is not None and (text := _squash(_element_text(element))):
                dropped.append(Dropped("code", text[:100]))
        elif tag == "graphic":
            continue
        else:
            text = _squash(_element_text(element))
            if text:
                paragraphs.append(text)
    close()
    return [s for s in sections if s.paragraphs]


# Inline markup in the extractor's XML; every other element is a block whose edges are word breaks.
_XML_INLINE = frozenset({"hi", "ref", "del", "span", "sub", "sup"})


def _element_text(element: Any) -> str:
    """The text of an XML element, with a space wherever a block, a cell or a line break meets the next.

    Joining the raw text nodes would glue "WebIDE" (a heading) to "Develop" (the next line) into a
    word that no engine can read.
    """
    parts: list[str] = [element.text or ""]
    for child in element:
        block = child.tag not in _XML_INLINE
        parts.append(" " if block else "")
        parts.append(_element_text(child))
        parts.append(" " if block else "")
        parts.append(child.tail or "")
    return "".join(parts)


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


def _filter_lines(sections: list[Section], title: str, authors: tuple[str, ...]) -> tuple[list[Section], list[Dropped]]:
    kept: list[Section] = []
    dropped: list[Dropped] = []
    for section in sections:
        if section.heading and apparatus_heading(section.heading):
            dropped.append(Dropped("reference section", f"{section.heading}: {len(section.paragraphs)} paragraphs"))
            continue
        paragraphs = []
        for paragraph in section.paragraphs:
            reason = line_reason(paragraph, title, authors)
            if reason:
                dropped.append(Dropped(reason, paragraph[:100]))
            else:
                paragraphs.append(_squash(strip_footnote_markers(paragraph)))
        heading = section.heading
        if heading and line_reason(heading, "", ()) is not None:
            dropped.append(Dropped("heading of furniture", heading))
            heading = None
        if paragraphs:
            kept.append(Section(heading, tuple(paragraphs)))
    return kept, dropped


def _page_metadata(soup: Any) -> dict[str, str]:
    """Metadata the page declares: JSON-LD, Open Graph, meta names, ``<html lang>``."""
    found: dict[str, str] = {}

    def meta(*keys: str) -> str | None:
        for key in keys:
            tag = declared.get(key)
            if tag is not None and str(tag.get("content", "")).strip():
                return _squash(str(tag["content"]))
        return None

    # <meta> names are case-insensitive ("DC.Title", "dc.title"); the first tag of a name counts.
    declared: dict[str, Any] = {}
    for tag in soup.find_all("meta"):
        for attr in ("property", "name"):
            if isinstance(name := tag.get(attr), str):
                declared.setdefault(name.strip().casefold(), tag)

    document_title = _squash(soup.title.get_text(" ")) if soup.title else ""
    for item in _json_ld(soup):
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(isinstance(k, str) and k.endswith(("Article", "BlogPosting", "Report")) for k in kinds):
            continue
        # JSON-LD headlines are sometimes a page type ("Wikimedia list article"): take one the <title> bears out.
        for key in ("headline", "name"):
            if isinstance(item.get(key), str) and _resembles(item[key], document_title):
                found.setdefault("title", item[key])
        names = [a.get("name") if isinstance(a, dict) else a for a in _as_list(item.get("author"))]
        if names:
            found.setdefault("author", "; ".join(n for n in names if isinstance(n, str)))
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            found.setdefault("site_name", publisher["name"])
        for key, target in (("datePublished", "date"), ("description", "description"), ("url", "url")):
            if isinstance(item.get(key), str):
                found.setdefault(target, item[key])
        image = item.get("image")
        image = image[0] if isinstance(image, list) and image else image
        if isinstance(image, dict):
            image = image.get("url")
        if isinstance(image, str):
            found.setdefault("image", image)
    pairs = {
        "title": ("dc.title", "dcterms.title", "og:title", "title", "twitter:title"),
        "author": ("author", "article:author", "parsely-author", "dc.creator"),
        "site_name": ("og:site_name", "application-name"),
        "date": ("article:published_time", "datePublished", "date", "dc.date", "parsely-pub-date"),
        "description": ("og:description", "description", "twitter:description"),
        "image": ("og:image", "twitter:image"),
        "url": ("og:url",),
    }
    for target, keys in pairs.items():
        if target not in found and (value := meta(*keys)):
            found[target] = value
    title = found.get("title") or _document_title(soup, document_title)
    if title:
        found["title"] = title
    if canonical := _canonical(soup):
        found["url"] = canonical
    html = soup.find("html")
    if html and html.get("lang"):
        found["language"] = str(html["lang"]).strip()
    return {k: _squash(v) for k, v in found.items() if isinstance(v, str) and v.strip()}


def _resembles(candidate: str, document_title: str) -> bool:
    """True when most words of ``candidate`` appear in the page's <title> (or there is no <title>)."""
    if not document_title:
        return True
    words = re.findall(r"\w+", candidate.casefold())
    present = set(re.findall(r"\w+", document_title.casefold()))
    return bool(words) and sum(w in present for w in words) >= 0.75 * len(words)


def _canonical(soup: Any) -> str | None:
    link = soup.find("link", rel="canonical")
    return str(link["href"]) if link and link.get("href") else None


# " - ", " | ", " » " ... between a headline and the site's name in a <title>.
_TITLE_SEPARATOR = re.compile(r"\s+[|\-\\/>»–—·]\s+")


def _document_title(soup: Any, whole: str) -> str | None:
    """The headline inside the <title> element, whose other parts name the site or its section.

    The part before the last separator is taken when it has three words or more, else the part after
    the first; a title left with four words or fewer is kept whole, since "Mozilla" alone says less
    than "Mozilla - Wikipedia". Without separators, a "Site: Headline" title keeps the part after the colon
    unless a heading on the page repeats it whole; a title too short or too long to be a headline
    gives way to the page's only <h1>.
    """
    separators = list(_TITLE_SEPARATOR.finditer(whole))
    title = whole
    if separators:
        title = whole[: separators[-1].start()]
        if len(title.split()) < 3:
            title = whole[separators[0].end() :]
    elif ": " in whole:
        headings = {_squash(h.get_text(" ")) for h in soup.find_all(["h1", "h2"])}
        if whole not in headings:
            tail = whole.rpartition(":")[2]
            title = tail if len(tail.split()) >= 3 else whole.partition(":")[2]
            if len(tail.split()) >= 3 and len(whole.partition(":")[0].split()) > 5:
                title = whole
    elif not 15 <= len(whole) <= 150:
        h1s = soup.find_all("h1")
        if len(h1s) == 1:
            title = _squash(h1s[0].get_text(" "))
    title = _squash(title)
    # A headline of four words or fewer is kept whole, unless a path-like separator ("a / b", "a » b")
    # shows that exactly one crumb was cut off.
    crumbs = any(m.group().strip() in "\\/>»" for m in separators)
    words = len(title.split())
    if words <= 4 and (not crumbs or words != len(_TITLE_SEPARATOR.sub(" ", whole).split()) - 1):
        title = whole
    return title or None


def without_site_name(title: str, site_name: str | None, url: str | None) -> str:
    """``title`` less a trailing or leading " - Site" part that names the site (by its name or web address)."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    labels = set((urlsplit(url).hostname or "").split(".")) if url else set()

    def names_site(part: str) -> bool:
        key = re.sub(r"\W+", "", part).casefold()
        return bool(key) and (key == re.sub(r"\W+", "", site_name or "").casefold() or key in labels)

    for index in (-1, 0):
        if names_site(parts[index]):
            match = list(_TITLE_SEPARATOR.finditer(title))[index]
            return _squash(title[: match.start()] if index == -1 else title[match.end() :])
    return title


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


_LD_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


def _json_ld(soup: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        # Some pages wrap the JSON in <![CDATA[ ... ]]> or <!-- ... --> for old XHTML parsers.
        text = _LD_WRAPPER.sub("", script.string or "")
        try:
            data = json.loads(text)
        except (ValueError, TypeError):
            continue
        stack = _as_list(data)
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                items.append(item)
                stack.extend(_as_list(item.get("@graph")))
    return items


_MONTH_NAMES = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
)
_DAY_NAMES = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
_DATELINE_START = r" (\d|" + "|".join(_MONTH_NAMES) + ")"


_UNSEEN = frozenset({"script", "style", "noscript", "template", "form", "button", "select", "option", "label", "nav", "head", "title"})


def _unseen(tag: Any) -> bool:
    if tag.name in _UNSEEN or "hidden" in tag.attrs:
        return True
    classes = tag.get("class") or []
    return "hidden" in (classes.split() if isinstance(classes, str) else classes)


def _visible_text(soup: Any) -> str:
    """The page's text as a reader sees it: no scripts, menus, form labels or hidden elements."""
    return " ".join(str(s) for s in soup.find_all(string=True) if not any(_unseen(p) for p in s.parents))


def _shown_authors(names: tuple[str, ...], page_text: str) -> tuple[str, ...]:
    """The names that the page's text shows, each less a month name that belongs to a dateline after it.

    A byline run together with its date ("By Jane Roe May 18, 2017") gives "Jane Roe May"; a login
    form gives "Username". Only words the reader sees count, compared without punctuation.
    """
    words = " " + " ".join(re.findall(r"\w+", page_text.casefold())) + " "
    dated = _MONTH_NAMES | _DAY_NAMES
    shown = []
    for name in names:
        tokens = re.findall(r"\w+", name.casefold())
        if len(tokens) > 2 and tokens[-1] in dated and re.search(re.escape(" ".join(tokens)) + _DATELINE_START, words):
            tokens = tokens[:-1]
            name = re.sub(r"\W*\w+\W*$", "", name)
        if not tokens or any(t.isdigit() for t in tokens) or (len(tokens) == 1 and tokens[0] in dated):
            continue
        if f" {' '.join(tokens)} " in words:
            shown.append(name)
    return tuple(shown)


def _split_authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    parts = re.split(r"\s*(?:;|\||,(?!\s*(?:Jr|Sr)\b)|\band\b)\s*", value)
    seen: list[str] = []
    for part in parts:
        name = _squash(re.sub(r"^by\s+", "", part, flags=re.I))
        if name and name not in seen and not name.startswith(("http://", "https://")):
            seen.append(name)
    return tuple(seen)


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if match:
        return match.group(0)
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None


# --- Markdown and plain text ------------------------------------------------------------------


def _extract_markdown(text: str, source: Source) -> Article:
    from markdown_it import MarkdownIt

    front: dict[str, str] = {}
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            if value.strip():
                front[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end() :]
    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[tuple[str, str]] = []
    kind = "p"
    for token in tokens:
        if token.type == "heading_open":
            kind = token.tag
        elif token.type == "paragraph_open":
            kind = "p"
        elif token.type == "inline":
            words = _squash("".join(_inline_text(c) for c in token.children or []))
            if words:
                blocks.append((kind, words))
    title = front.get("title")
    if title is None and blocks and blocks[0][0] == "h1":
        title = blocks.pop(0)[1]
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    for kind, words in blocks:
        if kind.startswith("h"):
            if heading is not None or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = words, []
        else:
            paragraphs.append(strip_footnote_markers(words))
    if heading is not None or paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return Article(
        title=title or _fallback_title(source),
        sections=tuple(s for s in sections if s.paragraphs),
        authors=_split_authors(front.get("author")),
        site_name=front.get("site") or front.get("site_name"),
        date=_iso_date(front.get("date")),
        url=front.get("url") or source.url,
        language=front.get("lang") or front.get("language"),
        description=front.get("description"),
        image=front.get("image"),
        source=source.name,
    )


def _inline_text(token: Any) -> str:
    if token.type in {"text", "code_inline"}:
        return str(token.content)
    if token.type in {"softbreak", "hardbreak"}:
        return " "
    if token.type == "html_inline":
        return ""
    return ""


def _extract_plain(text: str, source: Source) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1 and text.count("\n") > 3:
        blocks = [b for b in text.split("\n") if b.strip()]
    paragraphs = [_squash(b) for b in blocks]
    title = None
    if len(paragraphs) > 1 and len(paragraphs[0]) <= 150 and not re.search(r"[.!?:;,]$", paragraphs[0]):
        title = paragraphs.pop(0)
    return Article(
        title=title or _fallback_title(source),
        sections=(Section(None, tuple(paragraphs)),) if paragraphs else (),
        url=source.url,
        source=source.name,
    )
