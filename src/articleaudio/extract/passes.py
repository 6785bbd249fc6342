"""Combine the main-content extractor's two passes into one story, in the page's order."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from typing import Any

from ..models import Section
from .furniture import line_reason

_FILL_MISSING_SHARE = 0.2


def fill_gaps(precise: list[Section], generous: list[Section]) -> list[Section]:
    """The precise pass's span of the page, with what the generous pass found inside that span.

    A precision-minded extractor drops short list items, block quotes and asides *inside* a story as
    readily as the teasers around it. Whatever a recall-minded pass finds between the first and the
    last block the precise pass kept is read; what lies outside that span is not. Blocks that only the
    precise pass has stay where they were, unless a block the generous pass found in the same gap holds
    their words (the fuller version of the same paragraph). When the two passes disagree on the story
    itself (the generous pass lacks much of what the precise one kept), the precise pass stands alone.

    The merge walks the generous pass once, jumping ahead in the precise one to each shared block: a
    general alignment (difflib) took minutes on pages that repeat one line thousands of times.
    """
    from bisect import bisect_left

    theirs = _blocks(generous)
    mine, said = _labelled(_blocks(precise), theirs)
    where: dict[str, list[int]] = {}
    for k, (_, text) in enumerate(mine):
        where.setdefault(text, []).append(k)
    found = {text for _, text in theirs}
    missing = sum(len(text.split()) for is_heading, text in mine if not is_heading and text not in found)
    if missing > _FILL_MISSING_SHARE * sum(len(text.split()) for is_heading, text in mine if not is_heading):
        return precise
    shared = [j for j, (_, text) in enumerate(theirs) if text in where]
    if not shared:
        return precise
    merged: list[tuple[bool, str]] = []
    extra: list[tuple[bool, str]] = []  # the generous pass's own blocks since the last shared one
    done = 0  # how many of the precise pass's blocks are placed

    # Four-word runs over the precise pass read as one stream, so a list's items count together.
    everywhere: Counter[tuple[str, ...]] = Counter()
    labels: dict[int, str] = {}  # a list's lead-in ("What you'll need:") to say before the precise block at this index

    def place(upto: int) -> None:
        nonlocal done, extra
        # A block of the generous pass that repeats what the precise pass kept elsewhere (a list it also
        # gave flattened into one paragraph) is said once, where the precise pass has it.
        if extra:
            if not everywhere:
                everywhere.update(_shingles(" ".join(text for _, text in mine)))
            here = Counter(_shingles(" ".join(text for _, text in mine[done:upto])))
            repeats = [block for block in extra if not block[0] and _said_elsewhere(_shingles(block[1]), everywhere, here)]
            for _, text in repeats:
                _note_list_label(text, where, labels)
            extra = [block for block in extra if block not in repeats]
        fuller = " ".join(text for _, text in extra).split()
        merged.extend(block for block in mine[done:upto] if not _covered(block[1].split(), fuller))
        merged.extend(extra)
        extra, done = [], upto

    for block in theirs[shared[0] : shared[-1] + 1]:
        positions = where.get(block[1])
        if positions is None:
            extra.append(block)
            continue
        at = bisect_left(positions, done)
        if at == len(positions):
            continue  # the precise pass had this block earlier and it is placed already
        place(positions[at])
        merged.append(mine[done])
        done += 1
    place(len(mine))
    if labels:
        merged = _with_labels(merged, [(labels.get(k), block) for k, block in enumerate(mine)])
    return _sections([(is_heading, said.get(text, text)) for is_heading, text in merged])


def _note_list_label(flattened: str, where: dict[str, list[int]], labels: dict[int, str]) -> None:
    """Keep the lead-in of a list the generous pass gave flattened ("What you'll need: Cloche Moss ...").

    The precise pass has the list's items but dropped the lead-in, which the page set in its own
    element; it is said before the first item when it ends with a colon.
    """
    words = flattened.split()
    for cut in range(1, _LABEL_WORDS + 1):
        label = " ".join(words[:cut])
        if not label.endswith(":"):
            continue
        for length in range(1, _ANCHOR_WORDS + 1):
            first = " ".join(words[cut : cut + length])
            if first in where:
                labels.setdefault(where[first][0], label)
                return


def _with_labels(merged: list[tuple[bool, str]], mine: list[tuple[str | None, tuple[bool, str]]]) -> list[tuple[bool, str]]:
    """``merged`` with each noted lead-in said before the precise block it introduces."""
    before = {block: label for label, block in mine if label}
    out: list[tuple[bool, str]] = []
    for block in merged:
        label = before.pop(block, None)
        if label:
            out.append((False, label))
        out.append(block)
    return out


_LABEL_WORDS = 4
_TAIL_WORDS = 5  # a block shorter than this is too short to tell a label from a phrase


def _labelled(mine: list[tuple[bool, str]], theirs: list[tuple[bool, str]]) -> tuple[list[tuple[bool, str]], dict[str, str]]:
    """The precise pass's blocks, each taking the generous pass's version when that adds a short label.

    The precise pass drops a step's label ("Step 1") that the page sets in its own element before the
    step's paragraph; the generous pass gives "Step 1 Measure the cloche ...". A generous block that is a
    precise one with at most four words before it replaces it, and the two passes then share it. The
    second value maps such a block to how it is read: the label as a sentence of its own ("Step 1.
    Measure the cloche ..."), so that the voice pauses after it.
    """
    # Each generous block under each of its short labels, so that a precise block is looked up once: a
    # scan of the blocks sharing its last words took a minute on a page whose paragraphs end alike.
    by_rest: dict[str, list[tuple[str, str]]] = {}
    for is_heading, fuller in theirs:
        words = fuller.split()
        if is_heading or len(words) < _TAIL_WORDS + 1:
            continue
        for cut in range(1, min(_LABEL_WORDS, len(words) - _TAIL_WORDS) + 1):
            by_rest.setdefault(" ".join(words[cut:]), []).append((" ".join(words[:cut]), fuller))
    out = []
    said: dict[str, str] = {}
    for is_heading, text in mine:
        if not is_heading:
            for label, fuller in by_rest.get(text, ()):
                if line_reason(label) is None:
                    if text[:1].isupper() and label[-1:].isalnum():
                        said[fuller] = f"{label}. {text}"
                    text = fuller
                    break
        out.append((is_heading, text))
    return out, said


def _shingles(text: str) -> list[tuple[str, ...]]:
    words = text.split()
    return [tuple(words[i : i + 4]) for i in range(len(words) - 3)]


def _said_elsewhere(grams: list[tuple[str, ...]], everywhere: Counter[tuple[str, ...]], here: Counter[tuple[str, ...]]) -> bool:
    """Whether a block's four-word runs are in precise blocks outside the current gap, a short label aside."""
    if len(grams) < 2 * _LABEL_WORDS:
        return False  # too short to tell a repeat from a phrase the story uses twice
    present = sum(everywhere[g] > here[g] for g in grams)
    return present >= 0.5 * len(grams) and len(grams) - present <= max(_LABEL_WORDS, 0.2 * len(grams))


def _covered(words: list[str], by: list[str]) -> bool:
    """Whether nearly all of ``words`` appear in ``by``."""
    pool = set(by)
    return bool(words) and sum(w in pool for w in words) >= 0.8 * len(words)


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


_WORD = re.compile(r"\w+")
_ANCHOR_WORDS = 8


def page_order(sections: list[Section], page_text: str) -> list[Section]:
    """``sections`` with their blocks in the order the page shows them.

    The extractor sometimes returns a list it found first and then the paragraphs it recovered from the
    rest of the page, so a how-to's list of supplies came before its introduction. Each paragraph whose
    first eight words occur exactly once in the page is placed by that occurrence; the blocks without such
    an anchor travel with their neighbours (a heading with the block after it, a short list item with the
    block before it). When the anchors are in page order already, nothing moves.
    """
    blocks = _blocks(sections)
    keys: list[tuple[str, ...] | None] = []
    for is_heading, text in blocks:
        words = _WORD.findall(text.casefold())
        keys.append(tuple(words[:_ANCHOR_WORDS]) if not is_heading and len(words) >= _ANCHOR_WORDS else None)
    page = _WORD.findall(page_text.casefold())
    if _in_order([key for key in keys if key is not None], " " + " ".join(page) + " "):
        return sections
    # One walk over the page's words, looking up only the keys that are wanted: a find() from the start
    # for every block would read a page of megabytes once per paragraph.
    wanted = {key for key in keys if key is not None}
    firsts = {key[0] for key in wanted}
    seen: dict[tuple[str, ...], list[int]] = {}
    for i, word in enumerate(page):
        if word in firsts and (key := tuple(page[i : i + _ANCHOR_WORDS])) in wanted:
            seen.setdefault(key, []).append(i)
    # A key said twice on the page (a pull quote, a summary) places nothing.
    positions = [seen[key][0] if key is not None and len(seen.get(key, ())) == 1 else None for key in keys]
    anchors = [p for p in positions if p is not None]
    if all(a < b for a, b in pairwise(anchors)):
        return sections
    groups: list[tuple[int, list[tuple[bool, str]]]] = []
    waiting: list[tuple[bool, str]] = []  # headings, and blocks before the first anchor: they go with the next anchor
    for block, at in zip(blocks, positions, strict=True):
        if at is not None:
            groups.append((at, [*waiting, block]))
            waiting = []
        elif block[0] or not groups or waiting:
            waiting.append(block)
        else:
            groups[-1][1].append(block)
    if waiting:
        if not groups:
            return sections
        groups[-1][1].extend(waiting)
    groups.sort(key=lambda group: group[0])
    return _sections([block for _, members in groups for block in members])


def _in_order(keys: list[tuple[str, ...]], page: str) -> bool:
    """Whether each key occurs in ``page`` after the one before it: the common case, told in one pass."""
    last = 0
    for key in keys:
        at = page.find(" " + " ".join(key) + " ", last)
        if at < 0:
            return False  # out of order (or not found): the full walk decides
        last = at + 1
    return True


def lead_with(sections: list[Section], standfirst: str, page_text: str, title: str) -> list[Section]:
    """``sections`` led by the page's standfirst, when the page shows it between the headline and the
    story and the extractor left it out.

    Sites set the summary under the headline apart from the story's body (``<p class="dek">``,
    ``<div class="perex">``), and the extractor, finding the body, leaves it out; yet it is the story's
    opening. It is read first when its words stand in the page after the headline and before the first
    paragraph read; a site's tagline in the page header, above the headline, is not.
    """
    blocks = _blocks(sections)
    if not blocks:
        return sections
    page = f" {_key(page_text)} "
    lead = _key(standfirst)
    story = _key(" ".join(text for _, text in blocks))
    if lead in story:
        return sections  # read already
    first = next((text for is_heading, text in blocks if not is_heading), "")
    opening = " ".join(_key(first).split()[:_ANCHOR_WORDS])
    headline = _key(title)
    at, starts = page.find(f" {lead} "), page.find(f" {opening} ")
    above = page.find(f" {headline} ") if headline else -1
    if not 0 <= above < at < starts:
        return sections
    return _sections([(False, standfirst), *blocks])


_ITEM_WORDS = 3  # a list whose items average fewer words is a menu ("Home", "About"), not part of a sentence


def announced_lists(sections: list[Section], soup: Any) -> list[Section]:
    """``sections`` with the lists their lead-ins announce, where the extractor kept the lead-in alone.

    The extractor drops a list nested in a list item or a definition ("In progress:" and then bug titles
    that are all links; "The services may either be:" and two items), keeping the words that end in a
    colon and announce it: the listener heard "In progress:" and then the next heading. The page's list
    that directly follows such a lead-in, in the same element or as its next sibling, is read after it,
    when none of its items is read already and they are phrases rather than a menu's one-word links.
    """
    blocks = _blocks(sections)
    leads = {
        _key(text): i
        for i, (is_heading, text) in enumerate(blocks)
        if not is_heading and text.endswith(":") and line_reason(text) is None  # not "More games news:"
    }
    if not leads:
        return sections
    story = {gram for _, text in blocks for gram in _grams(_key(text))}
    after: dict[int, list[str]] = {}
    for listing in soup.find_all(["ul", "ol"]):
        at = leads.get(_key(_lead_in(listing)))
        if at is None or at in after:
            continue
        items = [" ".join(li.get_text(" ").split()) for li in listing.find_all("li", recursive=False)]
        items = [item for item in items if item]
        if not items or sum(len(item.split()) for item in items) < _ITEM_WORDS * len(items):
            continue
        if any(_grams(_key(item)) <= story for item in items):
            continue  # read already, in another place or shape
        after[at] = items
    if not after:
        return sections
    out: list[tuple[bool, str]] = []
    for i, block in enumerate(blocks):
        out.append(block)
        out.extend((False, item) for item in after.get(i, ()))
    return _sections(out)


def _key(text: str) -> str:
    """A text's words in lower case, one space apart: what two texts are compared by."""
    return " ".join(_WORD.findall(text.casefold()))


def _grams(key: str) -> set[tuple[str, ...]]:
    """A text's runs of four words (the text itself when shorter)."""
    words = tuple(key.split())
    return {words[i : i + 4] for i in range(max(1, len(words) - 3))}


def _lead_in(listing: Any) -> str:
    """The words just before a list, when they end in a colon: its parent's own text before it (a list
    nested in an item or a definition), or else the element right before it."""
    parent = listing.parent
    before: list[str] = []
    for node in listing.previous_siblings:
        before.append(node.get_text(" ") if hasattr(node, "get_text") else str(node))
        if parent is not None and parent.name in {"li", "dd"}:
            continue  # the item's own words, however they are marked up
        if before[-1].strip():
            break  # the nearest element with words is the lead-in
    text = " ".join(" ".join(reversed(before)).split())
    return text if text.endswith(":") else ""


# --- a body split into parts --------------------------------------------------------------------------------
_PART_PROSE_WORDS = 8
_PART_LEVELS = 5
# A part's class says it holds the story's text ...
_BODY_CLASS = re.compile(r"body|article|story|content|text|chunk|companion|entry", re.I)
# ... and nothing that holds other people's text or the page's furniture.
_NOT_BODY_CLASS = re.compile(
    r"comment|related|recommend|teaser|card|promo|rail|sidebar|popular|nav|footer|header|meta|caption|author|byline|share|tag|"
    r"widget|list|item|summary|excerpt|preview|feed|more",
    re.I,
)
# Between two parts, only this much prose of its own per gap (an advertisement row, a newsletter module).
_GAP_WORDS = 20


def _not_body(element: Any) -> bool:
    classes = element.get("class") or []
    return any(_NOT_BODY_CLASS.search(c) or _GALLERY_CLASS.search(c) for c in classes)


_GALLERY_CLASS = re.compile(r"legend|gallery|scroller|slide|carousel", re.I)


def _letters(text: str) -> str:
    """A paragraph's letters and digits alone: "Z imbabwean" (a drop cap in its own element) is "Zimbabwean"."""
    return re.sub(r"\W+", "", text).casefold()


def _class_key(element: Any) -> tuple[str, tuple[str, ...]] | None:
    classes = element.get("class")
    if not classes:
        return None
    return element.name, tuple(sorted(classes if isinstance(classes, list) else str(classes).split()))


def _prose_blocks(element: Any) -> list[str]:
    """The paragraphs of prose in ``element``, as text."""
    found = []
    for block in element.find_all("p"):
        text = " ".join(block.get_text(" ").split())
        if len(text.split()) >= _PART_PROSE_WORDS:
            found.append(text)
    return found


def join_split_body(sections: list[Section], soup: Any, page_text: str) -> tuple[list[Section], list[str]]:
    """The story read whole when the page splits its body into sibling containers of one class
    (``body__container article__body``, ``StoryBodyCompanionColumn``, repeated ``articleBody`` sections) with an
    advertisement row, a newsletter module or a "most popular" rail between them, and the extractor kept one.

    Returns the sections, with the other parts' paragraphs placed in page order (what sits between the parts
    was removed before, or is not in a part), and a line per part joined, for ``--explain``.
    """
    read = {_letters(p) for s in sections for p in s.paragraphs}
    anchor = None
    for block in soup.find_all("p"):
        if _letters(block.get_text(" ")) in read:
            anchor = block
            break
    if anchor is None:
        return sections, []
    container, key = None, None
    for level, ancestor in enumerate(anchor.parents):
        if level >= _PART_LEVELS or ancestor.name in (None, "body", "html", "[document]"):
            break
        candidate = _class_key(ancestor)
        if (
            candidate is None
            or not any(_BODY_CLASS.search(c) for c in candidate[1])
            or any(_NOT_BODY_CLASS.search(c) for c in candidate[1])
        ):
            continue
        if len(soup.find_all(candidate[0], class_=candidate[1][0])) >= 2:
            siblings = [e for e in soup.find_all(candidate[0]) if _class_key(e) == candidate]
            if len(siblings) >= 2:
                container, key = ancestor, candidate
                break
    if container is None or key is None:
        return sections, []
    parts = [e for e in soup.find_all(key[0]) if _class_key(e) == key and not any(_class_key(p) == key for p in e.parents)]
    if not _only_furniture_between(soup, parts, read):
        return sections, []
    added: list[str] = []
    joined: list[str] = []
    for number, part in enumerate(parts, 1):
        blocks = _prose_blocks(part)
        new = [text for text in blocks if _letters(text) not in read]
        if new and len(new) == len(blocks):  # a part we did not read at all
            added.extend(new)
            read.update(_letters(text) for text in new)
            joined.append(f"part {number} of {len(parts)} ({' '.join(key[1])}): {len(new)} paragraphs from “{new[0][:60]}…”")
    if not added:
        return sections, []
    last = sections[-1]
    sections = [*sections[:-1], Section(last.heading, (*last.paragraphs, *added))]
    return page_order(sections, page_text), joined


def _only_furniture_between(soup: Any, parts: list[Any], read: set[str]) -> bool:
    """Whether what sits between the parts, in page order, is furniture rather than prose of its own: a page of
    post excerpts or comments in containers of one class is not one story split in parts."""
    inside = {id(block) for part in parts for block in part.find_all("p")}
    in_first = {id(block) for block in parts[0].find_all("p")}
    in_last = {id(block) for block in parts[-1].find_all("p")}
    started = False
    between = 0
    for block in soup.find_all("p"):
        if id(block) in inside:
            if id(block) in in_last:
                break
            started = started or id(block) in in_first
            continue
        if started and block.find_parent("a") is None:
            text = " ".join(block.get_text(" ").split())
            if _letters(text) not in read:  # the words that are not links: a rail of headlines is furniture, an excerpt is prose
                between += len(text.split()) - sum(len(link.get_text(" ").split()) for link in block.find_all("a"))
    return between <= _GAP_WORDS * (len(parts) - 1)


# The elements a page marks as its story's body.
_BODY_MARK = re.compile(r"article[-_]?body|articlebody|story[-_]?body|body__container|storybody|entry-content|post-content", re.I)
# More prose than this share of what was read, in the page's own body containers, is worth a warning.
_UNREAD_SHARE = 1.5
_UNREAD_SLACK = 50


def unread_body_words(soup: Any, words_read: int) -> int | None:
    """The words of prose in the page's own story containers (``itemprop="articleBody"``, ``article-body``,
    ``story-body`` …) when they clearly hold more than was read, else None: a narration that ends a third of the
    way into the story should say so."""
    marked = [
        element
        for element in soup.find_all(True)
        if element.get("itemprop") == "articleBody" or any(_BODY_MARK.search(c) for c in (element.get("class") or []))
    ]
    ids = {id(e) for e in marked}
    outermost = [e for e in marked if not any(id(p) in ids for p in e.parents)]
    total = 0
    for element in outermost:
        for block in element.find_all("p"):
            # a gallery's legends, a list of teasers, a figure's caption: not the story
            between = []
            for parent in block.parents:
                if parent is element:
                    break
                between.append(parent)
            if any(p.name in ("li", "figure", "figcaption", "aside", "table") or _not_body(p) for p in between):
                continue
            if len(words := block.get_text(" ").split()) >= _PART_PROSE_WORDS:
                total += len(words)
    return total if total > _UNREAD_SHARE * words_read + _UNREAD_SLACK else None
