"""A page copied as text: the story's blocks, its headline, byline and date, and what was left out and why.

Two judges decide. Rules catch what is furniture whatever its place (a byline, "Skip to content", a
membership appeal, a teaser cut off with an ellipsis, a feed of timestamped items); a classifier in the
spirit of jusText weighs the rest block by block, from its words and from the blocks around it. Its weights
are learned by ``python -m bench.text_model`` and kept in ``data/text_blocks.json``. A text that carries
no page debris (an essay, a draft) is an authored text and is read whole.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import numpy as np

from .byline import split_authors
from .clutter import Dropped
from .dates import MONTH_ABBR, MONTH_RE
from .textblocks import FEATURES, WORD, Block, block_features, line_furniture, main_region, text_blocks, window_means
from .textblocks import PAGE_WORDS as _PAGE_WORDS

# Appeals and sign-ups, said alike on many sites.
_APPEAL = re.compile(
    r"(?i)\b(become a (member|subscriber|supporter|patron)|gift (a )?membership|(new|our) members\b|"
    r"(support|fund) (our|independent) (journalism|reporting|mission|newsroom)|fund our mission|funded by (our )?readers|"
    r"readers like you|financial contribution|make a (donation|contribution)|donate (now|today)\b|subscribe (now|today|for \$)|"
    r"already a subscriber|start (your|a) free trial|sign up for (our|the) (free )?newsletter|unlimited (digital )?access)"
)
_APPEAL_MAX_WORDS = 80
_COOKIES = re.compile(
    r"(?i)\b(we|this (site|website)) uses? cookies\b|\buse of cookies\b|\bcookie (policy|settings|preferences)\b|"
    r"\b(utilizamos|usamos|nous utilisons des|wir verwenden|utilizziamo i|wij gebruiken|we gebruiken) cookies?\b"
)
_PAYMENT_CARDS = re.compile(r"(?i)^((visa|mastercard|american ?express|paypal|apple pay|google pay)\s*)+$")
# Whole lines of page furniture: skip links, section labels, sign-up fields, share and listen widgets.
_FURNITURE = re.compile(
    r"(?i)^(skip to( main)? (content|navigation)|(news|live) feed|more news|editors['’]? picks|most (read|popular|viewed)|"
    r"trending( now)?|related( (stories|articles|posts|content))?|read (more|next|also)|recommended( for you)?|advertisement|"
    r"sponsored( content)?|share( this( article| story)?)?|follow us|sign (in|up)|log ?in|subscribe|(enter|your) e-?mail( address)?|"
    r"\* ?indicates required|successfull?y subscribed|listen to (this )?(article|story)|\d+ min(ute)?s? (read|listen)|print|"
    r"e-?mail|comments?|menu|search|close|continue reading( the main story)?|today['’]s paper|go to permalink|share (via|by) e-?mail|"
    r"filed (to|under):?.*|your video will play in .*|from wikipedia, the free encyclopedia|register for a free account|"
    r"facebook|twitter|linkedin|whatsapp|reddit|pinterest|flipboard|messenger|copy link|accept( all)? cookies|"
    r"manage (cookie )?preferences|"
    # the same furniture in Spanish, French, German, Italian, Portuguese and Dutch
    r"saltar al contenido|aller au contenu|zum inhalt springen|vai al contenuto|(pular|ir) para o conte[uú]do|naar de inhoud|"
    r"suscr[ií]bete|suscribirse|abonnez-vous|s['’]abonner|abonnieren|abbonati|iscriviti|assine|inscreva-se|abonneren|"
    r"compartir|partager|teilen|condividi|compartilhar|partilhar|delen|publicidad|publicit[ée]|anzeige|werbung|pubblicit[aà]|"
    r"publicidade|advertentie|le[ea] (m[aá]s|tamb[ié]m|mais)|lire (aussi|la suite)|weiterlesen|lesen sie auch|mehr zum thema|"
    r"leggi anche|lees (ook|meer)|lo m[aá]s le[ií]do|les plus lus|meistgelesen|i pi[uù] letti|mais lidas|meest gelezen|"
    r"comentarios|commentaires|kommentare|commenti|coment[aá]rios|reacties|iniciar sesi[oó]n|se connecter|connexion|anmelden|"
    r"accedi|entrar|inloggen)\W*$"
)
_TIMESTAMP = re.compile(
    r"(?i)^(\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?|\d+\s+(minutes?|mins?|hours?|hrs?|days?)\s+ago|yesterday|today|just now)$"
)
# A photo caption: it says it shows something, and ends with a credit in brackets ("(Jane Roe / AFP)").
_CREDIT_END = re.compile(
    r"\((?:[^()]*/[^()]*|photo[^()]*|credit[^()]*|[^()]*\b(AFP|AP|Reuters|Getty Images|EPA|Shutterstock)\b[^()]*)\)$", re.I
)
_CAPTION_START = re.compile(r"(?i)^(photo|image|picture|file photo|pictured)\b|.*\b(is|are) (seen|pictured|shown)\b")
_MARKS = "▶►▸•·*–—- \u00a0"
_SENTENCE_END = re.compile(r"[.!?:\"”’]$")
_TEASER_HEADLINE_WORDS = 20
# Items of a feed lie between two timestamps; a gap this long between them is no feed.
_FEED_MAX_ITEMS = 6
# Rules must flag this many blocks before a text counts as a page rather than an authored text.
_PAGE_MIN_HITS = 2
_CREDITS = frozenset({"byline", "dateline", "updated line"})
# A headline has this many words at most; a title made from the first sentence, this many characters.
_HEADLINE_MAX_WORDS = 25
_TITLE_MAX_CHARS = 80
_HEADING_MAX_WORDS = 12
_LOOK_BACK = 15
# Without a byline or date line to anchor it, a headline stands at most this many blocks above the story.
_NEAR = 3
_BYLINE = re.compile(r"^((written|words|story|reporting) )?by [A-Z]", re.I)
_PICTURE_CREDIT = re.compile(r"(?i)\b(photograph|photo|image|picture|illustration|credit)s?:")
_CREDIT_MAX_WORDS = 15
_CREDIT_SEPARATOR = re.compile(r"\s*[·•|]\s*|\s+[-–—]\s+")
_DATE = re.compile(
    rf"(?i)\b({MONTH_RE}) (\d{{1,2}}),? (\d{{4}})\b|\b(\d{{1,2}}) ({MONTH_RE}),? (\d{{4}})\b|\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b"
)


@dataclass
class TextPage:
    """What a text holds: the story's blocks in order, and the page around them."""

    paragraphs: list[str]
    """The story, block by block (sub-headings included, marked in ``headings``)."""
    headings: set[int] = field(default_factory=set)
    """Indexes in ``paragraphs`` of the sub-headings."""
    dropped: list[Dropped] = field(default_factory=list)
    """What was left out, and why."""
    title: str | None = None
    """The headline, when the text sets one apart."""
    authors: tuple[str, ...] = ()
    """The byline's names."""
    date: str | None = None
    """The date line's date, as ``YYYY-MM-DD``."""
    description: str | None = None
    """The standfirst under the headline, when there is one."""
    page: bool = False
    """True when the text carried page debris; False for an authored text, read whole."""


