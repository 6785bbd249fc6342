"""Line rules: paragraphs and headings that are site furniture (bylines, datelines, labels), not prose."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .dates import MONTH_RE

if TYPE_CHECKING:
    pass


_MONTH = MONTH_RE
_DAY = r"(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?"
_CLOCK = r"\d{1,2}[:.]\d{2}( ?[ap]\.?m\.?)?( [a-z]{2,4})?"
_ROLE = r"(?i:(additional )?reporting|writing|editing)"
# One person's name, two to four capitalised words: "Steven Lee Myers", "Bradley M. Kuhn".
_PERSON = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}"
# "By" in the languages whose bylines the rules know.
_BY_WORDS = r"by|por|par|von|door|av"
# "Photo" in the languages whose pages set a credit with it, for credits on a line of their own and inside one.
PHOTO_WORDS = r"(?i:photos?|fotos?|fotó|фото|zdjęcie|bild|kuva|사진|写真|照片|图片|圖片|صورة)"
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
    # The same in other languages, and fastened with "=" as Korean news sets it: "사진=JTBC", "Foto: dpa", "Фото: РИА".
    ("credit", re.compile(rf"^[(\[]?{PHOTO_WORDS}\s*[:=/].{{0,160}}$")),
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


# --- template markup ----------------------------------------------------------------------------------
# A site's shortcodes and template tags that reached the page's text unrendered: "[button link=… type="big"]
# More bikes[/button]", "[caption id=…]…[/caption]", "{{ author.name }}", "{% include ad.html %}". A widget's
# shortcode is left out with what it wraps (a button's label, a caption); any other keeps its words.
_WIDGETS = (
    "button|caption|gallery|embed|video|audio|playlist|contact-form(?:-7)?|mc4wp_form|wpforms|gravityform|ad|adsense|ads|"
    "tweet|twitter|instagram|youtube|vimeo|soundcloud|spotify|facebook|related|related_posts|newsletter|subscribe|"
    "cta|social|share|sharing|poll|signup|form|iframe|product|products|shop|widget|slider|map"
)
_WIDGET_PAIR = re.compile(rf"\[({_WIDGETS})(?:\s[^\]]*)?\].*?\[/\1\]", re.I | re.S)
_ANY_PAIR = re.compile(r"\[([a-z][\w-]*)(?:\s[^\]]*)?\](.*?)\[/\1\]", re.I | re.S)
_SHORTCODE = re.compile(r"\[/?[a-z][\w-]*(?:\s+[\w-]+\s*=\s*(?:\"[^\"\]]*\"|'[^'\]]*'|[^\s\]]+))+\s*/?\]|\[/[a-z][\w-]*\]", re.I)
_TEMPLATE = re.compile(r"\{\{.{0,200}?\}\}|\{%.{0,200}?%\}|\{#.{0,200}?#\}", re.S)


def without_template_markup(text: str) -> tuple[str, list[str]]:
    """``text`` without unrendered shortcodes and template tags, and the pieces taken out."""
    taken: list[str] = []

    def take(m: re.Match[str]) -> str:
        taken.append(m.group(0))
        return " "

    text = _WIDGET_PAIR.sub(take, text)

    def unwrap(m: re.Match[str]) -> str:
        taken.append(m.group(0))
        return f" {m.group(2)} "

    text = _ANY_PAIR.sub(unwrap, text)
    for pattern in (_SHORTCODE, _TEMPLATE):
        text = pattern.sub(take, text)
    if taken:
        text = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(text.split()))
    return text, taken
