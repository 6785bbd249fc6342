"""Page clutter rules: which elements and lines a narrator must never read, and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .vocabulary import MONTH_RE

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

# Elements that never hold article prose.
_DROP_TAGS: dict[str, str] = {
    "script": "script",
    "style": "style",
    "noscript": "script",
    "template": "script",
    "svg": "graphic",
    "canvas": "graphic",
    "iframe": "embed",
    "object": "embed",
    "video": "embed",
    "audio": "audio player",
    "form": "form",
    "button": "button",
    "select": "form",
    "input": "form",
    "nav": "navigation",
    "aside": "aside",
    "footer": "footer",
    "figcaption": "caption",
    "dialog": "dialog",
}
_DROP_ROLES: dict[str, str] = {
    "navigation": "navigation",
    "complementary": "aside",
    "banner": "banner",
    "contentinfo": "footer",
    "dialog": "dialog",
    "search": "form",
    "alert": "banner",
}
# class/id words (matched as whole words inside hyphen/underscore-joined names) and what they mark.
_CLUTTER_WORDS: dict[str, str] = {
    "related": "related-story card",
    "recommended": "related-story card",
    "recirculation": "related-story card",
    "readmore": "related-story card",
    "read-more": "related-story card",
    "more-news": "news feed",
    "newsfeed": "news feed",
    "news-feed": "news feed",
    "feed": "news feed",
    "ticker": "news feed",
    "trending": "related-story card",
    "popular": "related-story card",
    "newsletter": "newsletter form",
    "subscribe": "newsletter form",
    "subscription": "newsletter form",
    "signup": "newsletter form",
    "membership": "membership appeal",
    "donate": "membership appeal",
    "donation": "membership appeal",
    "support-us": "membership appeal",
    "paywall": "membership appeal",
    "promo": "promotion",
    "interstitial": "promotion",  # a link to another story set between paragraphs, or a full-page advertisement
    "banner": "banner",
    "cookie": "cookie notice",
    "consent": "cookie notice",
    "gdpr": "cookie notice",
    "share": "share bar",
    "sharing": "share bar",
    "social": "share bar",
    "ad": "advertisement",
    "ads": "advertisement",
    "advert": "advertisement",
    "advertisement": "advertisement",
    "sponsor": "advertisement",
    "sponsored": "advertisement",
    "caption": "caption",
    "gallerytext": "caption",
    "gallerycaption": "caption",
    "credit": "credit",
    "credits": "credit",
    "audio-player": "audio player",
    "player": "audio player",
    "listen": "audio player",
    "skip-link": "navigation",
    "skip": "navigation",
    "breadcrumb": "navigation",
    "breadcrumbs": "navigation",
    "menu": "navigation",
    "comments": "comments",
    "comment-list": "comments",
    "disqus": "comments",
    "tags": "tag list",
    "tag-list": "tag list",
    "topics": "tag list",
    "byline": "byline",
    "dateline": "dateline",
    "timestamp": "dateline",
    "author-bio": "author box",
    "toolbar": "share bar",
    "print-only": "hidden",
    "sr-only": "hidden",
    "visually-hidden": "hidden",
}
# A word after "no"/"non"/"not"/"without" says the element lacks the thing: "no_caption" marks a list item
# whose picture has no caption, and its text is the story.
_WORD_RE = re.compile(
    r"(?:^|[-_\s])(?:(no|non|not|without)[-_])?("
    + "|".join(sorted((re.escape(w) for w in _CLUTTER_WORDS), key=len, reverse=True))
    + r")(?=$|[-_\s])",
    re.I,
)
_PROTECTED = {"html", "body", "main", "article"}

_MONTH = MONTH_RE
_DAY = r"(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?"
_CLOCK = r"\d{1,2}[:.]\d{2}( ?[ap]\.?m\.?)?( [a-z]{2,4})?"
_ROLE = r"(?i:(additional )?reporting|writing|editing)"
# One person's name, two to four capitalised words: "Steven Lee Myers", "Bradley M. Kuhn".
_PERSON = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}"
# "By" in the languages whose bylines the rules know.
_BY_WORDS = r"by|por|par|von|door|av"
# A list of names: "Jane Roe", "Jane Roe and John Doe in Cairo" (each word capitalised).
_NAMES = r"[A-Z][\w'’.-]*(?:(?:\s|,\s?|\sand\s|\sin\s)[A-Z][\w'’.-]*)*"

# Whole lines that are site furniture, not prose.
_LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("audio label", re.compile(r"^(this )?(audio|narration|article audio)\b.{0,60}\b(created|generated|produced|voiced)\b.{0,40}$", re.I)),
    ("audio label", re.compile(r"^(listen to|play) (this|the) (article|story)\b.{0,40}$", re.I)),
    ("navigation", re.compile(r"^skip to (main )?content\.?$", re.I)),
    ("navigation", re.compile(r"^from the section [\w &,'’-]{1,40}$", re.I)),
    # A breadcrumb trail: "Home > World > Europe", three or more short steps and no sentence end.
    ("navigation", re.compile(r"^[^>›»\n]{1,40}( [>›»] [^>›»\n]{1,60}){2,}(?<![.!?。])$")),
    (
        "related-story card",
        re.compile(r"^(read more|related(?! to\b)( stories| articles)?|see also|editors'? picks|most read)\b.{0,80}$", re.I),
    ),
    # "More news", "More games news:", "More world coverage" over a list of links (not "More news is expected ...").
    ("related-story card", re.compile(r"^more( [\w'’-]+){0,3} (news|stories|coverage|reading)\s*:?$", re.I)),
    (
        "newsletter form",
        re.compile(
            r"^(\* ?indicates required|enter your e-?mail.{0,40}|please,? enter (a )?(correct|valid) e-?mail.{0,20}"
            r"|subscribe( now| to .{0,40})?|sign up .{0,60}newsletter.{0,40}|successfully subscribed|successfuly subscribed)\.?$",
            re.I,
        ),
    ),
    ("updated line", re.compile(r"^(updated|published|last updated|posted)( on| at)?:? .{0,40}\d.{0,30}$", re.I)),
    ("credit", re.compile(r"^\(?(all )?(photo|image|illustration|video)( credit)?s?:.{0,200}$", re.I)),
    ("credit", re.compile(r"^\((photo|image|illustration)s? (by|courtesy|credit)\b.{0,160}\)$", re.I)),
    # "Photos by Jane Roe (Agency), John Doe" but not "Photos by amateur astronomers show the comet's tail."
    (
        "credit",
        re.compile(
            r"^(top |lead |header )?(photo|image|illustration|graphic)s? (by|courtesy of|via) "
            r"(?!.*\b(is|are|was|were|show|shows|showed|reveal|reveals|revealed|capture|captures|captured|has|have|had)\b)[^.!?]{0,300}\.?$",
            re.I,
        ),
    ),
    # A wire caption ends with its credit: "... on a launch pad. (Jane Roe/Agency photo via AP)".
    (
        "caption",
        re.compile(
            r"^.*\((?=[^()]*(/|\bvia\b|\bby\b|\bcourtesy\b|\bAFP\b|\bGetty\b|\bReuters\b))"
            r"(?=[^()]*\b(photo|photograph|image)s?\b)[^()]{3,200}\)$",
            re.I | re.S,
        ),
    ),
    ("advertisement", re.compile(r"^(advertisement|sponsored content|story continues below( advertisement)?)$", re.I)),
    ("share bar", re.compile(r"^(share( this( article| story)?)?( on)?|tweet|copy link|print)$", re.I)),
    (
        "share bar",
        re.compile(
            r"^(bookmark|save( this)?( article| story)?|gift( this)? (article|story)|print this (page|article|story)"
            r"|e-?mail this (article|story)|follow us( on [\w ,]{1,40})?)\.?$",
            re.I,
        ),
    ),
    ("tag list", re.compile(r"^(tags|topics|related topics|filed under|categories|category)\s*:[^.!?]{0,200}$", re.I)),
    ("dateline", re.compile(rf"^({_DAY},? )?{_MONTH}\.? \d{{1,2}},? \d{{4}}(,? (at )?{_CLOCK})?( by .{{1,40}})?$", re.I)),
    ("dateline", re.compile(rf"^({_DAY},? )?\d{{1,2}} {_MONTH}\.?,? \d{{4}}(,? (at )?{_CLOCK})?( by .{{1,40}})?$", re.I)),
    # A wiki article's map coordinates: "Coordinates: 42°S 174°E / 42°S 174°E".
    ("coordinates", re.compile(r"^coordinates\s*:\s*[-\d°′″'\".,;:\s/nsew\ufeff]+$", re.I)),
    ("dateline", re.compile(rf"^\d{{1,2}}/\d{{1,2}}/\d{{2,4}}( {_CLOCK})?( by .{{1,40}})?$", re.I)),
    ("dateline", re.compile(rf"^\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}},?( {_CLOCK})?( uhr| h)?$", re.I)),  # "08.04.2015 12:46"
    # The signature line of an embedded post: "— West Ham United (@WestHam) October 31, 2021".
    ("credit", re.compile(rf"^[—–-] ?[^()]{{1,80}} \(@\w{{1,30}}\)( on)? {_MONTH}\.? \d{{1,2}},? \d{{4}}$", re.I)),
    # "CNNMoney (New York) First published February 1, 2016: 1:28 AM ET": a clock time marks it as furniture.
    (
        "updated line",
        re.compile(rf"^.{{0,60}}\b(first )?(published|updated):? (on )?{_MONTH}\.? \d{{1,2}},? \d{{4}}\W{{0,3}}(at )?{_CLOCK}$", re.I),
    ),
    ("copyright", re.compile(r"^((copyright|©|\(c\))\s.{0,150}|.{0,100}all rights reserved\.?)$", re.I)),
    # "This website and all documents on it are licensed under a Creative Commons … License."
    (
        "copyright",
        re.compile(
            r"^(this (web ?site|site|blog|work|page|article|post|document)s?|(all )?(site )?(content|text|articles|posts))\b"
            r".{0,80}\blicen[cs]ed under\b.{0,120}$",
            re.I,
        ),
    ),
    ("comments", re.compile(r"^(\d+ )?comments?( \(\d+\))?$", re.I)),
    (
        "credit",
        re.compile(rf"^\(?{_ROLE} by {_NAMES}(;\s*{_ROLE} by {_NAMES})*\.?\)?$"),
    ),
    # A reviewer's line under the byline ("Reviewed by Hansa D. Bhargava, MD"); the byline's own label left
    # alone when the site put the name elsewhere ("By", "Por").
    ("byline", re.compile(rf"^(?i:(medically |clinically )?(reviewed|fact[- ]checked)) by {_NAMES}\.?$")),
    ("byline", re.compile(rf"^({_BY_WORDS}|di)$", re.I)),
    # A byline on a line of its own, the names unknown to the page's metadata: "By John Gruber", "Por Jane Roe,
    # John Doe y Ana Ruiz".
    ("byline", re.compile(rf"^(?i:{_BY_WORDS}) {_PERSON}((, | (?:and|y|e|et|und|en|och|og) ){_PERSON}){{0,5}}$")),
    # "Posted by Jane Roe, Software Engineer on the Play team"
    ("byline", re.compile(rf"^(?i:posted|written) (?i:by) {_PERSON}(, [^.!?]{{1,60}})?$")),
    ("citation", re.compile(r"^\^ ")),
)
# Sections that hold apparatus, not the story.
_APPARATUS = re.compile(r"^((normative |informative )?references|notes|footnotes|citations|sources|bibliography|further reading|"
                        r"external links|see also|related (articles|stories|posts)|more from .{1,40}|read next|you may also like|"
                        r"comments?|authors?['’]? addresse?s?)$", re.I)  # fmt: skip
_SECTION_NUMBER = re.compile(r"^(\d+\.)*\d+\.?\s+")


def apparatus_heading(heading: str) -> bool:
    """True for headings of reference lists, link lists and similar sections that are not read ("17.1. References" too)."""
    return bool(_APPARATUS.match(_SECTION_NUMBER.sub("", " ".join(heading.split())).rstrip(":")))


# Citation markers, and the "[edit]" link a wiki puts after each heading.
_FOOTNOTE_RE = re.compile(r"(?<=\S)\[(?:\d{1,3}|[a-z]|citation needed|note \d+|edit)\]", re.I)


@dataclass(frozen=True)
class Dropped:
    """One piece of a page left out of the narration."""

    reason: str
    """Why it was left out (``navigation``, ``caption``, ``newsletter form`` ...)."""
    text: str
    """The text it held, shortened for display."""


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _prose_only(tag: Tag) -> bool:
    """Whether ``tag`` holds a sentence or more of plain text and nothing else: no link, block or image
    (the standfirst a site sets straight into the story's ``<header>``)."""
    if tag.find(True) is not None and tag.find(lambda t: t.name not in INLINE_TAGS or t.name in {"a", "img"}) is not None:
        return False
    text = " ".join(tag.get_text(" ").split())
    return len(text.split()) >= 12 and text[-1:] in '.!?"”’'


def clutter_reason(tag: Tag) -> str | None:
    """Why ``tag`` is page clutter by its own name, class, id, role or attributes, or None."""
    name = tag.name or ""
    if name in _DROP_TAGS:
        return _DROP_TAGS[name]
    attrs = tag.attrs or {}
    # aria-hidden is left alone: sites set it on the whole page behind an open story overlay.
    if "hidden" in attrs:
        return "hidden"
    style = str(attrs.get("style", "")).replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "hidden"
    role = str(attrs.get("role", "")).lower()
    if role in _DROP_ROLES:
        return _DROP_ROLES[role]
    if name == "header" and not tag.find(["p"], recursive=True) and not _prose_only(tag):
        return "header"
    names: list[str] | str = attrs.get("class") or []
    if isinstance(names, str):
        names = names.split()
    for value in [*names, str(attrs.get("id", ""))]:
        # A long hyphenated id is a heading's slug ("sharing-with-a-single-developer"), not a widget name.
        if len(re.split(r"[-_]", value)) > 4:
            continue
        match = next((m for m in _WORD_RE.finditer(value) if not m.group(1)), None)
        if match:
            reason = _CLUTTER_WORDS[match.group(2).lower()]
            if reason != "hidden" and name in INLINE_TAGS and inside_prose(tag):
                return None  # a link or emphasis within a sentence is part of it, whatever its class says
            return reason
    return None


# Blocks that hold sentences: an inline element inside one with words of its own around it is part of a sentence.
SENTENCE_BLOCKS = frozenset({"p", "li", "blockquote"})
INLINE_TAGS = frozenset({"a", "span", "em", "strong", "b", "i", "u", "abbr", "cite", "q", "mark", "small", "sup", "sub", "time"})


def inside_prose(tag: Tag, lengths: dict[int, int] | None = None) -> bool:
    """True when ``tag`` sits in a paragraph that has words of its own around it.

    ``lengths`` keeps each paragraph's text length once measured, for callers that ask of many tags.
    """
    parent = next((p for p in tag.parents if p.name in SENTENCE_BLOCKS), None)
    if parent is None:
        return False
    if lengths is None:
        lengths = {}
    if id(parent) not in lengths:
        lengths[id(parent)] = len(parent.get_text(" ", strip=True))
    return lengths[id(parent)] > len(tag.get_text(" ", strip=True)) + 20


def was_removed(tag: Tag) -> bool:
    """Whether ``tag`` went with an element removed earlier.

    bs4's own ``Tag.decomposed`` looks the flag up with getattr, which on a tag that was never removed
    falls through to a search of its whole subtree for a child named "_decomposed": asked of every
    element of a page, that walk made pruning quadratic in the page's size.
    """
    return bool(vars(tag).get("_decomposed", False))


def _paragraph_text(tag: Tag) -> int:
    return sum(len(p.get_text(" ", strip=True)) for p in tag.find_all("p"))


def prune_clutter(soup: BeautifulSoup) -> list[Dropped]:
    """Remove clutter elements from ``soup`` in place; return what went and why.

    An element that holds most of the page's text or of its paragraphs is never removed,
    whatever its class says: a class name like ``post has-related`` must not cost the article.
    """
    body = soup.body or soup
    total = max(len(body.get_text(" ", strip=True)), 1)
    prose = _paragraph_text(body)
    dropped: list[Dropped] = _prune_dismissable(body)  # first: the close control is a <button>, which goes next
    for tag in list(body.find_all(True)):
        if was_removed(tag) or tag.name in _PROTECTED:
            continue
        reason = clutter_reason(tag)
        if reason is None:
            continue
        text = tag.get_text(" ", strip=True)
        if len(text) > 0.5 * total and reason not in {"script", "style", "hidden"}:
            continue
        # Nor one that holds most of the page's paragraphs: a story shown in a "modal" or a "read-more" wrapper.
        if prose > 500 and reason not in {"script", "style", "hidden"} and _paragraph_text(tag) > 0.4 * prose:
            continue
        if text and reason not in {"script", "style"}:
            dropped.append(Dropped(reason, _short(text)))
        tag.decompose()
    dropped.extend(_prune_teaser_cards(body, total, prose))
    return dropped


# A control that closes what it sits in: its whole text is a cross, or its name or label says so.
_CLOSE_MARKS = frozenset({"×", "✕", "✖", "╳"})
_CLOSE_NAME = re.compile(r"(?:^|[-_\s])(close|dismiss)(?=$|[-_\s])", re.I)
_CONTROL_TAGS = frozenset({"button", "a", "span", "em", "i", "div"})
_NOTICE_MAX_WORDS = 60
_NOTICE_BLOCKS = ["div", "section", "aside", "header", "footer", "form", "p"]


def _closes(tag: Tag) -> bool:
    """Whether ``tag`` is a control that closes what it sits in: a button or link whose whole text is a
    cross, or a short element whose class, id, label or action says "close" or "dismiss".

    A cross in a plain ``<span>`` is not enough: "3 <span>×</span> 4" is arithmetic in a sentence. The
    tests on the name and attributes come first, since this runs on every element of the page.
    """
    if tag.name not in _CONTROL_TAGS:
        return False
    labels = [*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("aria-label") or ""), str(tag.get("action-type") or "")]
    named = any(_CLOSE_NAME.search(label) for label in labels)
    if not named and tag.name not in {"button", "a"} and str(tag.get("role") or "") != "button":
        return False
    text = tag.get_text(strip=True)
    # (A letter x only on a button: a link named "X" is the social network.)
    return (named and len(text) <= 12) or text in _CLOSE_MARKS or (text in {"x", "X"} and tag.name == "button")


