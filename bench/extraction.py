"""Extraction quality on a corpus of pages with ground truth: token 4-gram P/R/F1 and metadata agreement.

    python -m bench.extraction --corpus ../shared/corpus/extraction --english-only --kind page

Writes one ``<case-id>.txt`` per case (the text that would be read) into ``--out`` and prints the
same precision, recall and F1 as the Scrapinghub/Zyte article-extraction-benchmark metric: tokens
are runs of word characters, compared as multisets of 4-token shingles; per-case precision and
recall are averaged over cases, and F1 is the harmonic mean of the two averages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from articleaudio.errors import ArticleAudioError
from articleaudio.extract.html import extract_article
from articleaudio.extract.report import article_text
from articleaudio.models import Article, Source

_TOKEN = re.compile(r"\w+")


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def case_scores(truth: str, predicted: str) -> tuple[float, float, float]:
    """Normalised true positives, false positives and false negatives for one page."""
    t, p = _shingles(truth), _shingles(predicted)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def aggregate(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Mean precision, mean recall and the F1 of the two means."""
    ps = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class CaseResult:
    case: str
    precision: float
    recall: float
    seconds: float
    article: Article | None
    truth: dict[str, Any]
    error: str | None = None


def _norm(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def metadata_agreement(results: list[CaseResult]) -> dict[str, tuple[int, int]]:
    """Per field: (agreeing cases, cases whose truth has the field)."""
    fields = {"title": "title", "byline": "authors", "site_name": "site_name", "date": "published_time"}
    agreement: dict[str, tuple[int, int]] = {}
    for name, _ in fields.items():
        hits = total = 0
        for r in results:
            if r.article is None:
                continue
            truth: str | None
            got: str | None
            if name == "title":
                truth, got = r.truth.get("title"), r.article.title
            elif name == "byline":
                truth, got = r.truth.get("byline"), ", ".join(r.article.authors)
            elif name == "site_name":
                truth, got = r.truth.get("site_name"), r.article.site_name
            else:
                truth, got = (r.truth.get("published_time") or "")[:10] or None, r.article.date
            if not truth:
                continue
            total += 1
            t, g = _norm(truth), _norm(got)
            hits += t == g if name in {"title", "date"} else bool(g) and (g in t or t in g)
        agreement[name] = (hits, total)
    return agreement


def run(
    corpus: Path, out: Path, english_only: bool, kind: str | None, include_tables: bool = False, text_dir: Path | None = None
) -> list[CaseResult]:
    """Extract every selected case into ``out`` and score it: its page.html, or with ``text_dir`` its ``<case>.txt`` there."""
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for folder in sorted(p for p in corpus.iterdir() if (p / "truth.json").is_file()):
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        if english_only and truth.get("english") is not True:
            continue
        if kind and truth.get("kind", "page") != kind:
            continue
        page = folder / "page.html" if text_dir is None else text_dir / f"{folder.name}.txt"
        if not page.is_file():
            continue
        data = page.read_bytes()
        started = time.perf_counter()
        article, error = None, None
        try:
            source = Source(
                name=str(page), data=data, kind="html" if text_dir is None else "text", url=truth.get("url") if text_dir is None else None
            )
            article = extract_article(source, include_tables)
            text = article_text(article)
        except ArticleAudioError as exc:
            text, error = "", str(exc)
        seconds = time.perf_counter() - started
        (out / f"{truth.get('id', folder.name)}.txt").write_text(text, encoding="utf-8")
        tp, fp, fn = case_scores(truth.get("body") or "", text)
        results.append(CaseResult(folder.name, _precision(tp, fp, fn), _recall(tp, fp, fn), seconds, article, truth, error))
    return results


def summary(results: list[CaseResult], corpus: Path) -> dict[str, Any]:
    """Overall figures, as printed and as pinned by the quality gate."""
    counts = [case_scores(r.truth.get("body") or "", (r.article and article_text(r.article)) or "") for r in results]
    p, r, f = aggregate(counts)
    seconds = sum(x.seconds for x in results)
    return {
        "cases": len(results),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "pages_per_second": round(len(results) / seconds, 2) if seconds else None,
        "metadata": {k: {"agree": a, "of": n} for k, (a, n) in metadata_agreement(results).items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path, help="folder with one sub-folder per case (page.html, truth.json)")
    parser.add_argument("--out", type=Path, help="where to write <case-id>.txt (default: a temporary folder)")
    parser.add_argument("--english-only", action="store_true")
    parser.add_argument("--kind", choices=["page", "fixture"])
    parser.add_argument("--include-tables", action="store_true", help="read tables too (the ground truth keeps them)")
    parser.add_argument("--worst", type=int, default=10, help="list this many lowest-scoring cases")
    parser.add_argument("--json", type=Path, help="write the summary as JSON here")
    parser.add_argument("--text", type=Path, help="also read each case from <case-id>.txt here (the page copied as text) and print both")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"articleaudio: error: {args.corpus}: no such corpus folder", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="articleaudio-extraction-"))
    results = run(args.corpus, out, args.english_only, args.kind, args.include_tables)
    if not results:
        print(f"articleaudio: error: {args.corpus}: no cases (sub-folders with page.html and truth.json) match", file=sys.stderr)
        return 2
    figures = summary(results, args.corpus)
    print(f"cases: {figures['cases']}  precision: {figures['precision']:.4f}  recall: {figures['recall']:.4f}  F1: {figures['f1']:.4f}")
    if args.text:
        as_text = summary(run(args.corpus, out / "text", args.english_only, args.kind, args.include_tables, args.text), args.corpus)
        print(f"{'source':<10} {'cases':>5} {'precision':>10} {'recall':>8} {'F1':>8} {'title':>7}")
        for label, row in (("HTML", figures), ("text", as_text)):
            title = row["metadata"]["title"]
            scores = f"{row['precision']:>10.4f} {row['recall']:>8.4f} {row['f1']:>8.4f}"
            print(f"{label:<10} {row['cases']:>5} {scores} {title['agree']:>3}/{title['of']}")
    print(f"pages per second: {figures['pages_per_second']}  (predictions in {out})")
    for field, agree in figures["metadata"].items():
        share = agree["agree"] / agree["of"] if agree["of"] else 0.0
        print(f"metadata {field}: {agree['agree']}/{agree['of']} ({share:.1%})")
    worst = sorted(results, key=lambda x: 2 * x.precision * x.recall / ((x.precision + x.recall) or 1))
    for x in worst[: args.worst]:
        print(f"  {x.case:<40} P {x.precision:.3f}  R {x.recall:.3f}{'  ' + x.error if x.error else ''}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
