"""Fresh pyttsx3 engine processes narrating the sample: count empty clips and clips at the wrong rate.

Each run starts a new worker process (a fresh pyttsx3 and libespeak-ng), synthesizes every
sentence of the sample article, and compares each clip with espeak-ng's command line on the
same text (the reference is deterministic). A clip more than 5 % longer or shorter than the
reference was spoken at the wrong rate.

    python -m bench.engine_stability --runs 20
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from articleaudio.audio.synthesize import validate_clip
from articleaudio.engines import get_engine
from articleaudio.extract.html import extract_article
from articleaudio.source.load import load_source
from articleaudio.speech.script import segment_article

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-article.html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--source", default=str(SAMPLE))
    parser.add_argument("--rate", type=int, default=175)
    args = parser.parse_args()

    sentences = segment_article(extract_article(load_source(args.source)))
    reference = get_engine("espeak")
    expected = [reference.synthesize(s.spoken, "en-us", args.rate).duration for s in sentences]
    totals = {"clips": 0, "empty": 0, "wrong_rate": 0, "wrong_sample_rate": 0, "invalid": 0}
    times = []
    worst = 0.0
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        engine = get_engine("pyttsx3")
        try:
            clips = [engine.synthesize(s.spoken, "en-us", args.rate) for s in sentences]
        finally:
            engine.close()
        times.append(time.perf_counter() - started)
        bad = 0
        for clip, sentence, want in zip(clips, sentences, expected, strict=True):
            totals["clips"] += 1
            deviation = abs(clip.duration - want) / want
            worst = max(worst, deviation)
            flags = {
                "empty": clip.frames == 0,
                "wrong_rate": deviation > 0.05,
                "wrong_sample_rate": clip.sample_rate != 22050,
                "invalid": validate_clip(clip, sentence.spoken, args.rate) is not None,
            }
            for key, hit in flags.items():
                totals[key] += hit
            bad += any(flags.values())
        print(f"run {run:2d}: {len(clips)} clips, {bad} bad, {times[-1]:.2f} s (fresh worker process)")
    print(
        f"\n{args.runs} runs, {totals['clips']} clips: {totals['empty']} empty, {totals['wrong_rate']} at the wrong rate "
        f"(>5% from espeak-ng CLI), {totals['wrong_sample_rate']} at the wrong sample rate, {totals['invalid']} failing validation; "
        f"largest duration deviation {worst * 100:.2f}%; median run {statistics.median(times):.2f} s"
    )


if __name__ == "__main__":
    main()
