"""Before extraction: a plain-text document wrapped in a web page, turned into paragraphs.

Specifications (RFCs, Internet-Drafts), mailing-list archives and old text files are published as one or
more ``<pre>`` blocks: lines broken at 72 columns, a running header and a "[Page 7]" footer on every
printed page, a table of contents with dot leaders. Read as it stands, the narrator would say the footer
in the middle of a sentence and every page number of the contents. When the page's text is mostly such
blocks and reads as prose, each block is cut at its blank lines: prose becomes paragraphs (lines joined,
bullets dropped), short numbered lines become headings, page furniture goes, and anything else (an
example request, a header laid out in columns) stays preformatted, which the narrator leaves out like code.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

# A sentence boundary in running text: "...the folder. The actions...", "...on day 12. Members..."
_SENTENCE = re.compile(r"(?:[a-z]{2}|[a-z] \d{1,4})[.!?][\"”’)]?\s+[A-Z]")
_PAGE_FOOTER = re.compile(r"\[Page \d+\]\s*$")
_DOT_LEADER = re.compile(r"\.{4,}\s*\d*\s*$")
_COLUMNS = re.compile(r"\S {6,}\S")  # text set in columns (a title block, a table)
# A request or status line of a protocol transcript ("GET /notes HTTP/1.1", "HTTP/1.1 200 OK").
_PROTOCOL = re.compile(r"^([A-Z]{3,7} \S+ [A-Z]{2,10}/\d|[A-Z]{2,10}/\d(\.\d)? \d{3}\b)")
_FIELD = re.compile(r"^[A-Za-z]\w*(-\w+)*:\s*\S")
_BRACES = re.compile(r"^\s*[{}]|[{\[]\s*$|^\s*[}\]],?\s*$")  # a line that opens or closes a block of data or code
_QUOTED = re.compile(r"^(>\s?)+")  # an e-mail's quotation marks
_BULLET = re.compile(r"^([*o•-]|\d+\)|\([a-z0-9]\))\s+")
_HEADING = re.compile(r"^((\d+\.)*\d+\.?|[A-Z]\.(\d+\.)*|Appendix [A-Z]\.?)\s+\S")
_NUMBERED = re.compile(r"^\s{0,3}\d+\.\s+[A-Z][\w ,'’-]{2,60}$")  # "4.  Requests", on a line of its own
_TITLE = re.compile(r"^[A-Z][A-Za-z'’ -]*$")
_CONTENTS = re.compile(r"^(table of )?contents$", re.I)
_MIN_SENTENCES = 10
_PRE_SHARE = 0.5
_HEADING_WORDS = 12
_TITLE_WORDS = 5  # an unnumbered heading: "Abstract", "Status of this Memo"
_REPEATED = 3


def reflow_text_documents(soup: BeautifulSoup) -> int:
    """Turn the ``<pre>`` blocks of a plain-text document into paragraphs and headings; return how many."""
    pres = [pre for pre in soup.find_all("pre") if pre.find_parent("pre") is None]
    if not pres:
        return 0
    texts = [pre.get_text() for pre in pres]
    body = soup.body or soup
    if sum(len(t.split()) for t in texts) < _PRE_SHARE * len(body.get_text(" ").split()):
        return 0  # code samples in an article, not a text document
    if sum(len(_SENTENCE.findall(t)) for t in texts) < _MIN_SENTENCES:
        return 0
    # A line that tops or ends three printed pages or more is the running header or footer.
    edges: Counter[str] = Counter()
    for text in texts:
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        edges.update({lines[0], lines[-1]} if lines else set())
    repeated = {line for line, n in edges.items() if n >= _REPEATED}
    # Short unnumbered lines ("Abstract") are headings only in a document with numbered sections; in a
    # mail they are a greeting or a signature.
    titled = any(_NUMBERED.match(line) for text in texts for line in text.split("\n"))
    # The printed pages become one <article>, placed where the first of them stood: left as a row of
    # loose blocks under <body>, their headings were dropped by the extractor.
    document = soup.new_tag("article")
    pres[0].insert_before(document)
    for pre, text in zip(pres, texts, strict=True):
        document.extend(_reflowed(soup, text, repeated, titled))
        pre.decompose()
    return len(pres)


def _reflowed(soup: BeautifulSoup, text: str, repeated: set[str], titled: bool) -> list[Tag]:
    """One printed page as blocks: headings, paragraphs, and what stays preformatted (as code)."""
    holder: list[Tag] = []
    lines = [
        line for line in text.split("\n") if line.strip() not in repeated and not _PAGE_FOOTER.search(line) and not _DOT_LEADER.search(line)
    ]
    for chunk in re.split(r"\n\s*\n", "\n".join(lines)):
        rows = [row for row in chunk.split("\n") if row.strip()]
        if not rows:
            continue
        joined = _join([_QUOTED.sub("", row.strip()) for row in rows])
        if _CONTENTS.match(joined):
            continue
        heading = (
            len(rows) == 1
            and len(joined.split()) <= _HEADING_WORDS
            and bool(_HEADING.match(joined) or (titled and _TITLE.match(joined) and len(joined.split()) <= _TITLE_WORDS))
            and not joined.endswith((".", ":", ";", ","))
        )
        if heading or _prose(rows):
            element = soup.new_tag("h2" if heading else "p")
            element.string = joined if heading else _BULLET.sub("", joined)
        else:
            element = soup.new_tag("pre")
            code = soup.new_tag("code")  # without it the extractor may take the block for a quotation
            code.string = "\n".join(rows)
            element.append(code)
        holder.append(element)
    return holder


def _join(rows: list[str]) -> str:
    """One line of text from wrapped lines; a word broken after its hyphen ("Internet-" / "Drafts") stays one."""
    text = ""
    for row in rows:
        glue = "" if not text or (text.endswith("-") and text[-2:-1].isalpha() and row[:1].isalpha()) else " "
        text += glue + row
    return text


def _prose(rows: list[str]) -> bool:
    """Whether lines of a preformatted chunk are running text rather than code, a transcript or columns."""
    if any(_COLUMNS.search(row.strip()) or _PROTOCOL.match(row.strip()) or _BRACES.search(row) for row in rows):
        return False
    if len(rows) >= 2 and sum(bool(_FIELD.match(row.strip())) for row in rows) >= 0.5 * len(rows):
        return False  # a message's header fields ("Content-Type: text/plain")
    wordy = sum(sum(c.isalpha() or c in " ,.;:'’\"()-" for c in row.strip()) >= 0.85 * len(row.strip()) for row in rows)
    return wordy >= 0.8 * len(rows)
