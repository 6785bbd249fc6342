"""Declared metadata: headline, site, date, language and image from meta tags, JSON-LD and <title>."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from .byline import uninverted
from .dom import squash
from .furniture import same_words


def page_metadata(soup: Any) -> dict[str, str]:
    """Metadata the page declares: JSON-LD, Open Graph, meta names, ``<html lang>``."""
    found: dict[str, str] = {}

    def meta(*keys: str) -> str | None:
        for key in keys:
            if values := declared.get(key):
                # Dublin Core gives one creator per element, often inverted ("Roe, Jane"); the others give one value.
                if key.startswith("dc") and key.endswith("creator"):
                    return "; ".join(uninverted(v) for v in values)
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
        section = item.get("articleSection")
        section = section[0] if isinstance(section, list) and section else section
        if isinstance(section, str):
            found.setdefault("section", section)
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
        "section": ("article:section", "parsely-section", "section"),
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


# A "site name" that is a copyright line ("Copyright 2014", "© Example Ltd"), or a sentence or a slogan
# ("потеря веса до 10 кг. Отзывы."): not a name to read after "Published by".
_COPYRIGHT = re.compile(r"(?i)^\W*(?:copyright|©|\(c\))|all rights reserved")
_SENTENCE_INSIDE = re.compile(r"[.!?。！？]\s+\S")


def site_name_or_host(name: str | None, url: str | None) -> str | None:
    """The site's declared name, or its host name ("gto-normativy.ru") when the name is a copyright line, a
    sentence or a slogan rather than a name (None without a URL); None when the page declares no name."""
    name = squash(name or "")
    if not name:
        return None
    named = spoken_site_name(name)  # "Example Times - Latest News & Headlines" is judged by "Example Times"
    words = named.split()
    if not (
        _COPYRIGHT.search(name)
        or _SENTENCE_INSIDE.search(named)
        or len(words) > 6
        or len(named) > 60
        or (name[-1] in ".!?。" and len(words) > 2)
        or not any(ch.isalpha() for ch in named)
    ):
        return name
    host = (urlsplit(url).hostname or "") if url else ""
    host = re.sub(r"^(?:www\d?|m|amp)\.", "", host)
    return host or None


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
