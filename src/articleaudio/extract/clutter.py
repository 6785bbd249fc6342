"""Element rules: which parts of a page (navigation, banners, cards, forms) a narrator never reads, and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dom import INLINE_TAGS, inside_prose, was_removed

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
