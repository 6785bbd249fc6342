"""Quality gate: corpus scores may not drop below the floors pinned in bench/quality-baseline.json.

    python -m bench.gate --corpus ../shared/corpus            # check
    python -m bench.gate --corpus ../shared/corpus --update   # raise the floors

``--update`` never lowers a floor (a dip inside the noise band keeps the old one) and refuses a drop
beyond the noise band unless ``--allow-regression`` is given, which writes the figures as measured.
Without the corpus folder the gate says it skipped and succeeds, so a checkout without the data can
still run CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from articleaudio.speech.sentences import split_sentences

from . import extraction

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "bench" / "quality-baseline.json"
EPSILON = 0.002  # the scores are deterministic; this only absorbs floating-point and library-version noise


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def measure(corpus: Path) -> dict[str, Any]:
    """Every pinned figure, measured now."""
    figures: dict[str, Any] = {}
    pages = corpus / "extraction"
    if pages.is_dir():
        with tempfile.TemporaryDirectory() as out:
            english = extraction.summary(extraction.run(pages, Path(out) / "en", True, "page"), pages)
            everything = extraction.summary(extraction.run(pages, Path(out) / "all", False, None), pages)
        figures["extraction_english_pages"] = {k: english[k] for k in ("precision", "recall", "f1")}
        figures["extraction_all_cases"] = {k: everything[k] for k in ("precision", "recall", "f1")}
        for field in ("title", "byline"):
            agree = english["metadata"][field]
            figures[f"{field}_agreement_english_pages"] = round(agree["agree"] / max(1, agree["of"]), 4)
    texts = corpus / "extraction-text"
    if pages.is_dir() and texts.is_dir():
        with tempfile.TemporaryDirectory() as out:
            as_text = extraction.summary(extraction.run(pages, Path(out), True, "page", text_dir=texts), pages)
        figures["extraction_text_english_pages"] = {k: as_text[k] for k in ("precision", "recall", "f1")}
    gold_path = corpus / "sentences" / "golden_rules_en.json"
    if gold_path.is_file():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        exact = sum(split_sentences(c["text"]) == [s.strip() for s in c["sentences"] if s.strip()] for c in gold)
        figures["sentences_golden_rules_en"] = round(exact / len(gold), 4)
    inputs = [*pages.glob("*/truth.json"), *pages.glob("*/page.html"), *texts.glob("*.txt"), gold_path] if pages.is_dir() else [gold_path]
    figures["inputs"] = _digest([p for p in inputs if p.is_file()])
    return figures


def _flatten(figures: dict[str, Any], prefix: str = "") -> dict[str, float]:
    flat: dict[str, float] = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        elif isinstance(value, (int, float)):
            flat[f"{prefix}{key}"] = float(value)
    return flat


def _keep_higher(now: dict[str, Any], pinned: dict[str, Any]) -> dict[str, Any]:
    """The figures measured now, except that a floor never comes down (a dip inside the noise band keeps the old floor)."""
    kept: dict[str, Any] = {}
    for key, value in now.items():
        old = pinned.get(key)
        if isinstance(value, dict):
            kept[key] = _keep_higher(value, old if isinstance(old, dict) else {})
        elif isinstance(value, float) and isinstance(old, (int, float)):
            kept[key] = max(value, float(old))
        else:
            kept[key] = value
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--update", action="store_true", help="write the figures measured now as the new floors")
    parser.add_argument("--allow-regression", action="store_true", help="with --update, allow lower floors")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"quality gate skipped: no corpus at {args.corpus}")
        return 0
    now = measure(args.corpus)
    pinned = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline.is_file() else {}
    current, floors = _flatten(now), _flatten(pinned)
    drops = {k: (floors[k], current.get(k, 0.0)) for k in floors if current.get(k, 0.0) < floors[k] - EPSILON}
    for key in sorted(current):
        floor = floors.get(key)
        mark = "  REGRESSION" if key in drops else ""
        print(
            f"{key:<45} {current[key]:.4f}  (floor {floor:.4f}){mark}" if floor is not None else f"{key:<45} {current[key]:.4f}  (no floor)"
        )
    if pinned.get("inputs") and pinned["inputs"] != now["inputs"]:
        print(f"note: the corpus differs from the one the floors were pinned on ({pinned['inputs']} -> {now['inputs']})")
    if args.update:
        if drops and not args.allow_regression:
            print("refusing to lower floors without --allow-regression: " + ", ".join(sorted(drops)), file=sys.stderr)
            return 1
        written = now if args.allow_regression else _keep_higher(now, pinned)
        args.baseline.write_text(json.dumps(written, indent=2) + "\n", encoding="utf-8")
        print(f"floors written to {args.baseline}")
        return 0
    if drops:
        for key, (floor, value) in sorted(drops.items()):
            print(f"quality gate failed: {key} {value:.4f} is below its floor {floor:.4f}", file=sys.stderr)
        return 1
    print("quality gate passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
