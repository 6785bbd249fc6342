"""Before extraction: reshape a pruned page so the main-content extractor sees it as a reader does."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from .dom import INLINE_TAGS, inside_prose, was_removed

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag


def _is_layout_table(table: Tag) -> bool:
    """True for a table that lays out a page rather than holding data.

    Data tables announce themselves (headers, a caption, a summary, a grid of many rows and columns);
    a layout table holds paragraphs or long runs of text in its cells.
    """
    role = str(table.get("role", "")).lower()
    if role in {"presentation", "none"}:
        return True
    if role in {"table", "grid", "treegrid"} or table.get("summary"):
        return False
    # One walk over the table (pages can hold thousands of them): bs4's find() costs far more per call.
    rows: list[Tag] = []
    cells: list[Tag] = []
    for element in table.descendants:
        name = getattr(element, "name", None)
        if name in _DATA_MARKS:
            return False
        if name == "tr":
            rows.append(cast("Tag", element))
        elif name == "td":
            cells.append(cast("Tag", element))
    columns = max((sum(getattr(c, "name", None) in ("td", "th") for c in r.children) for r in rows), default=0)
    if len(rows) >= 10 and columns >= 4:
        return False
    # A grid of short cells is data even with each cell in a <p> (tables written in a document editor):
    # a layout table's columns hold prose, a sidebar, a menu, not a word or two per cell.
    if len(rows) >= 3 and columns >= 3:
        words = sorted(len(c.get_text(" ", strip=True).split()) for c in cells)
        if words and words[len(words) // 2] <= _GRID_CELL_WORDS:
            return False
    return any(
        any(getattr(d, "name", None) in _PROSE_BLOCKS for d in c.descendants) or len(c.get_text(" ", strip=True).split()) >= 40
        for c in cells
    )


_DATA_MARKS = frozenset({"caption", "thead", "tfoot", "th", "col", "colgroup"})
_GRID_CELL_WORDS = 6
_PROSE_BLOCKS = frozenset({"p", "div", "blockquote", "ul", "ol", "h1", "h2", "h3"})


def unwrap_layout_tables(soup: BeautifulSoup) -> int:
    """Turn tables that lay out the page into plain blocks, so their prose is read like any other; return how many.

    A ``<blockquote>`` that holds nothing but tables only indents them: it is unwrapped first, since the
    extractor reads a quotation's text whole and so read a data table in one as a run of numbers, even
    when tables are not read.
    """
    for quote in soup.find_all("blockquote"):
        children = [c for c in quote.children if getattr(c, "name", None) or str(c).strip()]
        if children and all(getattr(c, "name", None) == "table" for c in children) and not was_removed(quote):
            quote.unwrap()
    count = 0
    for table in reversed(soup.find_all("table")):  # innermost first
        if was_removed(table) or not _is_layout_table(table):
            continue
        parts = [p for p in table.find_all(["thead", "tbody", "tfoot", "tr", "td", "th"]) if p.find_parent("table") is table]
        for part in [table, *parts]:
            part.name = "div"
        count += 1
    return count


# Words inside a class name or id: "css-z6dj7x" -> "css", "z6dj7x"; "navBar" -> "nav", "Bar".
_NAME_PARTS = re.compile(r"[-_]+")
_CAMEL_PIECES = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def _generated_part(part: str) -> bool:
    """True for a part of a name that a build tool made up (``JWA6Pb``, ``z6dj7x``, ``bdVaJa``, ``NavzzU``)."""
    if len(part) < 5 or not part.isalnum() or not part.isascii():
        return False
    if any(c.isdigit() for c in part):
        return any(c.isalpha() for c in part)
    if part[-1].isupper() and part[-2].islower():
        return True
    return any(len(piece) <= 2 for piece in _CAMEL_PIECES.findall(part)[1:])


def generated_name(value: str) -> bool:
    """True for a class name or id that holds a made-up part, rather than words a person chose (``navBar``, ``story-body``)."""
    return any(_generated_part(part) for part in _NAME_PARTS.split(value))


# A name that says what an element is *not* ("no_caption", "without-comments").
_NEGATED_NAME = re.compile(r"(?:^|[-_])(?:no|non|not|without)[-_][a-z]", re.I)


def misleading_name(value: str) -> bool:
    """True for a class name or id that a word-matching extractor misreads: made up by a build tool, or negated."""
    return generated_name(value) or bool(_NEGATED_NAME.search(value))


def drop_misleading_names(soup: BeautifulSoup) -> int:
    """Remove class names and ids that mislead a word-matching extractor; return how many elements changed.

    Names a build tool generated mean nothing, but trafilatura reads "nav" in ``id="NavzzU"`` or "ad" in
    ``class="e1ad7x"`` and drops a paragraph of the story; it reads "caption" in ``no_caption`` too, and
    dropped a list story's opening sentence with it. The clutter rules (whole words, negation understood)
    have already run by the time this is called.
    """
    changed = 0
    for tag in soup.find_all(True):
        ident = tag.attrs.get("id")
        classes = tag.attrs.get("class")
        touched = False
        if isinstance(ident, str) and misleading_name(ident):
            del tag.attrs["id"]
            touched = True
        if isinstance(classes, list) and any(misleading_name(c) for c in classes):
            classes[:] = [c for c in classes if not misleading_name(c)]
            touched = True
        changed += touched
    return changed


_BLOCKS = frozenset({"p", "div", "section", "article", "main", "ul", "ol", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                     "blockquote", "pre", "figure", "header", "footer", "aside", "nav", "form", "dl", "hr"})  # fmt: skip
_LOOSE_INLINE = INLINE_TAGS | {"code", "font", "s", "del", "ins"}
_CONTAINERS = ["div", "section", "article", "main", "td", "body", "blockquote"]
_LOOSE_MIN_WORDS = 8


def wrap_loose_text(soup: BeautifulSoup) -> int:
    """Make paragraphs of text written straight into a container between its blocks; return how many.

    Pages written by hand or by old blog engines put prose in a ``<div>`` after an ``<h2>``, its
    paragraphs separated by ``<br><br>``. trafilatura keeps blocks and often drops such text, so each run
    of text and inline elements (ended by a block or by two line breaks in a row) of eight words or more
    becomes a ``<p>``.
    """
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    count = 0
    for container in soup.find_all(_CONTAINERS):
        children = list(container.children)
        if not any(isinstance(c, Tag) and c.name in _BLOCKS for c in children):
            continue  # a container of text alone is a paragraph already
        runs: list[list[Any]] = [[]]
        breaks = 0
        for child in children:
            if isinstance(child, PreformattedString):  # comments, CDATA, doctype
                continue
            if isinstance(child, NavigableString):
                if child.strip():
                    breaks = 0
                runs[-1].append(child)
            elif not isinstance(child, Tag):
                continue
            elif child.name == "br":
                breaks += 1
                if breaks >= 2:
                    runs.append([])
                else:
                    runs[-1].append(child)
            elif child.name in _LOOSE_INLINE:
                breaks = 0
                runs[-1].append(child)
            else:
                breaks = 0
                runs.append([])
        for run in runs:
            text = " ".join(item.get_text(" ") if isinstance(item, Tag) else str(item) for item in run)
            if len(text.split()) < _LOOSE_MIN_WORDS:
                continue
            paragraph = soup.new_tag("p")
            run[0].insert_before(paragraph)
            for item in run:
                paragraph.append(item.extract())
            count += 1
    return count


_EMPTY_INLINE = INLINE_TAGS | {"font", "s", "del", "ins"}


def drop_empty_inline(soup: BeautifulSoup) -> int:
    """Remove inline elements that hold no text (an icon's ``<span>``, a ``<span>`` around a formula image).

    The words after such an element belong to the sentence, but trafilatura's precision-minded pass
    removes the empty element together with them: "A square matrix <span><img></span> is Hermitian if
    and only if it is equal to its adjoint" became "A square matrix adjoint". Removed here, the element
    leaves its following words where they were. Only elements followed by words are touched.
    """
    from bs4 import NavigableString
    from bs4.element import PreformattedString

    count = 0
    for tag in soup.find_all(_EMPTY_INLINE):
        after = tag.next_sibling
        if not isinstance(after, NavigableString) or isinstance(after, PreformattedString) or not after.strip():
            continue  # no words of the sentence follow it: nothing to lose, leave the markup as it is
        if was_removed(tag) or (text := tag.get_text()).strip():
            continue
        if text:
            tag.replace_with(" ")  # "that<span> </span>regulations": the space it held still parts two words
        else:
            tag.decompose()
        count += 1
    return count


def plain_inline_in_prose(soup: BeautifulSoup) -> int:
    """Take the class names and ids off inline elements inside sentences, and unwrap their spans; return how many.

    The clutter rules have spared these elements as part of the sentence. trafilatura's precision-minded
    pass still removes a ``<span class="link">`` around a link in the middle of a sentence, and with it
    the words: "se ha involucrado en la eliminación de los abusos, tomando" became "en la , tomando".
    A ``<span>`` means nothing once its class is gone, and thousands of them slow trafilatura down.
    """
    lengths: dict[int, int] = {}  # text length of each paragraph, measured once

    count = 0
    spans: list[Tag] = []
    for tag in soup.find_all(INLINE_TAGS):
        if not (tag.name == "span" or "class" in tag.attrs or "id" in tag.attrs):
            continue  # nothing to take off
        if was_removed(tag) or not inside_prose(tag, lengths):
            continue
        if tag.name == "span" and set(tag.attrs) <= {"class", "id", "style"}:
            spans.append(tag)  # (one that says more, such as aria-hidden, keeps what it says)
        elif "class" in tag.attrs or "id" in tag.attrs:
            tag.attrs.pop("class", None)
            tag.attrs.pop("id", None)
        else:
            continue
        count += 1
    _unwrap_all(spans)
    return count


def _unwrap_all(tags: list[Tag]) -> None:
    """Replace each of ``tags`` by its children, rebuilding each parent once.

    BeautifulSoup's own ``unwrap`` looks the element up among its siblings, so unwrapping the 60,000
    spans of one paragraph took minutes. Deeper parents go first, so a span inside a span is unwrapped
    into its parent before that parent is unwrapped in turn.
    """
    from bs4 import Tag

    groups: dict[int, tuple[Tag, set[int]]] = {}
    for tag in tags:
        if tag.parent is not None:
            groups.setdefault(id(tag.parent), (tag.parent, set()))[1].add(id(tag))
    for parent, doomed in sorted(groups.values(), key=lambda group: -sum(1 for _ in group[0].parents)):
        children = _take_children(parent)
        for child in children:
            if id(child) in doomed and isinstance(child, Tag):
                parent.extend(_take_children(child))
            else:
                parent.append(child)


def _take_children(tag: Tag) -> list[Any]:
    """Detach and return ``tag``'s children, from the last (each removal then costs nothing)."""
    children = list(tag.contents)
    for at in range(len(children) - 1, -1, -1):
        children[at].extract(_self_index=at)
    return children


_SENTENCE_HEADING_WORDS = 15


def sentences_in_headings(soup: BeautifulSoup) -> int:
    """Turn sub-headings that are whole sentences into paragraphs; return how many.

    List-style stories set each item's opening sentence in an ``<h2>`` ("The mother of a woman who took
    suspected diet pills ... moments before her death."), and the extractor drops it with the headings
    it does not trust: the story lost its first sentence. A heading of fifteen words or more that ends
    with a full stop and links nowhere is prose; headlines and section titles rarely end with a period.
    """
    count = 0
    for heading in soup.find_all(["h2", "h3", "h4", "h5", "h6"]):
        if was_removed(heading) or heading.find(["a", "img", "p", "div"]) is not None:
            continue
        text = " ".join(heading.get_text(" ").split())
        if len(text.split()) >= _SENTENCE_HEADING_WORDS and text.rstrip('"”’)').endswith("."):
            heading.name = "p"
            heading.attrs = {}
            count += 1
    return count


# Class words that mark a preformatted block as program text (highlighters, languages).
_CODE_NAMES = re.compile(
    # ("language-c" is told by "language": a bare "c" or "go" is as often a layout class.)
    r"(?:^|[-_\s:])(code|highlight|syntax|sourcecode|prettyprint|brush|hljs|language|lang|javascript|js|typescript|python"
    r"|java|sql|bash|shell|console|terminal|json|yaml|xml|html|css|php|ruby|rust|cpp|csharp|kotlin|swift)(?=$|[-_\s:])",
    re.I,
)
_CODE_MARKS = re.compile(r"[{}();=<>\[\]$#|&]")
_CODE_MARK_SHARE = 0.04  # program text has one such mark per 25 letters or more; prose and verse far fewer


def mark_code_blocks(soup: BeautifulSoup) -> int:
    """Wrap the text of preformatted blocks that hold program text in ``<code>``; return how many.

    The extractor tells code from a quotation by a ``<code>`` inside the ``<pre>`` or by the first words of
    its text, so a highlighted listing whose first word is ``addEventListener`` became a block quote and was
    read aloud. A ``<pre>`` whose class, or its parent's, names a highlighter or a language, or whose text is
    dense with brackets, operators and prompts, is code; verse and prose set in ``<pre>`` are left as they are.
    """
    from bs4 import Tag

    count = 0
    for pre in soup.find_all("pre"):
        if was_removed(pre) or pre.find("code") is not None:
            continue
        parent = pre.parent if isinstance(pre.parent, Tag) else None
        names = " ".join([*(pre.get("class") or []), str(pre.get("lang") or ""), *((parent.get("class") or []) if parent else [])])
        text = pre.get_text()
        letters = sum(c.isalpha() for c in text)
        if not (_CODE_NAMES.search(names) or (letters and len(_CODE_MARKS.findall(text)) >= _CODE_MARK_SHARE * letters)):
            continue
        code = soup.new_tag("code")
        code.extend(_take_children(pre))
        pre.append(code)
        count += 1
    return count
