"""Speed and memory against the raw espeak-ng + ffmpeg chain: one table per engine, medians and ratios.

    python -m bench.speed [--runs 3] [--engines espeak,pyttsx3] [--texts bench/texts] [--floors]

The reference chain for a text file is espeak-ng writing one WAV of the whole text, then
ffmpeg encoding it to 64 kbit/s MP3: no extraction, no pauses, no tags, no loudness. Runs of
our CLI and of the reference alternate, on the same texts, in one invocation.

Our package is byte-compiled first, as ``pip install`` leaves it: an editable install in an environment
with PYTHONDONTWRITEBYTECODE set would otherwise compile every module from source on every run (about
0.1 s of each cold conversion).
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


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _memory(pid: int) -> tuple[int, tuple[str, ...]]:
    """Resident memory (kB) of a process, and where its code and stack lie, both read from one snapshot.

    A child that still has its parent's memory (between fork and exec, or inside exec before its new program is
    mapped) shows its parent's layout. Its name alone does not tell: exec renames a process before it drops the
    old memory, and reading the name and the memory apart can straddle that moment.
    """
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[21]) * _PAGE_KB, tuple(fields[23:26])  # rss (pages); startcode, endcode, startstack


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB.

    A child caught between fork and exec (Python starts programs that way) is a copy of its parent, sharing
    its parent's memory and reporting all of it as its own; it is counted once, not twice.
    """
    total = 0
    stack: list[tuple[int, tuple[str, ...]]] = [(pid, ("",))]
    while stack:
        current, parent = stack.pop()
        try:
            rss, identity = _memory(current)
            if identity != parent:
                total += rss
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend((int(c), identity) for c in children)
        except (OSError, StopIteration, ValueError, KeyError, IndexError):
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


