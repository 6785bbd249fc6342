"""Every article page of a corpus narrated end to end: failed articles, skipped sentences, debris in the speech.

    python -m bench.narrate_corpus --corpus ../shared/corpus/extraction [--text-only] [--jobs 2]

Without ``--text-only`` every ``<case>/page.html`` is converted with ``articleaudio convert --engine
espeak`` in one batch (all languages), and the figures are read back from the run report and the
manifests. With ``--text-only`` the pages are only extracted and turned into spoken sentences, in this
process, in seconds: the debris figures are the same, there are no failed or skipped sentences to count.

Printed: articles converted and failed, sentences skipped, words spelled letter by letter that the article
also writes as words, spoken sentences that still carry a link's
parts, "@", "=", brackets or markup (each listed), spoken sentences longer than 400 characters (listed
with whether the page wrote them as one sentence), the longest spoken sentence, the language each
narration was read in where it differs from the language the page declares, and (narrated runs) the
caption cues: how many last longer than 7 s or hold more than two lines of 42 characters, their 90th
percentile and the longest, beside the same figures for one cue per sentence.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from articleaudio.speech.lexicon import PHONEME_BLOCK

# What a listener must never hear: parts of a link, an address sign, markup or template syntax.
DEBRIS = {
    # a scheme, "www", a path or query, or a host whose dots were not said ("example dot com" is how a
    # newsreader says a host, and is not debris)
    "link": re.compile(r"(?i)\bhttps?\s?:|\bw ?w ?w\b|://|\b\w+\.(?:com|org|net|html?|php|ly|to|gl)\b|\w/\w+\.\w|[?&]\w+=|%[0-9a-f]{2}"),
    "@": re.compile(r"@"),
    "=": re.compile(r"="),
    "bracket": re.compile(r"[\[\]{}<>]"),
    "markup": re.compile(r"</?[a-z][^>]*>|&[a-z]+;|&#\d+;|\[/?\w+[^\]]*\]"),
}
LONG = 400
# Letters spelled one by one (four or more) whose word the article also writes in ordinary case: a name or a
# word set in capitals that a listener hears spelled ("By Robert B U R N S").
SPELLED = re.compile(r"\b(?:[A-Z] ){3,}[A-Z]\b")


@dataclass
class Findings:
    articles: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    debris: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: {k: [] for k in DEBRIS})
    long: list[tuple[str, int, bool, str]] = field(default_factory=list)
    longest: tuple[int, str, str] = (0, "", "")
    languages: list[tuple[str, str, str]] = field(default_factory=list)
    spelled: list[tuple[str, str, str]] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    """The words the current article writes in ordinary case."""
    cues: list[tuple[int, int]] = field(default_factory=list)
    """(milliseconds, lines) of every caption cue, with the longest line's length folded in as lines > 2."""
    sentence_ms: list[int] = field(default_factory=list)
    """How long each spoken sentence lasts: what one cue per sentence would show."""

    def article(self, texts: list[str]) -> None:
        # names capitalized inside a sentence ("Burns said"), and ordinary words of five letters or more ("instead");
        # not short lower-case tokens, which are as often an initialism's letters in a link ("http", "ietf")
        names = {m.casefold() for text in texts for m in re.findall(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b", text)}
        words = {w for text in texts for w in re.findall(r"\b[a-z]{5,}\b", text)}
        self.words = names | words

    def sentence(self, case: str, text: str, spoken: str, kind: str) -> None:
        for letters in SPELLED.findall(spoken):
            word = letters.replace(" ", "")
            if word.casefold() in self.words:
                self.spelled.append((case, word, spoken))
        bare = PHONEME_BLOCK.sub(" ", spoken)  # a lexicon's phonemes ([[kj'Iv]]) are not debris
        for name, pattern in DEBRIS.items():
            if pattern.search(bare):
                self.debris[name].append((case, spoken))
        if len(spoken) > self.longest[0]:
            self.longest = (len(spoken), case, spoken)
        if len(spoken) > LONG:
            self.long.append((case, len(spoken), _written_as_one(text), spoken))


def _written_as_one(text: str) -> bool:
    """Whether the page itself wrote this as one sentence: no line break and at most one final stop inside."""
    return "\n" not in text and len(re.findall(r"[.!?](?=\s+[A-Z])", text)) == 0


def _cases(corpus: Path, kind: str) -> list[Path]:
    """The corpus's cases of ``kind`` (``page``: real article pages; ``all``: the test fixtures too)."""
    found = []
    for case in sorted(corpus.iterdir()):
        if (case / "page.html").is_file() and (kind == "all" or json.loads((case / "truth.json").read_text()).get("kind") == kind):
            found.append(case)
    return found


def text_only(corpus: Path, kind: str) -> Findings:
    from articleaudio.extract import extract_article
    from articleaudio.settings import Settings
    from articleaudio.source.load import load_source
    from articleaudio.speech.script import segment_article

    found = Findings()
    for case in _cases(corpus, kind):
        try:
            article = extract_article(load_source(str(case / "page.html"), Settings()))
        except Exception as error:  # noqa: BLE001 - a bench lists every failure and goes on
            found.failed.append(f"{case.name}: {error}")
            continue
        found.articles += 1
        found.article(article.paragraphs)
        for sentence in segment_article(article):
            found.sentence(case.name, sentence.text, sentence.spoken, sentence.kind)
    return found


def narrated(corpus: Path, kind: str, jobs: int, keep: Path | None) -> tuple[Findings, float]:
    out = keep or Path(tempfile.mkdtemp(prefix="articleaudio-corpus-"))
    report = out / "run-report.json"
    pages = [str(case / "page.html") for case in _cases(corpus, kind)]
    command = [sys.executable, "-m", "articleaudio", "convert", *pages, "--engine", "espeak", "--jobs", str(jobs), "-o", str(out),
               "--force", "--no-player", "--report", str(report)]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    found = Findings()
    for item in json.loads(report.read_text())["items"]:
        case = Path(item["source"]).parent.name
        if item["status"] == "failed":
            found.failed.append(f"{case}: {item.get('error')}")
            continue
        found.articles += 1
        manifest = json.loads((out / Path(item["mp3"]).name).with_suffix(".json").read_text())
        for left in manifest.get("skipped", []):
            found.skipped.append((case, left["spoken"], left["reason"]))
        found.article([p for section in manifest["article"]["sections"] for p in section["paragraphs"]])
        for s in manifest["sentences"]:
            found.sentence(case, s["text"], s["spoken"], s["kind"])
            found.sentence_ms.append(s["end_ms"] - s["start_ms"])
        found.cues += _vtt_cues((out / Path(item["mp3"]).name).with_suffix(".vtt").read_text(encoding="utf-8"))
        declared = manifest["article"].get("declared_language") or ""
        spoken_in = manifest["article"].get("language") or ""
        if declared and spoken_in and declared.split("-")[0] != spoken_in.split("-")[0]:
            found.languages.append((case, declared, spoken_in))
    return found, seconds


def _vtt_cues(vtt: str) -> list[tuple[int, int]]:
    """(milliseconds, lines) of each cue; a cue with a line over 42 characters counts as three lines."""
    cues = []
    for block in vtt.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if len(lines) < 3:
            continue
        start, end = (_ms(stamp) for stamp in lines[1].split(" --> "))
        text = [line.replace("&lt;", "<").replace("&amp;", "&") for line in lines[2:]]
        cues.append((end - start, len(text) if all(len(line) <= 42 for line in text) else 3))
    return cues


def _ms(stamp: str) -> int:
    hours, minutes, rest = stamp.split(":")
    seconds, millis = rest.split(".")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def _durations(label: str, durations: list[int], over_lines: int | None = None) -> str:
    ordered = sorted(durations)
    if not ordered:
        return f"{label}: none"
    over = sum(1 for d in ordered if d > 7000)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    lines = f", {over_lines} over two lines of 42 characters" if over_lines is not None else ""
    return (f"{label}: {len(ordered)}, {over} ({100 * over / len(ordered):.1f} %) longer than 7 s{lines}, "
            f"p90 {p90 / 1000:.1f} s, longest {ordered[-1] / 1000:.1f} s")  # fmt: skip


def _clip(text: str, width: int = 150) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def show(found: Findings, seconds: float | None) -> None:
    print(f"articles narrated: {found.articles}   failed: {len(found.failed)}" + (f"   in {seconds:.0f} s" if seconds else ""))
    for line in found.failed:
        print(f"  failed  {_clip(line)}")
    print(f"sentences skipped: {len(found.skipped)}")
    for case, spoken, reason in found.skipped:
        print(f"  skipped {case}: {_clip(spoken, 80)} ({reason})")
    for name, hits in found.debris.items():
        print(f"spoken sentences with {name}: {len(hits)}")
        for case, spoken in hits:
            print(f"  {case}: {_clip(spoken)}")
    print(f"words spelled letter by letter that the article also writes as words: {len(found.spelled)}")
    for case, word, spoken in found.spelled:
        print(f"  {case}: {word}: {_clip(spoken, 110)}")
    unwritten = [item for item in found.long if not item[2]]
    print(f"spoken sentences over {LONG} characters: {len(found.long)} ({len(unwritten)} the page did not write as one)")
    for case, length, one, spoken in found.long:
        print(f"  {case} ({length}, {'written as one' if one else 'NOT one sentence'}): {_clip(spoken)}")
    length, case, spoken = found.longest
    print(f"longest spoken sentence: {length} characters ({case}): {_clip(spoken)}")
    if found.cues:
        print(_durations("caption cues", [ms for ms, _ in found.cues], sum(1 for _, lines in found.cues if lines > 2)))
        print(_durations("  one cue per sentence would be", found.sentence_ms))
    if found.languages:
        print(f"narrations read in another language than the page declares: {len(found.languages)}")
        for case, declared, spoken_in in found.languages:
            print(f"  {case}: declared {declared}, read in {spoken_in}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of <case>/page.html (the DEV extraction corpus)")
    parser.add_argument("--text-only", action="store_true", help="extract and normalize only; no synthesis")
    parser.add_argument("--kind", choices=("page", "all"), default="page", help="real article pages only, or the fixtures too")
    parser.add_argument("--jobs", type=int, default=2, help="articles converted at once")
    parser.add_argument("--keep", type=Path, help="write the narrations here and keep them")
    args = parser.parse_args(argv)
    if args.text_only:
        show(text_only(args.corpus, args.kind), None)
    else:
        found, seconds = narrated(args.corpus, args.kind, args.jobs, args.keep)
        show(found, seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