def rule_reasons(blocks: list[Block]) -> list[str | None]:
    """Why each block is furniture whatever the classifier says (None for the blocks the rules leave to it)."""
    reasons: list[str | None] = [None] * len(blocks)
    for i, block in enumerate(blocks):
        text = block.text.lstrip(_MARKS)  # a player's "▶", a bullet
        previous = blocks[i - 1].text if i else ""
        if reason := line_furniture(text):
            reasons[i] = reason
        elif _FURNITURE.match(text) or _PAYMENT_CARDS.match(text):
            reasons[i] = "page furniture"
        elif _APPEAL.search(text) and len(WORD.findall(text)) < _APPEAL_MAX_WORDS:
            reasons[i] = "appeal"
        elif _COOKIES.search(text) and len(WORD.findall(text)) < _APPEAL_MAX_WORDS:
            reasons[i] = "cookie notice"
        elif _TIMESTAMP.match(text):
            reasons[i] = "timestamp"
        elif (
            text.endswith(("…", "..."))
            and i
            and not reasons[i - 1]
            and not _SENTENCE_END.search(previous)
            and len(WORD.findall(previous)) <= _TEASER_HEADLINE_WORDS
        ):
            reasons[i] = reasons[i - 1] = "teaser"  # another story's headline, then its opening cut off
        elif _CREDIT_END.search(text) and _CAPTION_START.match(text):
            reasons[i] = "caption"
    _spread_appeals(blocks, reasons)
    _mark_feeds(reasons)
    return reasons


def is_page(reasons: list[str | None]) -> bool:
    """Whether the rules found page debris: two blocks of it or more, one at least not a byline or a date line
    (an authored text may well open with its byline and date)."""
    debris = [r for r in reasons if r is not None]
    return len(debris) >= _PAGE_MIN_HITS and any(r not in _CREDITS for r in debris)