def _prune_dismissable(body: Tag) -> list[Dropped]:
    """Remove short notices that carry their own close control: a browser-update prompt, an app banner.

    A story has no "×" to dismiss it; a notice that does ("Update your browser ... Update now ×") is
    furniture whatever its class is called. Only the nearest block around the control goes, and only
    when it is short.
    """
    dropped: list[Dropped] = []
    for control in body.find_all(_closes):
        if was_removed(control):
            continue
        notice = control.find_parent(_NOTICE_BLOCKS)
        text = notice.get_text(" ", strip=True) if notice is not None else ""
        if notice is None or notice is body or len(text.split()) > _NOTICE_MAX_WORDS or len(text) > 6 * _NOTICE_MAX_WORDS:
            continue  # (the length in characters bounds text written without spaces)
        if text:
            dropped.append(Dropped("banner", _short(text)))
        notice.decompose()
    return dropped


_CARD_HEADINGS = ["h2", "h3", "h4", "h5", "h6"]
_CARD_MAX_WORDS = 80


def _links_elsewhere(heading: Tag) -> bool:
    """True for a heading that is (mostly) a link to another page, the way a story card's headline is."""
    text = heading.get_text(" ", strip=True)
    links = " ".join(a.get_text(" ", strip=True) for a in heading.find_all("a", href=True) if not str(a["href"]).startswith("#"))
    return bool(text) and len(links) >= 0.5 * len(text)


