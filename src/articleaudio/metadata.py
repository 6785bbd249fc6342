"""What a page declares about itself (title, byline, site, date, image) and how far to trust it."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from .clean import same_words
from .vocabulary import MONTHS, WEEKDAYS


def squash(text: str) -> str:
    """``text`` with every run of white space made one space, trimmed."""
    return " ".join(text.split())


def page_metadata(soup: Any) -> dict[str, str]:
    """Metadata the page declares: JSON-LD, Open Graph, meta names, ``<html lang>``."""
    found: dict[str, str] = {}

    def meta(*keys: str) -> str | None:
        for key in keys:
            if values := declared.get(key):
                # Dublin Core gives one creator per element, often inverted ("Roe, Jane"); the others give one value.
                if key.startswith("dc") and key.endswith("creator"):
                    return "; ".join(_uninverted(v) for v in values)
                return values[0]
        return None

    # <meta> names are case-insensitive ("DC.Title", "dc.title"), and a property may hold several names
    # separated by spaces ("dc:title og:title"). Every tag with content counts, in page order.
    declared: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        content = squash(str(tag.get("content") or ""))
        for attr in ("property", "name"):
            if content and isinstance(names := tag.get(attr), str):
                for name in names.casefold().split():
                    declared.setdefault(name, []).append(content)

    document_title = squash(soup.title.get_text(" ")) if soup.title else ""
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
        "title": ("dc:title", "dc.title", "dcterms:title", "dcterms.title", "og:title", "title", "twitter:title"),
        "author": ("dc:creator", "dc.creator", "dcterms:creator", "dcterms.creator", "author", "article:author", "parsely-author"),
        "site_name": ("og:site_name", "application-name"),
        "date": ("article:published_time", "datepublished", "date", "dc:date", "dc.date", "dcterms:created", "parsely-pub-date"),
        "description": ("dc:description", "dc.description", "og:description", "description", "twitter:description"),
        "image": ("og:image", "twitter:image"),
        "url": ("og:url",),
    }
    for target, keys in pairs.items():
        if target not in found and (value := meta(*keys)):
            found[target] = value
    title = found.get("title")
    if title and document_title and not _resembles(title, document_title):
        # A declared title that is the site's name or tagline ("Yahoo News - Latest News & Headlines") gives
        # way when the <title> and the page's <h1> agree on the story's headline.
        headline = _document_title(soup, document_title)
        if headline and any(same_words(h.get_text(" "), headline) for h in soup.find_all("h1")):
            title = headline
    title = title or _document_title(soup, document_title)
    if title:
        found["title"] = title
    if canonical := _canonical(soup):
        found["url"] = canonical
    html = soup.find("html")
    if html and html.get("lang"):
        found["language"] = str(html["lang"]).strip()
    return {k: squash(v) for k, v in found.items() if isinstance(v, str) and v.strip()}


def _uninverted(name: str) -> str:
    """ "Roe, Jane" as "Jane Roe"; "Jong, Michiel de" as "Michiel de Jong"; anything else as it is.

    Only a one-word surname (lower-case particles aside) before a single comma is taken as inverted:
    "Jane Roe, John Doe" names two people, and "Jane Roe, MD" one with a degree.
    """
    surname, comma, given = name.partition(",")
    capitals = [w for w in surname.split() if w[:1].isupper()]
    if not comma or "," in given or not given.strip() or _SUFFIX.match(given.strip()) or len(capitals) != 1:
        return name
    return f"{given.strip()} {surname.strip()}"


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
        headings = {squash(h.get_text(" ")) for h in soup.find_all(["h1", "h2"])}
        if whole not in headings:
            tail = whole.rpartition(":")[2]
            title = tail if len(tail.split()) >= 3 else whole.partition(":")[2]
            if len(tail.split()) >= 3 and len(whole.partition(":")[0].split()) > 5:
                title = whole
    elif not 15 <= len(whole) <= 150:
        h1s = soup.find_all("h1")
        if len(h1s) == 1:
            title = squash(h1s[0].get_text(" "))
    title = squash(title)
    # A headline of four words or fewer is kept whole, unless a path-like separator ("a / b", "a » b")
    # shows that exactly one crumb was cut off.
    crumbs = any(m.group().strip() in "\\/>»" for m in separators)
    words = len(title.split())
    if words <= 4 and (not crumbs or words != len(_TITLE_SEPARATOR.sub(" ", whole).split()) - 1):
        title = whole
    return title or None


def without_site_name(title: str, site_name: str | None, url: str | None, authors: tuple[str, ...] = ()) -> str:
    """``title`` less its trailing or leading " - Site" parts that name the site (by its name or web
    address) or one of the authors, who are named on lines of their own."""
    labels = set((urlsplit(url).hostname or "").split(".")) if url else set()
    names = {re.sub(r"\W+", "", n).casefold() for n in (site_name or "", *authors)} - {""}

    def names_site(part: str) -> bool:
        key = re.sub(r"\W+", "", part).casefold()
        return bool(key) and (key in names or key in labels)

    while len(separators := list(_TITLE_SEPARATOR.finditer(title))) >= 1:
        if names_site(title[separators[-1].end() :]):
            title = squash(title[: separators[-1].start()])
        elif names_site(title[: separators[0].start()]):
            title = squash(title[separators[0].end() :])
        else:
            break
    return title


def spoken_site_name(site: str) -> str:
    """The site's name as the narrator says it, without a tagline: "Mozilla Hacks – the Web developer blog"
    is "Mozilla Hacks", "Example News | By Jane Roe" is "Example News"."""
    return _TITLE_SEPARATOR.split(site, maxsplit=1)[0].strip().rstrip(".") or site


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


_MONTH_NAMES = frozenset(m.casefold() for m in MONTHS)
_DAY_NAMES = frozenset(d.casefold() for d in WEEKDAYS.values())
_DATELINE_START = r" (\d|" + "|".join(_MONTH_NAMES) + ")"


_UNSEEN = frozenset({"script", "style", "noscript", "template", "form", "button", "select", "option", "label", "nav", "head", "title"})


def _unseen(tag: Any) -> bool:
    if tag.name in _UNSEEN or "hidden" in tag.attrs:
        return True
    classes = tag.get("class") or []
    return "hidden" in (classes.split() if isinstance(classes, str) else classes)


def visible_text(soup: Any) -> str:
    """The page's text as a reader sees it: no scripts, menus, form labels or hidden elements."""
    return " ".join(str(s) for s in soup.find_all(string=True) if not any(_unseen(p) for p in s.parents))