def _spread_appeals(blocks: list[Block], reasons: list[str | None]) -> None:
    """A block of three lines or more (no blank line between them) that appeals twice is an appeal throughout,
    and so is a line between two appeals."""
    groups: list[list[int]] = []
    for i, block in enumerate(blocks):
        if block.blank_before or not groups:
            groups.append([])
        groups[-1].append(i)
    for members in groups:
        if len(members) >= 3 and sum(reasons[j] == "appeal" for j in members) >= 2:
            for j in members:
                reasons[j] = reasons[j] or "appeal"
    # and a line between two appeals is part of the appeal ("Three years. Millions of readers.")
    for i in range(1, len(blocks) - 1):
        if reasons[i] is None and reasons[i - 1] == "appeal" and reasons[i + 1] == "appeal":
            reasons[i] = "appeal"


def _mark_feeds(reasons: list[str | None]) -> None:
    """The items of a feed: what follows each timestamp, when the text has two or more."""
    stamps = [i for i, reason in enumerate(reasons) if reason == "timestamp"]
    if len(stamps) < 2:
        return
    for here, following in zip(stamps, [*stamps[1:], len(reasons)], strict=True):
        end = following if following - here <= _FEED_MAX_ITEMS else min(len(reasons), here + 4)
        for j in range(here + 1, end):
            reasons[j] = reasons[j] or "news feed"


@cache
def _model() -> dict[str, object]:
    data: dict[str, object] = json.loads(files("articleaudio").joinpath("data", "text_blocks.json").read_text(encoding="utf-8"))
    return data


def _logistic(columns: np.ndarray, stage: dict[str, list[float]]) -> np.ndarray:
    scaled = (columns - np.array(stage["mean"])) / np.array(stage["scale"])
    weights = np.array(stage["weights"])
    # einsum rather than ``@``, which would wake BLAS helper threads that then spin on a core for a while
    return np.asarray(1.0 / (1.0 + np.exp(-(np.einsum("ij,j->i", scaled, weights[:-1]) + weights[-1]))))