def _prune_teaser_cards(body: Tag, total: int, prose: int) -> list[Dropped]:
    """Remove teaser cards that stand side by side: a short block around one linked headline, two or more in a row.

    A card is the largest block around such a headline that holds no other one and has at most
    80 words; cards that share a parent form a run. A run that holds the story is kept.
    """
    headlines = [h for h in body.find_all(_CARD_HEADINGS) if _links_elsewhere(h)]
    if len(headlines) < 2:
        return []
    per_block: dict[int, int] = {}
    for headline in headlines:
        for block in headline.parents:
            per_block[id(block)] = per_block.get(id(block), 0) + 1
    runs: dict[int, list[Tag]] = {}
    for headline in headlines:
        card: Tag | None = None
        node = headline.parent
        while node is not None and node is not body and node.name not in _PROTECTED and per_block.get(id(node)) == 1:
            if len(node.get_text(" ", strip=True).split()) > _CARD_MAX_WORDS:
                break
            card, node = node, node.parent
        if card is not None and card.parent is not None:
            runs.setdefault(id(card.parent), []).append(card)
    dropped: list[Dropped] = []
    for cards in runs.values():
        if len(cards) < 2:
            continue
        text = sum(len(c.get_text(" ", strip=True)) for c in cards)
        if text > 0.5 * total or (prose > 500 and sum(_paragraph_text(c) for c in cards) > 0.4 * prose):
            continue
        for card in cards:
            dropped.append(Dropped("related-story card", _short(card.get_text(" ", strip=True))))
            card.decompose()
    return dropped


