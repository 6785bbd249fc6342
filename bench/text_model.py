"""Learn the weights of the text-page classifier (``src/articleaudio/data/text_blocks.json``) from a corpus.

    python -m bench.text_model --corpus ../shared/corpus            # cross-validate, then fit and write the weights
    python -m bench.text_model --corpus ../shared/corpus --check    # cross-validate only; write nothing

Each page of ``extraction/`` (English, kind ``page``) is read as its text copy in ``extraction-text/``,
cut into blocks as articleaudio cuts it, and each block is labelled "story" when half or more of its
4-token shingles are in the ground truth. Two logistic regressions are fitted, the second seeing the
first one's scores around each block; every page weighs the same. The cross-validated figures (six
folds, each page scored by weights that never saw it) are the honest estimate; they are printed beside
the figures of the final weights on the pages they were fitted to.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

from articleaudio.extract.textblocks import FEATURES, Block, block_features, text_blocks
from articleaudio.extract.textpage import rule_reasons, with_neighbours

from .extraction import aggregate, case_scores

MODEL = Path(__file__).resolve().parents[1] / "src" / "articleaudio" / "data" / "text_blocks.json"
THRESHOLD = 0.45  # cross-validated, 0.45 keeps both precision and recall above 0.90 (0.5: recall 0.898)
FOLDS = 6
_TOKEN = re.compile(r"\w+")


def _grams(tokens: list[str]) -> list[tuple[str, ...]]:
    if len(tokens) < 4:
        return [tuple(tokens)] if tokens else []
    return [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]


def labelled_pages(corpus: Path) -> dict[str, tuple[list[Block], np.ndarray, np.ndarray, str]]:
    """Per page: its blocks, their features, their labels and the ground truth."""
    pages = {}
    for folder in sorted((corpus / "extraction").iterdir()):
        truth_file, text_file = folder / "truth.json", corpus / "extraction-text" / f"{folder.name}.txt"
        if not truth_file.is_file() or not text_file.is_file():
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        if truth.get("english") is not True or truth.get("kind") != "page":
            continue
        body = truth.get("body") or ""
        tokens = _TOKEN.findall(body)
        known, joined = set(_grams(tokens)), f" {' '.join(tokens)} "
        blocks = text_blocks(text_file.read_text(encoding="utf-8"))
        labels = []
        for block in blocks:
            words = _TOKEN.findall(block.text)
            if len(words) >= 4:
                grams = _grams(words)
                labels.append(sum(g in known for g in grams) / len(grams) >= 0.5)
            else:
                labels.append(bool(words) and f" {' '.join(words)} " in joined)
        pages[folder.name] = (blocks, block_features(blocks), np.array(labels, dtype=float), body)
    return pages


def _fit(
    columns: list[np.ndarray], labels: list[np.ndarray], iterations: int = 3000, rate: float = 0.5, l2: float = 1e-3
) -> dict[str, Any]:
    x, y = np.vstack(columns), np.concatenate(labels)
    weight = np.concatenate([np.full(len(lab), 1.0 / len(lab)) for lab in labels if len(lab)])
    weight /= weight.mean()
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-z @ w))
        w -= rate * (z.T @ ((p - y) * weight) / len(y) + l2 * w)
    return {"mean": mean.tolist(), "scale": scale.tolist(), "weights": w.tolist()}


def _score(stage: dict[str, Any], columns: np.ndarray) -> np.ndarray:
    z = (columns - np.array(stage["mean"])) / np.array(stage["scale"])
    w = np.array(stage["weights"])
    return np.asarray(1 / (1 + np.exp(-(z @ w[:-1] + w[-1]))))


def fit(pages: dict[str, tuple[list[Block], np.ndarray, np.ndarray, str]], names: list[str]) -> dict[str, Any]:
    """Both stages, fitted on ``names``."""
    used = [n for n in names if len(pages[n][0])]
    first = _fit([pages[n][1] for n in used], [pages[n][2] for n in used])
    second_columns = [with_neighbours(_score(first, pages[n][1]), pages[n][1]) for n in used]
    second = _fit(second_columns, [pages[n][2] for n in used])
    return {"first": first, "second": second}


def read(model: dict[str, Any], blocks: list[Block], columns: np.ndarray) -> str:
    """The story the model and the rules keep, as the text that would be read."""
    if not blocks:
        return ""
    scores = _score(model["second"], with_neighbours(_score(model["first"], columns), columns))
    reasons = rule_reasons(blocks)
    return "\n\n".join(
        b.text for b, s, r, c in zip(blocks, scores, reasons, columns[:, -1], strict=True) if s >= THRESHOLD and not r and not c
    )


def figures(model_for: dict[str, dict[str, Any]], pages: dict[str, tuple[list[Block], np.ndarray, np.ndarray, str]]) -> tuple[float, ...]:
    counts = [case_scores(pages[n][3], read(model_for[n], pages[n][0], pages[n][1])) for n in pages]
    return aggregate(counts)


def alternatives(pages: dict[str, tuple[list[Block], np.ndarray, np.ndarray, str]]) -> dict[str, tuple[float, ...]]:
    """What simpler readers score on the same blocks: the whole text, and jusText's own classifier over its lines."""
    import html

    import justext

    whole, by_justext = [], []
    for blocks, _, _, truth in pages.values():
        text = "\n\n".join(b.text for b in blocks)
        whole.append(case_scores(truth, text))
        page = "<html><body>" + "".join(f"<p>{html.escape(b.text)}</p>" for b in blocks) + "</body></html>"
        kept = [p.text for p in justext.justext(page.encode(), justext.get_stoplist("English")) if not p.is_boilerplate] if blocks else []
        by_justext.append(case_scores(truth, "\n\n".join(kept)))
    return {"the whole text": aggregate(whole), "jusText alone": aggregate(by_justext)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"), help="folder holding extraction/ and extraction-text/")
    parser.add_argument("--check", action="store_true", help="cross-validate only; leave the weights file alone")
    args = parser.parse_args(argv)
    if not (args.corpus / "extraction-text").is_dir():
        print(f"articleaudio: error: {args.corpus}: no extraction-text/ folder", file=sys.stderr)
        return 2
    pages = labelled_pages(args.corpus)
    names = sorted(pages)
    folds = [names[i::FOLDS] for i in range(FOLDS)]
    held_out: dict[str, dict[str, Any]] = {}
    for fold in folds:
        model = fit(pages, [n for n in names if n not in fold])
        held_out.update(dict.fromkeys(fold, model))
    p, r, f = figures(held_out, pages)
    print(f"{len(pages)} pages, {sum(len(v[0]) for v in pages.values())} blocks, {len(FEATURES)} features")
    for label, (ap, ar, af) in alternatives(pages).items():
        print(f"{label + ':':<27} precision {ap:.4f}  recall {ar:.4f}  F1 {af:.4f}")
    print(f"cross-validated ({FOLDS} folds): precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}")
    final = fit(pages, names)
    p2, r2, f2 = figures(dict.fromkeys(names, final), pages)
    print(f"final weights, on the pages they were fitted to: precision {p2:.4f}  recall {r2:.4f}  F1 {f2:.4f}")
    if not args.check:
        final.update(
            {
                "features": list(FEATURES),
                "threshold": THRESHOLD,
                "fitted_on": f"{len(pages)} English pages of the DEV corpus as text (bench/text_model.py)",
                "cross_validated": {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)},
            }
        )
        MODEL.write_text(json.dumps(final, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL.relative_to(MODEL.parents[3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