def chain_in_parallel(texts: list[Path], work: Path, lanes: int = 2) -> tuple[float, int]:
    """The reference chain over several texts, ``lanes`` at a time (as ``xargs -P 2`` runs it); peak RSS summed over the lanes."""
    from concurrent.futures import ThreadPoolExecutor

    folders = [work / f"lane-{i}" for i in range(len(texts))]
    for folder in folders:
        folder.mkdir(exist_ok=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        peaks = list(pool.map(lambda pair: reference(pair[1], pair[0])[1], zip(folders, texts, strict=True)))
    return time.perf_counter() - started, sum(sorted(peaks)[-lanes:])


def _cpu(command: list[str], env: dict[str, str] | None = None, stdin: bytes | None = None) -> float:
    """CPU seconds (user + system) a command and its children spent."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def floors(texts: list[Path], work: Path, engine: str) -> None:
    """CPU seconds of every part, summed over ``texts``: the chain's two programs, our whole conversion, and the
    two parts of ours that no other work can replace: LAME (at our quality) over our programme, and the voice
    speaking our sentences (for the espeak engine as it speaks them, each in a fork of its helper, counted with the
    helper's; for pyttsx3, whose libespeak-ng stays loaded, the chain's own espeak-ng time). Then the least any conversion that keeps our
    outputs must spend: LAME, the voice at the chain's own cost (one espeak-ng call for the whole text), the
    loudness meter over our programme (the loudness target needs every sample K-weighted once) and our speech
    stage (normalized sentences, whose times the cues, captions and chapters are), each timed in this process
    after a first call has loaded what it needs. On two busy cores, wall time is at least CPU time / 2."""
    import lameenc
    import numpy as np

    from articleaudio.audio.encode import encoder_quality
    from articleaudio.audio.loudness import LoudnessMeter
    from articleaudio.engines import engine_trait
    from articleaudio.engines.espeak import EspeakEngine
    from articleaudio.extract import extract_article
    from articleaudio.settings import Settings
    from articleaudio.source.load import load_source
    from articleaudio.speech.script import segment_article

    def speech_stage(text: Path) -> float:
        article = extract_article(load_source(str(text), Settings()))
        started = time.process_time()
        segment_article(article, phonemes=bool(engine_trait(engine, "reads_phonemes")))
        return time.process_time() - started

    speech_stage(texts[0])  # loads the segmenter, the lexicon and the rules, as a worker does once
    chain_espeak = chain_ffmpeg = ours = lame = speak = meter = speech = 0.0
    for i, text in enumerate(texts):
        speech += speech_stage(text)
        wav, mp3, out = work / f"floor-{i}.wav", work / f"floor-{i}.mp3", work / f"floor-out-{i}"
        chain_espeak += _cpu(["espeak-ng", "-v", "en-us", "-s", "175", "-w", str(wav), "-f", str(text)])
        chain_ffmpeg += _cpu(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-c:a", "libmp3lame", "-b:a", "64k", str(mp3)])
        env = environment(work / f"floor-cache-{i}", work / "config")
        convert = [sys.executable, "-m", "articleaudio", "convert", "-q", str(text), "-o", f"{out}/", "--engine", engine, "--force"]
        ours += _cpu(convert, env)
        decode = [shutil.which("ffmpeg") or "ffmpeg", "-v", "error", "-i", str(next(out.glob("*.mp3"))), "-f", "s16le", "-ac", "1", "-"]
        pcm = subprocess.run(decode, capture_output=True, check=True).stdout
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(64)
        encoder.set_in_sample_rate(22050)
        encoder.set_channels(1)
        encoder.set_quality(encoder_quality(22050, 64))
        started = time.process_time()
        encoder.encode(pcm)
        encoder.flush()
        lame += time.process_time() - started
        samples = np.frombuffer(pcm, "<i2").astype(np.float64) / 32768.0
        started = time.process_time()
        loudness = LoudnessMeter(22050)
        loudness.feed(samples)
        loudness.integrated()
        meter += time.process_time() - started
        manifest = json.loads(next(p for p in out.glob("*.json") if not p.name.endswith(".chapters.json")).read_text(encoding="utf-8"))
        if engine != "espeak":
            continue
        speaker = EspeakEngine()
        try:
            speaker.synthesize("Ready.", "en-us", 175)  # the helper starts, as it does once per worker
            helper = speaker._helper.process.pid if speaker._helper is not None and speaker._helper.process is not None else None
            started = time.process_time() + _process_tree_cpu(helper)
            for sentence in manifest["sentences"]:
                speaker.synthesize(sentence["spoken"], "en-us", 175)
            speak += time.process_time() + _process_tree_cpu(helper) - started
        finally:
            speaker.close()
    chain = chain_espeak + chain_ffmpeg
    print(f"\nCPU seconds over {len(texts)} stor{'y' if len(texts) == 1 else 'ies'} (--engine {engine}):")
    print(f"  chain: espeak-ng {chain_espeak:.2f} + ffmpeg {chain_ffmpeg:.2f} = {chain:.2f}")
    print(f"  ours: {ours:.2f} in all ({ours / chain:.2f}x the chain)")
    if engine != "espeak":
        speak = chain_espeak
    floor = lame + speak
    voice = "espeak-ng, a fork of the engine's helper per sentence," if engine == "espeak" else "the voice (the chain's espeak-ng time)"
    parts = f"LAME q{encoder_quality(22050, 64)} over our programme {lame:.2f} + {voice} {speak:.2f}"
    print(f"  of which the encoder and the voice alone: {parts} = {floor:.2f} ({floor / chain:.2f}x the chain's whole CPU time)")
    least = lame + chain_espeak + meter + speech
    cores = os.cpu_count() or 1
    print(
        f"  the least that keeps our outputs: LAME {lame:.2f} + the voice at the chain's cost {chain_espeak:.2f} + loudness meter "
        f"{meter:.2f} + speech stage {speech:.2f} = {least:.2f} ({least / chain:.2f}x the chain's CPU time); "
        f"on {cores} cores at least {least / cores:.2f} s of wall time"
    )


def _process_tree_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) process ``pid`` and its children that it has waited for have spent (Linux)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _busy_cpu_seconds() -> float:
    """CPU seconds every core of this machine has spent busy since boot (Linux: /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def batch_cpu(texts: list[Path], work: Path, engine: str) -> None:
    """The batch case's CPU seconds, ours against the chain's, counted by the machine rather than per process: a
    batch starts each interpreter once and its workers' engine processes are not children that rusage counts,
    so the per-story sums above are no measure of it."""
    out = work / "batch-cpu-out"
    convert = [sys.executable, "-m", "articleaudio", "convert", "-q", *map(str, texts), "-o", f"{out}/", "--engine", engine,
               "--force", "--jobs", "2"]  # fmt: skip
    ours, chain = [], []
    for run in range(3):
        before = _busy_cpu_seconds()
        subprocess.run(convert, env=environment(work / f"batch-cpu-cache-{run}", work / "config"), stdout=subprocess.DEVNULL, check=True)
        middle = _busy_cpu_seconds()
        chain_in_parallel(texts, work)
        ours.append(middle - before)
        chain.append(_busy_cpu_seconds() - middle)
    mine, theirs = statistics.median(ours), statistics.median(chain)
    print(
        f"  the batch ({len(texts)} stories, --jobs 2 against the chain 2 at a time), CPU seconds of the whole machine, median of 3: "
        f"ours {mine:.2f}, chain {theirs:.2f} ({mine / theirs:.2f}x)"
    )


MEMORY_TARGET_MB = 150
Row = tuple[str, float, float, str, str]


class Bench:
    """One engine's cases: ours and the chain alternating, in a scratch folder."""

    def __init__(self, engine: str, runs: int, texts: Path, work: Path) -> None:
        self.engine, self.runs, self.work = engine, runs, work
        self.config = work / "config"
        self.config.mkdir(exist_ok=True)
        self.news, self.edited = texts / "news-1000.txt", texts / "news-1000-edited.txt"
        self.stories = sorted((texts / "batch").glob("*.txt"))[:12]
        self.long = work / "story-x10.txt"
        self.long.write_text("\n\n".join([self.news.read_text(encoding="utf-8")] * 10), encoding="utf-8")
        self.counter = iter(range(10**6))

    def fresh(self) -> Path:
        return self.work / f"cache-{next(self.counter)}"

    def out(self) -> str:
        return str(self.work / f"out-{next(self.counter)}") + "/"

    def ours(self, sources: list[Path], cache: Path | None = None, *extra: str) -> tuple[float, int]:
        args = [*map(str, sources), "-o", self.out(), "--engine", self.engine, "--force", *extra]
        return ours(args, environment(cache or self.fresh(), self.config))

    def rows(self) -> list[Row]:
        cold, chain = alternate(self.runs, lambda: self.ours([self.news]), lambda: reference(self.news, self.work))
        rows: list[Row] = [("cold cache, 1,000-word story", median(cold), median(chain), "<= 1.0x", "")]
        warm, chain_edited, synthesized = [], [], []
        for _ in range(self.runs):
            cache = self.fresh()
            self.ours([self.news], cache)
            report = self.work / f"report-{next(self.counter)}.json"
            warm.append(self.ours([self.edited], cache, "--report", str(report)))
            chain_edited.append(reference(self.edited, self.work))
            counts = json.loads(report.read_text())
            synthesized.append((counts["synthesized"], counts["segments_encoded"], counts["segments_encoded"] + counts["segments_reused"]))
        said, encoded, segments = (statistics.median(c[i] for c in synthesized) for i in range(3))
        note = f"{said:.0f} sentence(s) synthesized, {encoded:.0f} of {segments:.0f} MP3 segments encoded"
        rows.append(("one paragraph edited, warm cache", median(warm), median(chain_edited), "<= 0.6x", note))
        batch, chain_batch = alternate(self.runs, lambda: self.ours(self.stories, None, "--jobs", "2"),
                                       lambda: chain_in_parallel(self.stories, self.work))  # fmt: skip
        rows.append((f"{len(self.stories)} stories, --jobs 2 vs chain 2 at a time", median(batch), median(chain_batch), "<= 1.0x", ""))
        # Without the cache: the story repeated ten times would otherwise take nine tenths of its clips and encoded
        # paragraphs from the cache it fills itself, and the hour would not be worked on.
        hour, chain_hour = alternate(self.runs, lambda: self.ours([self.long], None, "--no-cache"), lambda: reference(self.long, self.work))
        note = (f"peak RSS {max(p for _, p in hour) / 1024:.0f} MB over all our processes (target <= {MEMORY_TARGET_MB} MB; "
                f"chain {max(p for _, p in chain_hour) / 1024:.0f} MB)")  # fmt: skip
        rows.append(("10 x the story (about 1 h), --no-cache", median(hour), median(chain_hour), "<= 1.0x", note))
        return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case (the median is printed); at least 3 for the record")
    parser.add_argument("--texts", type=Path, default=ROOT / "bench" / "texts")
    parser.add_argument("--engines", default="espeak,pyttsx3", help="comma-separated engines, one table each")
    parser.add_argument("--floors", action="store_true", help="also print the CPU time of every part (chain, ours, LAME, espeak-ng)")
    args = parser.parse_args(argv)
    for program in ("espeak-ng", "ffmpeg"):
        if shutil.which(program) is None:
            print(f"articleaudio: error: {program} is not installed", file=sys.stderr)
            return 2
    import compileall

    import articleaudio

    compileall.compile_dir(str(Path(articleaudio.__file__).parent), quiet=1)
    print(f"runs per case: {args.runs} (medians; ours and the chain alternate); {os.cpu_count()} cores")
    print("chain: espeak-ng -v en-us -w out.wav -f story.txt, then ffmpeg -i out.wav -c:a libmp3lame -b:a 64k out.mp3")
    with tempfile.TemporaryDirectory(prefix="articleaudio-bench-") as tmp:
        for engine in args.engines.split(","):
            rows = Bench(engine, args.runs, args.texts, Path(tmp)).rows()
            print(f"\n--engine {engine}")
            print(f"{'case':<44} {'ours':>8} {'chain':>8} {'ratio':>7} {'target':>8}  notes")
            for name, mine, theirs, target, note in rows:
                print(f"{name:<44} {mine:>7.2f}s {theirs:>7.2f}s {mine / theirs:>6.2f}x {target:>8}  {note}")
        if args.floors:
            stories = sorted((args.texts / "batch").glob("*.txt"))[:12]
            for engine in args.engines.split(","):
                floors([args.texts / "news-1000.txt"], Path(tmp), engine)
                floors(stories, Path(tmp), engine)
                batch_cpu(stories, Path(tmp), engine)
    helps = [run([str(Path(sys.executable).parent / "articleaudio"), "--help"])[0] for _ in range(5)]
    print(f"\narticleaudio --help: {statistics.median(helps):.3f} s (target < 0.3 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