def same_words(a: str, b: str) -> bool:
    """True when two lines say the same words, whatever their case, quotes and punctuation ("I’m" and "I'm")."""
    words = re.findall(r"\w+", a.casefold())
    return bool(words) and words == re.findall(r"\w+", b.casefold())


def repeats_headline(heading: str, title: str) -> bool:
    """True for a heading that is the headline, alone or with a line run on ("… Reviewed by Jane Roe, MD")."""
    words = re.findall(r"\w+", heading.casefold())
    headline = re.findall(r"\w+", title.casefold())
    return bool(headline) and (words == headline or (len(headline) >= 4 and words[: len(headline)] == headline))


def line_reason(line: str, title: str = "", authors: tuple[str, ...] = ()) -> str | None:
    """Why a paragraph is furniture rather than prose, or None when it should be read."""
    stripped = " ".join(line.split())
    if not stripped:
        return "empty"
    if not re.search(r"[^\W_]", stripped):
        return "no words"  # a rule drawn with "___", the "." left where a formula was
    for reason, pattern in _LINE_RULES:
        if pattern.match(stripped):
            return reason
    if title and same_words(stripped, title):
        return "headline repeated"
    lowered = stripped.casefold()
    for author in authors:
        a = author.casefold()
        by = re.match(r"((posted|written|words|text|story) )?by ", lowered)
        if a and (lowered in {a, f"by {a}"} or (by and len(stripped) < len(author) + len(by.group()) + 40 and a in lowered)):
            return "byline"
    return None


def strip_footnote_markers(text: str) -> str:
    """Remove citation markers such as ``[1]`` glued to a word."""
    return _FOOTNOTE_RE.sub("", text)