def with_neighbours(scores: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The classifier's second look: each block's features with the first look's scores around it."""
    count = len(scores)
    index = np.arange(count)
    around = [window_means(scores, np.maximum(0, index - w), np.minimum(count, index + w + 1)) for w in (1, 3, 8)]
    before = np.concatenate([[0.0], scores[:-1]])
    after = np.concatenate([scores[1:], [0.0]])
    first, last = main_region((scores - 0.5) * (1 + columns[:, 0]))
    region = ((index >= first) & (index <= last)).astype(float)
    return np.hstack([columns, np.column_stack([*around, before, after, scores, region])])


def story_scores(blocks: list[Block], columns: np.ndarray | None = None) -> np.ndarray:
    """How likely each block is to be part of the story (0 to 1)."""
    if not blocks:
        return np.zeros(0)
    columns = block_features(blocks) if columns is None else columns
    model = _model()
    first = _logistic(columns, model["first"])  # type: ignore[arg-type]  # the JSON's shape is fixed by bench.text_model
    return _logistic(with_neighbours(first, columns), model["second"])  # type: ignore[arg-type]


def read_text_page(text: str) -> TextPage:
    """The story in ``text`` and what was left out of it; an authored text (no page debris) comes back whole."""
    blocks = text_blocks(text)
    reasons = rule_reasons(blocks)
    if not is_page(reasons):
        return TextPage([b.text for b in blocks])
    columns = block_features(blocks)
    kept = keep_story(blocks, reasons, columns, story_scores(blocks, columns), float(_model()["threshold"]))  # type: ignore[arg-type]
    comments = columns[:, -1]
    page = TextPage([], page=True)
    start = kept.index(True) if any(kept) else len(blocks)
    page.title, page.description, page.authors, page.date, metadata = _metadata(blocks, reasons, start)
    for i, block in enumerate(blocks):
        if kept[i]:
            if _is_heading(blocks, kept, i):
                page.headings.add(len(page.paragraphs))
            page.paragraphs.append(block.text)
        elif i not in metadata:
            reason = reasons[i] or ("comments" if comments[i] else "not the story")
            page.dropped.append(Dropped(reason, block.text if len(block.text) <= 100 else block.text[:99] + "…"))
    return page


def keep_story(blocks: list[Block], reasons: list[str | None], columns: np.ndarray, scores: np.ndarray, threshold: float) -> list[bool]:
    """Which blocks are the story: scored at ``threshold`` or more, not furniture by rule, not in the comments,
    and not before the story's first paragraph (short lines there are its header: masthead, headline, byline)."""
    comments, prose = columns[:, -1], columns[:, FEATURES.index("prose")]
    kept = [reasons[i] is None and scores[i] >= threshold and not comments[i] for i in range(len(blocks))]
    opening = next((i for i in range(len(blocks)) if kept[i] and prose[i]), len(blocks))
    kept = [False] * opening + kept[opening:]
    if not any(kept):
        # Nothing scored as story (a page unlike any the weights learned from): read the main run of prose
        # rather than lose the article, less what the rules know to be furniture.
        region = columns[:, FEATURES.index("main_region")]
        kept = [bool(region[i]) and reasons[i] is None and not comments[i] for i in range(len(blocks))]
    if not any(kept):  # no prose at all: all but the furniture, as a text was read before pages were told apart
        kept = [reasons[i] is None for i in range(len(blocks))]
    return kept


def _is_heading(blocks: list[Block], kept: list[bool], i: int) -> bool:
    """A kept block that is a sub-heading: short, set apart, without a final stop, with kept prose after it."""
    text = blocks[i].text
    return (
        blocks[i].alone
        and len(WORD.findall(text)) <= _HEADING_MAX_WORDS
        and not _SENTENCE_END.search(text)
        and i + 1 < len(blocks)
        and kept[i + 1]
    )


Metadata = tuple[str | None, str | None, tuple[str, ...], str | None, set[int]]


def _headline(block: Block, reason: str | None) -> bool:
    """Whether a block could be a headline: a few words in sentence or title case, no full stop, no furniture."""
    text = block.text
    words = WORD.findall(text)
    return (
        reason is None
        and 3 <= len(words) <= _HEADLINE_MAX_WORDS
        and text[:1].isupper()
        and not text.endswith((".", ":", ";", ","))
        and any(w.islower() for w in words)  # not a credit in capitals ("JIM WATSON/AFP/Getty Images")
        and not _PAGE_WORDS.search(text)
        and "/" not in text
        and not _PICTURE_CREDIT.search(text)
    )


def _credit_line(text: str) -> bool:
    """A short line that names the writers or gives the date ("By JANE ROE JAN. 13, 2017", "Thu 3 Jan 2019 02.00 EST")."""
    return len(WORD.findall(text)) <= _CREDIT_MAX_WORDS and bool(_BYLINE.match(text) or parse_date(text))


def _metadata(blocks: list[Block], reasons: list[str | None], start: int) -> Metadata:
    """The headline, standfirst, byline and date set before the story (a few blocks up), and which blocks they were.

    The headline is the nearest block above the story that reads as one; bylines, date lines and
    furniture between them are passed over.
    """
    title = standfirst = date = None
    authors: tuple[str, ...] = ()
    used: set[int] = set()
    window = range(start - 1, max(-1, start - 1 - _LOOK_BACK), -1)
    credits = [i for i in window if reasons[i] in _CREDITS or _credit_line(blocks[i].text)]
    for i in credits:
        if (reasons[i] == "byline" or _BYLINE.match(blocks[i].text)) and not authors:
            authors = split_authors(_CREDIT_SEPARATOR.split(_DATE.split(blocks[i].text)[0])[0])
            used.add(i)
        if date is None and (found := parse_date(blocks[i].text)):
            date = found
            used.add(i)
    # The headline stands just above the byline and date lines when there are any, else just above the story.
    below = min(credits) if credits else start
    for i in range(below - 1, max(-1, below - 1 - (_LOOK_BACK if credits else _NEAR)), -1):
        if _headline(blocks[i], reasons[i]):
            title = blocks[i].text
            used.add(i)
            # a shorter headline-like line just above it is the headline, and this one its standfirst
            above = blocks[i - 1] if i else None
            if (
                above
                and not blocks[i].blank_before
                and _headline(above, reasons[i - 1])
                and len(WORD.findall(above.text)) <= len(WORD.findall(title))
            ):
                standfirst, title = title, above.text
                used.add(i - 1)
            break
    return title, standfirst, authors, date, used


def parse_date(text: str) -> str | None:
    """The first date written out in ``text`` ("Sept. 25, 2018", "25 September 2018", "2018-09-25") as ``YYYY-MM-DD``."""
    match = _DATE.search(text)
    if not match:
        return None
    if match.group(7):
        return f"{match.group(7)}-{match.group(8)}-{match.group(9)}"
    month_name, day, year = match.group(1, 2, 3) if match.group(1) else match.group(5, 4, 6)
    month = list(MONTH_ABBR).index(month_name.lower()[:3]) + 1
    return f"{year}-{month:02d}-{int(day):02d}" if 1 <= int(day) <= 31 else None


def first_sentence_title(paragraph: str, language: str = "en") -> str:
    """A title made from the story's first sentence, shortened at a word (for a text that sets no headline apart)."""
    import pysbd

    try:
        segmenter = pysbd.Segmenter(language=language, clean=False)
    except ValueError:  # a language pySBD has no rules for
        segmenter = pysbd.Segmenter(language="en", clean=False)
    sentence = (segmenter.segment(paragraph.strip()) or [paragraph])[0].strip().rstrip(".")
    if len(sentence) <= _TITLE_MAX_CHARS:
        return sentence
    return sentence[:_TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
