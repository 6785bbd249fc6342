"""Where extraction recall goes: the ground truth's words that are not read, by why they are not.

    python -m bench.misses --corpus ../shared/corpus/extraction --english-only --kind page

Each run of ground-truth words that the text to be read lacks is found on the page, and the element
holding it names the reason: a table, code, a caption, a reference list, comments, a related-story card
(our clutter rules, by the same names `extract --explain` prints), a furniture line, or nothing, in which
case the main-content extractor left it out. The table gives each reason's cost in mean per-case recall,
the unit of the corpus scorer.

Two bounds follow, for an extractor that would read every other word of the truth and nothing else
(precision 1.0): one that leaves out only what the extraction issue's own rules leave out (captions,
credits, tables and code by default, citation markers, teaser cards, appeals, bylines and datelines), and
one that also leaves out what is not the article (reference lists, comments, contents, navigation, asides,
author boxes). Formulae count as article: the bounds read them. The bounds show how much of the recall
the narration policy, rather than the extractor, decides. Word runs are counted in tokens (the scorer
counts four-word shingles), so the figures are close to the scorer's, not equal to them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from articleaudio.errors import ArticleAudioError
from articleaudio.extract.clutter import clutter_reason
from articleaudio.extract.furniture import line_reason
from articleaudio.extract.html import extract_article
from articleaudio.extract.report import article_text
from articleaudio.models import Source

_TOKEN = re.compile(r"\w+")
_GRAM = 4

# Reasons the extraction issue itself gives for leaving text out of the narration.
ISSUE_RULES = frozenset(
    {"caption", "credit", "table", "code", "citation marker", "related-story card", "news feed", "newsletter form",
     "membership appeal", "byline", "dateline", "updated line", "share bar", "audio player", "audio label", "tag list",
     "advertisement", "promotion", "hidden", "cookie notice", "headline repeated"}
)  # fmt: skip
# Reasons a page's text is not the article, though the issue does not name them.
NOT_ARTICLE = frozenset(
    {"reference list", "comments", "contents", "navigation", "aside", "footer", "header", "banner", "author box",
     "heading of furniture", "copyright", "form", "button", "dialog", "embed", "coordinates"}
)  # fmt: skip
EXTRACTOR = "left out by the extractor"
NOT_ON_PAGE = "not found on the page"

# Reporting names for page parts our rules do not need to know (the extractor drops them by itself).
_NAMED_PARTS = (
    ("reference list", re.compile(r"reflist|refbegin|\breferences?\b|citation|footnotes", re.I)),
    ("contents", re.compile(r"\btoc|toclevel|table-of-contents", re.I)),
    ("comments", re.compile(r"comment", re.I)),
    ("caption", re.compile(r"caption", re.I)),
    ("author box", re.compile(r"\bbio\b|-bio\b|about-the-author|author-bio|authors-article", re.I)),
    ("formula", re.compile(r"mathjax|\bmjx|katex", re.I)),
)
_TAG_REASONS = {"table": "table", "pre": "code", "code": "code", "math": "formula", "figcaption": "caption"}


@dataclass
class CaseMisses:
    """One case: how many truth tokens it has and the missing ones by reason."""

    case: str
    tokens: int
    missing: dict[str, int]
    examples: dict[str, str]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _grams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + _GRAM]) for i in range(len(tokens) - _GRAM + 1)}


def missing_runs(truth: str, predicted: str) -> list[tuple[int, list[str]]]:
    """Runs of truth tokens that no four-token run of the prediction covers, each with where it starts."""
    tokens = _tokens(truth)
    have = _grams(_tokens(predicted))
    covered = [False] * len(tokens)
    for i in range(len(tokens) - _GRAM + 1):
        if tuple(tokens[i : i + _GRAM]) in have:
            covered[i : i + _GRAM] = [True] * _GRAM
    runs: list[tuple[int, list[str]]] = []
    for i, (token, done) in enumerate(zip(tokens, covered, strict=True)):
        if not done:
            if runs and runs[-1][0] + len(runs[-1][1]) == i:
                runs[-1][1].append(token)
            else:
                runs.append((i, [token]))
    return runs


class _Page:
    """A page's words in order, each with the element that holds it, to find where a run of truth stands."""

    def __init__(self, html: str) -> None:
        from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction

        soup = BeautifulSoup(html, "lxml")
        for node in soup.find_all(["script", "style", "noscript", "template"]):
            node.decompose()
        self.words: list[str] = []
        self.owners: list[Any] = []
        for text in soup.find_all(string=True):
            if isinstance(text, Comment | Declaration | Doctype | ProcessingInstruction):
                continue
            for token in _tokens(str(text)):
                self.words.append(token)
                self.owners.append(text.parent)
        self.at: dict[tuple[str, ...], int] = {}
        for i in range(len(self.words) - _GRAM + 1):
            self.at.setdefault(tuple(self.words[i : i + _GRAM]), i)
        self.size = max(len(self.words), 1)

    def locate(self, tokens: list[str], i: int) -> int | None:
        """Where truth token ``i`` stands on the page, found by a four-token run that starts (or ends) there."""
        for first in (i, i - _GRAM + 1):
            gram = tuple(tokens[first : first + _GRAM]) if first >= 0 else ()
            found = self.at.get(gram) if len(gram) == _GRAM else None
            if found is not None:
                return found + i - first
        return None


