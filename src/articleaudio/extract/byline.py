"""Bylines: the authors' names as the page shows them, without their labels."""

from __future__ import annotations

import re
from typing import Any

from .dates import MONTHS, WEEKDAYS
from .dom import squash


def uninverted(name: str) -> str:
    """ "Roe, Jane" as "Jane Roe"; "Jong, Michiel de" as "Michiel de Jong"; anything else as it is.

    Only a one-word surname (lower-case particles aside) before a single comma is taken as inverted:
    "Jane Roe, John Doe" names two people, and "Jane Roe, MD" one with a degree.
    """
    surname, comma, given = name.partition(",")
    capitals = [w for w in surname.split() if w[:1].isupper()]
    if not comma or "," in given or not given.strip() or _SUFFIX.match(given.strip()) or len(capitals) != 1:
        return name
    return f"{given.strip()} {surname.strip()}"


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
    parts = re.split(r"\s*(?:;|\||,|\band\b)\s*|\s+(?:y|e|et|und|en|och|og|i|и|і|ve|dan|và|és)\s+(?=[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄ])", value)
    seen: list[str] = []
    for part in parts:
        # "Patrick Allan Profile Follow": an author card's buttons run on after the name.
        name = squash(_BY_AFTER.sub("", _CONTROLS.sub("", _BY.sub("", part))))
        if seen and _SUFFIX.match(name):
            seen[-1] = f"{seen[-1]}, {name}"  # "Jane Roe, MD" and "Jane Roe; MD" are one person
        elif name and name not in seen and not name.startswith(("http://", "https://")):
            seen.append(name)
    return tuple(seen)


_CONTROLS = re.compile(
    r"(?:^|\s)(?:profile|follow|unfollow|subscribe|contact|e-?mail|twitter|facebook|instagram|linkedin)\b.*$", re.I | re.S
)
# "By", and the words that label a byline in other languages ("Por", "Texto:", "Текст", "Autor:", "글:", "作者："):
# "von" only before a full name, Italian "di" and Indonesian "oleh" only in lower case or before a colon
# ("Di Maio" and "Oleh Sentsov" are names).
_BY_LABELS = (
    r"(?:(?:written|posted|story|words|text|reporting)\s+)?by|text|author|authors|reporter|"
    r"por|texto|autor|autora|autores|reportagem|par|texte|auteur|autrice|propos recueillis par|"
    r"text|autorin|door|tekst|auteur|av|af|författare|forfatter|a cura di|testo|autore|"
    r"szerző|írta|yazan|yazar|(?-i:oleh)|oleh(?=\s*:)|penulis|pewarta|tác giả|συντάκτης|"
    r"текст|автор|авторы|авторка|автор текста|текст и фото|"
    r"بقلم|كتب|الكاتب|نویسنده|מאת|लेखक|"
    r"von(?=\s+(?-i:[A-Z])\S*\s+(?-i:[A-Z]))|(?-i:di)(?=\s+(?-i:[A-Z]))"
)
_BY = re.compile(rf"^(?:{_BY_LABELS})(?:\b|(?<=\W))\s*[:：/]?\s*|^(?:글|기자|作者|文|撰文|记者|記者|執筆)\s*[:：/=]?\s*", re.I)
# A label after the name, as Korean, Japanese and Chinese papers set it: "홍길동 기자", "山田太郎 記者".
_BY_AFTER = re.compile(r"\s*(?:기자|특파원|記者|记者|特派員|特派员|撮影)$")
_ROLE_TAIL = re.compile(
    r"[\s,;|]*\b(?:(?:medically\s+)?reviewed|edited|fact[\s-]checked|illustrated|photographed|translated)\s+by\b.*$", re.I | re.S
)
_SUFFIX = re.compile(r"^(Jr|Sr|II|III|IV|MD|M\.D|MA|MS|MSc|PhD|Ph\.D|RN|MPH|MBA|DO|DVM|DDS|Esq)\.?$")
