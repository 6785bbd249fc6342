"""Sentence splitting against a gold set: exact-match accuracy per case, ours beside pySBD, and boundary P/R/F1.

    python -m bench.sentences --gold ../shared/corpus/sentences/golden_rules_en.json [--out pred.json]
    python -m bench.sentences --gold bench/sentences-gold.json --corpus ../shared/corpus/extraction

A gold file is either a JSON list of {"text", "sentences"} cases (the Golden Rules), or our set of real
paragraphs (``bench/sentences-gold.json``): rows that point into the extraction corpus (a case, the index of
a paragraph of its truth's body, the paragraph's hash and where its sentences begin), read from ``--corpus``,
and paragraphs written for the set. ``--out`` writes our split as a JSON list of lists, in the gold order.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from articleaudio.speech.sentences import _segmenter, split_sentences

Splitter = Callable[[str], list[str]]


def _boundaries(sentences: list[str]) -> set[int]:
    position, found = 0, set()
    for sentence in sentences[:-1]:
        position += len("".join(sentence.split()))
        found.add(position)
    return found


def _pysbd(text: str) -> list[str]:
    return [s.strip() for s in _segmenter("en").segment(text) if s.strip()]


def _ours(text: str) -> list[str]:
    return [s.strip() for s in split_sentences(text, "en") if s.strip()]


def load_cases(gold: Any, corpus: Path | None) -> dict[str, list[dict[str, Any]]]:
    """The gold cases by part: ``{"part": [{"id", "text", "sentences"}, …]}``."""
    if isinstance(gold, list):
        return {"golden rules": [{"id": c.get("id", i), "text": c["text"], "sentences": c["sentences"]} for i, c in enumerate(gold)]}
    if corpus is None:
        raise ValueError("this gold set points into the extraction corpus: give --corpus")
    parts: dict[str, list[dict[str, Any]]] = {"corpus paragraphs": [], "written paragraphs": []}
    bodies: dict[str, list[str]] = {}
    for row in gold["corpus"]:
        if row["case"] not in bodies:
            truth = json.loads((corpus / row["case"] / "truth.json").read_text(encoding="utf-8"))
            bodies[row["case"]] = [p.strip() for p in truth["body"].split("\n\n")]
        text = bodies[row["case"]][row["paragraph"]]
        if hashlib.sha256(text.encode()).hexdigest()[: len(row["sha256"])] != row["sha256"]:
            raise ValueError(f"{row['case']} paragraph {row['paragraph']} is not the paragraph the gold set was made from")
        bounds = [0, *row["cuts"], len(text)]
        sentences = [text[a:b].strip() for a, b in itertools.pairwise(bounds)]
        parts["corpus paragraphs"].append({"id": f"{row['case']}/{row['paragraph']}", "text": text, "sentences": sentences})
    parts["written paragraphs"] = [
        {"id": f"written/{i}", "text": c["text"], "sentences": c["sentences"]} for i, c in enumerate(gold["written"])
    ]
    return parts


def score(cases: list[dict[str, Any]], split: Splitter) -> tuple[int, float, float, float, list[tuple[str, list[str], list[str]]]]:
    """Exact matches, boundary precision, recall and F1, and the cases missed (id, wanted, got)."""
    exact = tp = fp = fn = 0
    missed = []
    for case in cases:
        want = [s.strip() for s in case["sentences"] if s.strip()]
        got = split(case["text"])
        if got == want:
            exact += 1
        else:
            missed.append((str(case["id"]), want, got))
        if "".join("".join(want).split()) == "".join("".join(got).split()):
            a, b = _boundaries(want), _boundaries(got)
            tp, fp, fn = tp + len(a & b), fp + len(b - a), fn + len(a - b)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return exact, precision, recall, f1, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", required=True, type=Path)
    parser.add_argument("--corpus", type=Path, help="the extraction corpus, for a gold set that points into it")
    parser.add_argument("--out", type=Path, help="write our predictions here (JSON list of lists)")
    parser.add_argument("--show", type=int, default=10, help="cases we miss to list")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"articleaudio: error: {args.gold}: no such gold file", file=sys.stderr)
        return 2
    try:
        parts = load_cases(json.loads(args.gold.read_text(encoding="utf-8")), args.corpus)
    except (OSError, ValueError, TypeError, KeyError, IndexError) as exc:
        print(f"articleaudio: error: {args.gold}: not a usable gold set: {exc}", file=sys.stderr)
        return 2
    every = [case for cases in parts.values() for case in cases]
    print(f"{'exact match per case':<28}{'cases':>7}{'ours':>16}{'pySBD':>16}")
    for name, cases in [*parts.items(), *([("all", every)] if len(parts) > 1 else [])]:
        ours, theirs = score(cases, _ours)[0], score(cases, _pysbd)[0]
        print(f"{name:<28}{len(cases):>7}{ours:>7} {ours / len(cases):>7.1%}{theirs:>7} {theirs / len(cases):>7.1%}")
    _, precision, recall, f1, missed = score(every, _ours)
    _, p2, r2, f2, _ = score(every, _pysbd)
    print(f"boundaries (ours)   P {precision:.4f} R {recall:.4f} F1 {f1:.4f}")
    print(f"boundaries (pySBD)  P {p2:.4f} R {r2:.4f} F1 {f2:.4f}")
    for ident, want, got in missed[: args.show]:
        print(f"  missed {ident}\n    want {want}\n    got  {got}")
    if args.out:
        args.out.write_text(json.dumps([_ours(case["text"]) for case in every], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