def reason_for(element: Any, page_words: int) -> str:
    """Why the words in ``element`` are not read: the nearest telling ancestor, else a furniture line rule."""
    block = None
    for node in [element, *element.parents]:
        name = getattr(node, "name", None)
        if name is None or name in {"html", "body", "[document]"}:
            break
        if block is None and name in {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "dd", "div"}:
            block = node
        if name == "sup" and "reference" in " ".join(node.get("class") or []):
            return "citation marker"
        if name in _TAG_REASONS:
            return _TAG_REASONS[name]
        words = " ".join([*(node.get("class") or []), str(node.get("id") or "")])
        # a wrapper holding most of the page (a "post has-comments" <div>) says nothing about one part of it
        if len(_tokens(node.get_text(" "))) > 0.5 * page_words:
            continue
        for label, pattern in _NAMED_PARTS:
            if words.strip() and pattern.search(words):
                return label
        if reason := clutter_reason(node):
            return reason
    if block is not None and (reason := line_reason(" ".join(block.get_text(" ").split()))):
        return reason
    return EXTRACTOR


def case_misses(case: str, html: str, truth: str, predicted: str) -> CaseMisses:
    """The truth tokens of one case that ``predicted`` lacks, counted by reason.

    Each missing token is followed on the page from where its run was found, so that a run crossing a
    paragraph and a formula counts each part under its own reason.
    """
    page = _Page(html)
    reasons: dict[int, str] = {}  # by element, computed once
    missing: dict[str, int] = defaultdict(int)
    examples: dict[str, list[str]] = {}
    tokens = _tokens(truth)
    for start, run in missing_runs(truth, predicted):
        i, parts = 0, []
        while i < len(run):
            at = page.locate(tokens, start + i)
            if at is None:
                parts.append((NOT_ON_PAGE, run[i]))
                i += 1
                continue
            while i < len(run) and at < len(page.words) and page.words[at] == run[i]:
                owner = page.owners[at]
                if id(owner) not in reasons:
                    reasons[id(owner)] = reason_for(owner, page.size)
                parts.append((reasons[id(owner)], run[i]))
                i, at = i + 1, at + 1
            if i < len(run) and (at >= len(page.words) or page.words[at] != run[i]) and page.locate(tokens, start + i) == at:
                parts.append((NOT_ON_PAGE, run[i]))  # the page's next word differs and no other place fits
                i += 1
        for reason, _ in parts:
            missing[reason] += 1
        for reason in {reason for reason, _ in parts}:
            words = [token for r, token in parts if r == reason]
            if len(words) > len(examples.get(reason, [])):
                examples[reason] = words
    return CaseMisses(case, len(tokens), dict(missing), {r: " ".join(w) for r, w in examples.items()})


def recall_by_reason(cases: list[CaseMisses]) -> dict[str, float]:
    """Each reason's cost in mean per-case recall."""
    cost: dict[str, float] = defaultdict(float)
    for c in cases:
        for reason, n in c.missing.items():
            cost[reason] += n / max(c.tokens, 1) / len(cases)
    return dict(cost)


def bound(cases: list[CaseMisses], left_out: frozenset[str]) -> tuple[float, float]:
    """Recall and F1 (at precision 1.0) of an extractor that leaves out only ``left_out`` and reads all else."""
    recall = sum(1 - sum(n for r, n in c.missing.items() if r in left_out) / max(c.tokens, 1) for c in cases) / len(cases)
    return recall, 2 * recall / (1 + recall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path, help="folder with one sub-folder per case (page.html, truth.json)")
    parser.add_argument("--english-only", action="store_true")
    parser.add_argument("--kind", choices=["page", "fixture"])
    parser.add_argument("--include-tables", action="store_true", help="read tables too")
    parser.add_argument("--cases", type=int, default=0, help="also list this many cases with the most missing, by reason")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"articleaudio: error: {args.corpus}: no such corpus folder", file=sys.stderr)
        return 2
    cases: list[CaseMisses] = []
    for folder in sorted(p for p in args.corpus.iterdir() if (p / "truth.json").is_file()):
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        if (args.english_only and truth.get("english") is not True) or (args.kind and truth.get("kind", "page") != args.kind):
            continue
        source = Source(name=str(folder / "page.html"), data=(folder / "page.html").read_bytes(), kind="html", url=truth.get("url"))
        try:
            predicted = article_text(extract_article(source, args.include_tables))
        except ArticleAudioError:
            predicted = ""
        cases.append(case_misses(folder.name, source.text(), truth.get("body") or "", predicted))
    if not cases:
        print(f"articleaudio: error: {args.corpus}: no cases (sub-folders with page.html and truth.json) match", file=sys.stderr)
        return 2
    cost = recall_by_reason(cases)
    print(f"cases: {len(cases)}  recall (token runs): {1 - sum(cost.values()):.4f}")
    print(f"{'recall lost':>11}  reason")
    for reason, lost in sorted(cost.items(), key=lambda item: -item[1]):
        kind = "issue rule" if reason in ISSUE_RULES else "not the article" if reason in NOT_ARTICLE else ""
        print(f"{lost:>11.4f}  {reason}{f'  ({kind})' if kind else ''}")
    for name, left_out in (
        ("the issue's rules", ISSUE_RULES),
        ("the issue's rules and what is not the article", ISSUE_RULES | NOT_ARTICLE),
    ):
        recall, f1 = bound(cases, left_out)
        print(f"bound, leaving out only {name}: recall {recall:.4f}, F1 {f1:.4f} at precision 1.0")
    for c in sorted(cases, key=lambda c: -sum(c.missing.values()) / max(c.tokens, 1))[: args.cases]:
        print(f"\n{c.case}: {sum(c.missing.values()) / max(c.tokens, 1):.3f} of {c.tokens} tokens missing")
        for reason, n in sorted(c.missing.items(), key=lambda item: -item[1]):
            print(f"  {n:>6}  {reason:<28} {c.examples[reason][:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
