"""LAME's quality settings on our speech: PESQ-WB (ITU-T P.862.2) and encoding time, per bitrate.

    pip install pesq      # the P.862 scorer; not a dependency of articleaudio
    python -m bench.encoder [--texts 4] [--bitrates 32,48,64,96] [--qualities 2,3,5,7]

Each voice speaks the first sentences of the bench's batch stories (espeak-ng through its program, and
the bundled Piper voice when piper-tts is installed); the clean 22.05 kHz PCM is encoded by lameenc at
every bitrate and quality, decoded by ffmpeg, and scored against the clean PCM in 8 s windows after both
are resampled to 16 kHz. The row marked "ours" is the quality ``encoder_quality`` chooses.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from articleaudio.audio.encode import encoder_quality

ROOT = Path(__file__).resolve().parents[1]
RATE = 22050
LAME_DELAY = 1105  # samples of encoder and decoder delay ahead of the first input sample in the decoded stream


PCM = ("-f", "s16le", "-ar", str(RATE), "-ac", "1")


def _run(program: str, *args: str, given: bytes) -> bytes:
    return subprocess.run([shutil.which(program) or program, *args], input=given, capture_output=True, check=True).stdout


def _to_16k(pcm: bytes) -> np.ndarray:
    out = _run("ffmpeg", "-v", "error", *PCM, "-i", "-", "-ar", "16000", "-f", "s16le", "-ac", "1", "-", given=pcm)
    return np.frombuffer(out, "<i2").astype(np.float64) / 32768.0


def espeak_pcm(sentences: list[str]) -> bytes:
    return _run("espeak-ng", "-v", "en-us", "-s", "175", "--stdout", given=" ".join(sentences).encode())[44:]


def piper_pcm(sentences: list[str]) -> bytes | None:
    try:
        from articleaudio.engines.piper_engine import PiperEngine

        engine = PiperEngine()
        voice = engine.resolve_voice(None)
    except Exception:  # noqa: BLE001  # piper-tts or its voice missing: that row is left out
        return None
    pause = b"\x00\x00" * int(0.3 * RATE)
    clips = [engine.synthesize(s, voice, 175) for s in sentences]
    if any(c.sample_rate != RATE for c in clips):
        return None
    return b"".join(c.pcm + pause for c in clips)


def score(pcm: bytes, bitrate: int, quality: int) -> tuple[float, float, float]:
    """Mean and lowest PESQ-WB over 8 s windows, and the CPU seconds LAME took."""
    import lameenc
    from pesq import pesq

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(RATE)
    encoder.set_channels(1)
    encoder.set_quality(quality)
    started = time.process_time()
    mp3 = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
    spent = time.process_time() - started
    decoded = _run("ffmpeg", "-v", "error", "-i", "-", "-f", "s16le", "-ac", "1", "-", given=mp3)
    reference, degraded = _to_16k(pcm), _to_16k(decoded[LAME_DELAY * 2 : LAME_DELAY * 2 + len(pcm)])
    window = 16000 * 8
    scores = [pesq(16000, reference[k : k + window], degraded[k : k + window], "wb") for k in range(0, len(reference) - window, window)]
    return statistics.mean(scores), min(scores), spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=4, help="batch stories to take sentences from")
    parser.add_argument("--sentences", type=int, default=15, help="sentences per story")
    parser.add_argument("--bitrates", default="32,48,64,96")
    parser.add_argument("--qualities", default="2,3,5,7")
    args = parser.parse_args(argv)
    try:
        import pesq  # noqa: F401
    except ImportError:
        print("articleaudio: error: bench.encoder needs the P.862 scorer: pip install pesq", file=sys.stderr)
        return 2
    sentences: list[str] = []
    for path in sorted((ROOT / "bench" / "texts" / "batch").glob("*.txt"))[: args.texts]:
        text = path.read_text(encoding="utf-8")
        sentences.extend([s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()][: args.sentences])
    voices = {"espeak-ng": espeak_pcm(sentences), "piper": piper_pcm(sentences)}
    for name, pcm in voices.items():
        if pcm is None:
            print(f"\n{name}: not installed, left out")
            continue
        print(f"\n{name}: {len(pcm) / 2 / RATE:.0f} s of speech at {RATE} Hz")
        print(f"{'kbit/s':>6} {'quality':>8} {'PESQ-WB mean':>13} {'lowest':>7} {'LAME CPU s':>11}")
        for bitrate in map(int, args.bitrates.split(",")):
            for quality in map(int, args.qualities.split(",")):
                mean, low, spent = score(pcm, bitrate, quality)
                mark = "  ours" if quality == encoder_quality(RATE, bitrate) else ""
                print(f"{bitrate:>6} {quality:>8} {mean:>13.3f} {low:>7.3f} {spent:>11.2f}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