def shown_authors(names: tuple[str, ...], page_text: str) -> tuple[str, ...]:
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


# Element names, classes, ids, itemprops and rels that mark a visible byline.
_BYLINE_MARK = re.compile(r"byline|author", re.I)
_BYLINE_OUTSIDE = ("li", "nav", "aside", "footer")
_BYLINE_ELSEWHERE = re.compile(r"comment|related|recommend|sidebar|teaser|promo|widget", re.I)
# A person's name as a byline prints it: capitalised words, with the lower-case particles of surnames.
# A nickname in brackets may stand among them: "Richard (R.J.) Eskow".
_PERSON = re.compile(r"^[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|\([A-Z][\w'’. -]{0,20}\)|de|da|di|van|von|der|den|le|la|du|bin|al|y)){1,4}$")


def _marks(tag: Any) -> str:
    values = [tag.get(attr) for attr in ("class", "id", "itemprop", "rel")]
    return " ".join(" ".join(v) if isinstance(v, list) else str(v) for v in values if v)


def byline_names(soup: Any) -> tuple[str, ...]:
    """The names in the first visible byline element of the page ("By Jane Roe and John Doe").

    A byline element is one whose class, id, itemprop or rel says "byline" or "author", that is shown
    (not hidden, not in a menu or a form), not inside a list item, aside or footer, nor in comments or
    related-story cards (they carry their own names), short, and whose text is nothing but names after an
    optional "By".
    """
    for tag in soup.find_all(True):
        if not _BYLINE_MARK.search(_marks(tag)) or tag.find_parent(_BYLINE_OUTSIDE) is not None:
            continue
        if _BYLINE_ELSEWHERE.search(_marks(tag)) or any(_BYLINE_ELSEWHERE.search(_marks(p)) for p in tag.parents):
            continue  # a commenter's name or a teaser's byline is not the story's
        text = squash(tag.get_text(" "))
        if not text or len(text) > 100 or _unseen(tag) or any(_unseen(p) for p in tag.parents):
            continue
        names = split_authors(text)
        if names and all(_PERSON.match(n.split(", ")[0]) for n in names):  # "Jane Roe, MD" is checked as "Jane Roe"
            return names
    return ()


def split_authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    # "Written by Jane Roe Edited by John Doe": the editor or reviewer is not an author.
    value = _ROLE_TAIL.sub("", value)
    parts = re.split(r"\s*(?:;|\||,|\band\b)\s*", value)
    seen: list[str] = []
    for part in parts:
        # "Patrick Allan Profile Follow": an author card's buttons run on after the name.
        name = squash(_CONTROLS.sub("", _BY.sub("", part)))
        if seen and _SUFFIX.match(name):
            seen[-1] = f"{seen[-1]}, {name}"  # "Jane Roe, MD" and "Jane Roe; MD" are one person
        elif name and name not in seen and not name.startswith(("http://", "https://")):
            seen.append(name)
    return tuple(seen)


_CONTROLS = re.compile(
    r"(?:^|\s)(?:profile|follow|unfollow|subscribe|contact|e-?mail|twitter|facebook|instagram|linkedin)\b.*$", re.I | re.S
)
# "By", and its counterparts on pages in other languages ("por", "par", "door", "av"; "von" before a full name).
_BY = re.compile(r"^(?:(?:(?:written|posted|story|words)\s+)?by|por|par|door|av|von(?=\s+(?-i:[A-Z])\S*\s+(?-i:[A-Z])))\b\s*:?\s*", re.I)
_ROLE_TAIL = re.compile(
    r"[\s,;|]*\b(?:(?:medically\s+)?reviewed|edited|fact[\s-]checked|illustrated|photographed|translated)\s+by\b.*$", re.I | re.S
)
_SUFFIX = re.compile(r"^(Jr|Sr|II|III|IV|MD|M\.D|MA|MS|MSc|PhD|Ph\.D|RN|MPH|MBA|DO|DVM|DDS|Esq)\.?$")


def iso_date(value: str | None) -> str | None:
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
