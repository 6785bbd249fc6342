"""Word error rate of narrations as heard by the bundled Whisper model, per engine, on real news stories.

    python -m bench.wer --corpus ../shared/corpus/extraction [--engines espeak piper] [--words 250]

The opening of each story (about ``--words`` words, whole paragraphs) is read from the corpus page,
narrated without the introduction by each engine, and checked with ``articleaudio verify``: the
transcript against the article's written words, both through Whisper's English text normalizer. The
stories are the corpus's news pages, which no speech rule was tuned on. Printed: words, errors and word
error rate per engine beside the target, the sentences heard worst, and where the errors fall
(ordinary words, names and other words, words heard that were not said).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

STORIES = ("bbc-1", "cnn", "guardian-1", "nytimes-1", "nytimes-2", "nytimes-3", "wapo-1", "wapo-2", "seattletimes-1", "telegraph",
           "herald-sun-1", "buzzfeed-1")  # fmt: skip
TARGETS = {"espeak": 0.15, "piper": 0.07, "pyttsx3": 0.15}


def openings(corpus: Path, words: int, folder: Path) -> list[Path]:
    """Markdown files with each story's title and its first paragraphs, about ``words`` words."""
    from articleaudio.extract import extract_article
    from articleaudio.settings import Settings
    from articleaudio.source.load import load_source

    files = []
    for case in STORIES:
        article = extract_article(load_source(str(corpus / case / "page.html"), Settings()))
        kept: list[str] = []
        for paragraph in article.paragraphs:
            if sum(len(p.split()) for p in kept) >= words:
                break
            kept.append(paragraph)
        path = folder / f"{case}.md"
        path.write_text(f"---\nlang: en\n---\n# {article.title}\n\n" + "\n\n".join(kept) + "\n", encoding="utf-8")
        files.append(path)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of <case>/page.html (the DEV extraction corpus)")
    parser.add_argument("--engines", nargs="+", default=["espeak", "piper"])
    parser.add_argument("--words", type=int, default=250, help="words read from the opening of each story")
    parser.add_argument("--worst", type=int, default=5, help="sentences heard worst to list per engine")
    args = parser.parse_args(argv)
    from articleaudio.audio.verify import verify_narration

    folder = Path(tempfile.mkdtemp(prefix="articleaudio-wer-"))
    sources = openings(args.corpus, args.words, folder)
    rows = []
    breakdown: list[tuple[str, int, Counter[str]]] = []
    for engine in args.engines:
        out = folder / engine
        command = [sys.executable, "-m", "articleaudio", "convert", *map(str, sources), "--engine", engine, "--no-intro", "--no-player",
                   "-q", "-o", str(out)]  # fmt: skip
        subprocess.run(command, check=True)
        errors = words = 0
        worst = []
        kinds: Counter[str] = Counter()
        for mp3 in sorted(out.glob("*.mp3")):
            result = verify_narration(mp3)
            errors += result.errors
            words += result.words
            worst += [(s.wer, mp3.stem, s.expected, s.heard) for s in result.worst(args.worst)]
            for sentence in result.sentences:
                kinds.update(error_kinds(sentence.expected, sentence.heard, sentence.spoken))
        rows.append((engine, words, errors, errors / words if words else 0.0))
        breakdown.append((engine, words, kinds))
        print(f"{engine}: sentences heard worst")
        for wer, stem, expected, heard in sorted(worst, reverse=True)[: args.worst]:
            print(f"  {wer:.0%} {stem[:30]}: {expected[:90]!r}\n        heard: {heard[:90]!r}")
    print(f"\n{len(sources)} stories, about {args.words} words each\n")
    print(f"{'engine':<10}{'words':>8}{'errors':>8}{'WER':>9}{'target':>9}")
    for engine, words, errors, wer in rows:
        target = TARGETS.get(engine)
        mark = "" if target is None else ("  met" if wer <= target else "  NOT met")
        print(f"{engine:<10}{words:>8}{errors:>8}{wer:>8.1%}{'' if target is None else f'{target:>8.0%}':>9}{mark}")
    print(
        "\nwhere the errors fall (per sentence, as a share of all words): at an ordinary word of the English word list "
        "or a number, at another word (a name, a foreign word), or a word heard that was not said"
    )
    for engine, words, kinds in breakdown:
        shares = ", ".join(f"{kind} {kinds[kind] / words:.1%}" for kind in ("ordinary", "other", "extra") if words)
        print(f"  {engine}: {shares}")
    print(
        "\nheard words that espeak-ng says as the written ones (homophones, such as 'their' for 'there'), which the "
        "figures above take as heard right: without that, the errors would be"
    )
    for engine, words, kinds in breakdown:
        strict = next(errors for name, _, errors, _ in rows if name == engine) + kinds["homophones"]
        print(f"  {engine}: {kinds['homophones']} more, {strict} ({strict / words:.1%})" if words else f"  {engine}: no words")
    return 0


def error_kinds(expected: str, heard: str, spoken: str = "") -> Counter[str]:
    """The errors of one sentence by the written word they fall on: "ordinary" (in the system's English word
    list, or a number), "other" (a name or a foreign word) or "extra" (heard, not said); and "homophones", the
    errors there would be more if heard words that sound as the written ones were not taken as them."""
    from difflib import SequenceMatcher

    from articleaudio.audio.verify import comparable, edit_distance, sounded_alike, words
    from articleaudio.speech.acronyms import dictionary

    ordinary = dictionary()[0]
    said, got = comparable(words(expected, written=True), words(spoken, written=True), words(heard))
    kinds: Counter[str] = Counter()
    alike = sounded_alike(said, got)
    if alike != got:
        kinds["homophones"] = edit_distance(said, got) - edit_distance(said, alike)
    got = alike
    for op, i1, i2, j1, j2 in SequenceMatcher(None, said, got, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        kinds.update("ordinary" if w in ordinary or w.isdigit() else "other" for w in said[i1:i2])
        kinds["extra"] += max(0, (j2 - j1) - (i2 - i1))
    return kinds


if __name__ == "__main__":
    raise SystemExit(main())
