"""Sentence splitting against a gold set: exact-match accuracy and boundary precision/recall/F1.

    python -m bench.sentences --gold ../shared/corpus/sentences/golden_rules_en.json --out pred.json

The gold file is a JSON list of {"text", "sentences"} cases. ``--out`` writes our split as a JSON
list of lists, in the gold order, for an external scorer.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from articleaudio.speech.sentences import split_sentences


def _boundaries(sentences: list[str]) -> set[int]:
    position, found = 0, set()
    for sentence in sentences[:-1]:
        position += len("".join(sentence.split()))
        found.add(position)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", required=True, type=Path)
    parser.add_argument("--out", type=Path, help="write predictions here (JSON list of lists)")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"articleaudio: error: {args.gold}: no such gold file", file=sys.stderr)
        return 2
    try:
        gold = json.loads(args.gold.read_text(encoding="utf-8"))
        predictions = [split_sentences(case["text"]) for case in gold]
    except (ValueError, TypeError, KeyError) as exc:
        print(f"articleaudio: error: {args.gold}: not a gold set (a JSON list of {{text, sentences}}): {exc}", file=sys.stderr)
        return 2
    exact = tp = fp = fn = 0
    for case, predicted in zip(gold, predictions, strict=True):
        want = [s.strip() for s in case["sentences"] if s.strip()]
        if predicted == want:
            exact += 1
        else:
            print(f"  {case.get('id', '?')}: {case.get('rule', '')}\n    want {want}\n    got  {predicted}")
        if "".join("".join(want).split()) == "".join("".join(predicted).split()):
            a, b = _boundaries(want), _boundaries(predicted)
            tp, fp, fn = tp + len(a & b), fp + len(b - a), fn + len(a - b)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"exact match: {exact}/{len(gold)} ({exact / len(gold):.2%})  boundary P {precision:.4f} R {recall:.4f} F1 {f1:.4f}")
    if args.out:
        args.out.write_text(json.dumps(predictions, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
