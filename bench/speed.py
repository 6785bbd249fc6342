"""Speed and memory against the physical limit of the engine and encoder: prints a table of medians and ratios.

    python -m bench.speed [--runs 3] [--texts bench/texts]

The reference chain for a text file is espeak-ng writing one WAV of the whole text, then
ffmpeg encoding it to 64 kbit/s MP3: no extraction, no pauses, no tags, no loudness. Runs of
our CLI and of the reference alternate, on the same texts, in one invocation.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (kB, whole process tree) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"command failed ({process.returncode}): {' '.join(command)}\n{err.decode(errors='replace')[-2000:]}")
    return elapsed, peak


def reference(text: Path, work: Path) -> tuple[float, int]:
    """espeak-ng to WAV, then ffmpeg to MP3: the engine's and the encoder's own cost."""
    wav, mp3 = work / "ref.wav", work / "ref.mp3"
    started = time.perf_counter()
    _, peak1 = run(["espeak-ng", "-v", "en-us", "-s", "175", "-w", str(wav), "-f", str(text)])
    _, peak2 = run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-c:a", "libmp3lame", "-b:a", "64k", str(mp3)])
    return time.perf_counter() - started, max(peak1, peak2)


def ours(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    return run([sys.executable, "-m", "articleaudio", "convert", "-q", *args], env=env)


def environment(cache: Path, config: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ARTICLEAUDIO_CACHE_DIR=str(cache), ARTICLEAUDIO_CONFIG_DIR=str(config))
    return env


def alternate(
    runs: int, first: Callable[[], tuple[float, int]], second: Callable[[], tuple[float, int]]
) -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    a, b = [], []
    for _ in range(runs):
        a.append(first())
        b.append(second())
    return a, b


def median(values: list[tuple[float, int]], index: int = 0) -> float:
    return statistics.median(v[index] for v in values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--texts", type=Path, default=ROOT / "bench" / "texts")
    parser.add_argument("--engine", default="pyttsx3")
    args = parser.parse_args(argv)
    for program in ("espeak-ng", "ffmpeg"):
        if shutil.which(program) is None:
            print(f"articleaudio: error: {program} is not installed", file=sys.stderr)
            return 2
    news, edited, essay = args.texts / "news-1000.txt", args.texts / "news-1000-edited.txt", args.texts / "essay-10000.txt"
    batch = sorted((args.texts / "batch").glob("*.txt"))
    rows: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="articleaudio-bench-") as tmp:
        work = Path(tmp)
        config = work / "config"
        config.mkdir()
        counter = iter(range(10**6))

        def fresh() -> Path:
            return work / f"cache-{next(counter)}"

        def out() -> str:
            return str(work / f"out-{next(counter)}") + "/"

        common = ["--engine", args.engine, "--force"]
        # 1. a 1,000-word text, cold cache
        cold, ref1 = alternate(args.runs, lambda: ours([str(news), "-o", out(), *common], environment(fresh(), config)),
                               lambda: reference(news, work))  # fmt: skip
        rows.append(("1. 1,000 words, cold cache", f"{median(cold):.2f} s", f"{median(ref1):.2f} s",
                     f"{median(cold) / median(ref1):.2f}x", "target <= 1.0x"))  # fmt: skip

        # 2. the same text after editing one paragraph, warm cache
        warm: list[tuple[float, int]] = []
        synthesized: list[int] = []
        for _ in range(args.runs):
            cache = fresh()
            target = out()
            ours([str(news), "-o", target, *common], environment(cache, config))
            report = work / f"report-{next(counter)}.json"
            warm.append(ours([str(edited), "-o", out(), "--report", str(report), *common], environment(cache, config)))
            synthesized.append(json.loads(report.read_text())["synthesized"])
        note = f"target <= 0.6x; synthesized {statistics.median(synthesized):.0f} sentence(s)"
        rows.append(("2. same, one paragraph edited, warm cache", f"{median(warm):.2f} s", f"{median(cold):.2f} s (case 1)",
                     f"{median(warm) / median(cold):.2f}x", note))  # fmt: skip

        # 3. a 10,000-word text (about an hour), with peak memory
        long, ref3 = alternate(max(1, args.runs - 1), lambda: ours([str(essay), "-o", out(), *common], environment(fresh(), config)),
                               lambda: reference(essay, work))  # fmt: skip
        note = f"target <= 1.0x; peak RSS {max(p for _, p in long) / 1024:.0f} MB, all processes (target <= 150)"
        rows.append(("3. 10,000 words, cold cache", f"{median(long):.2f} s", f"{median(ref3):.2f} s",
                     f"{median(long) / median(ref3):.2f}x", note))  # fmt: skip

        # 4. twenty articles: a batch with two jobs against one after another
        sources = [str(p) for p in batch]

        def batch_run(jobs: str) -> tuple[float, int]:
            return ours([*sources, "-o", out(), "--jobs", jobs, "--no-cache", *common], environment(fresh(), config))

        parallel, serial = alternate(max(1, args.runs - 1), lambda: batch_run("2"), lambda: batch_run("1"))
        rows.append(("4. 20 articles, --jobs 2 vs --jobs 1", f"{median(parallel):.2f} s", f"{median(serial):.2f} s",
                     f"{median(serial) / median(parallel):.2f}x faster", "target >= 1.7x"))  # fmt: skip

        helps = [run([str(Path(sys.executable).parent / "articleaudio"), "--help"])[0] for _ in range(5)]
        rows.append(("articleaudio --help", f"{statistics.median(helps):.3f} s", "", "", "target < 0.3 s"))

    width = max(len(r[0]) for r in rows)
    print(f"engine: {args.engine}; runs per case: {args.runs}; {os.cpu_count()} cores")
    print(f"{'case':<{width}}  {'articleaudio':>12}  {'reference':>18}  {'ratio':>12}  notes")
    for name, a, b, ratio, note in rows:
        print(f"{name:<{width}}  {a:>12}  {b:>18}  {ratio:>12}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
