"""Stage 6: the programme, with its one gain and the true-peak limiter, encoded by LAME (lameenc) as CBR MP3.

The programme is encoded in segments cut in its pauses, each by its own LAME encoder, on every
core, and the segments' frames are joined into one stream. A segment whose clips, pauses and gain
were seen before is taken from the clip cache, with its measurements: a corrected article works on
and encodes only the paragraphs that changed.

Joining is exact because of how LAME frames a stream: ``n`` samples become ``ceil((n + 1152) / S)``
frames of ``S`` samples (576 below 32 kHz, 1152 above), the input starting 1,105 samples in (576 of
encoder delay, 529 of decoder delay). A segment that starts on a multiple of ``S`` and whose last
1,152 samples are digital silence is encoded without those samples: its frames then end exactly
where the next segment's begin, and every sample of the programme is heard at the same moment as
from one encoder. Only the silence at the seams is encoded differently.
"""

from __future__ import annotations

import hashlib
import math
import os
import queue
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import EncodeError
from ..models import Programme
from .loudness import LoudnessMeter, block_peaks, filter_gain, integrated_loudness, limit, meter_step

if TYPE_CHECKING:
    from .cache import ClipCache

RICH_BITS_PER_SAMPLE = 2.0
"""Bits per sample from which LAME's noise shaping no longer pays for speech (see ``encoder_quality``)."""
_ALLOWED = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320)
# LAME scales its input by 0.95 by default and lameenc offers no setting for it, so what a
# player decodes is 0.45 dB quieter than what we hand over; gain and ceiling allow for that.
LAME_SCALE_DB = -20 * math.log10(0.95)
STREAM_SECONDS = 30.0
"""A programme that cannot be cut goes to its one encoder in stretches of about this length."""
SEAM_SILENCE = 1152
"""Frames of digital silence a segment must end with: LAME's encoder delay and padding take their place."""
_PENDING_SEGMENTS = 2  # segments encoded or waiting beyond those being encoded: memory stays flat


@dataclass(frozen=True)
class Encoded:
    """What encoding produced, as measured on the samples handed to the encoder."""

    bytes: int
    loudness_lufs: float
    true_peak_db: float
    segments_encoded: int = 0
    """Segments LAME encoded in this run."""
    segments_reused: int = 0
    """Segments whose frames came from the cache."""


def _encoder(sample_rate: int, bitrate: int, path: str | Path) -> Any:
    import lameenc

    if bitrate not in _ALLOWED:
        raise EncodeError(f"unsupported MP3 bitrate {bitrate} kbit/s (choose one of {', '.join(map(str, _ALLOWED))})")
    try:
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(bitrate)
        encoder.set_in_sample_rate(sample_rate)
        encoder.set_channels(1)
        encoder.set_quality(encoder_quality(sample_rate, bitrate))
    except Exception as exc:  # noqa: BLE001  # lameenc raises plain Exceptions; this is its one choke point
        raise EncodeError(f"LAME cannot encode {sample_rate} Hz at {bitrate} kbit/s ({exc})", str(path)) from None
    return encoder


def encoder_quality(sample_rate: int, bitrate: int) -> int:
    """LAME's quality setting (0 best and slowest, 9 fastest) for mono speech at ``sample_rate`` and ``bitrate``.

    Noise shaping (quality 6 and below) moves the coding noise to where speech masks it, and pays when bits are
    scarce. At 32 kbit/s and 22.05 kHz (1.5 bits a sample), quality 5 scores 3.20 in PESQ-WB (ITU-T P.862.2)
    on espeak-ng and 3.84 on Piper, and quality 7 only 3.04 and 3.68. From 48 kbit/s up it buys nothing: at
    64 kbit/s quality 7 scores 4.09 and 4.52, against 3.95 and 4.48 for quality 5, in 44 % less time
    (``python -m bench.encoder``). So from RICH_BITS_PER_SAMPLE up the encoder skips it (quality 7); below,
    it keeps it (quality 5).
    """
    return 7 if bitrate * 1000 >= RICH_BITS_PER_SAMPLE * sample_rate else 5


@cache
def frame_grid(rate: int, bitrate: int) -> int | None:
    """Samples per MP3 frame when LAME encodes ``rate`` at ``bitrate`` without resampling (segments may then be
    joined, cut on that grid); None when it resamples."""
    encoder = _encoder(rate, bitrate, "")
    header = (bytes(encoder.encode(b"\x00\x00" * 576)) + bytes(encoder.flush()))[:4]
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, index = (header[1] >> 3) & 3, (header[2] >> 2) & 3
    rates = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}.get(version)
    if rates is None or index > 2 or rates[index] != rate:
        return None
    return 1152 if version == 3 else 576


@cache
def _lame_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lameenc")
    except PackageNotFoundError:
        return "unknown"


_PROCESSING = "gain, true-peak limiter 1"
"""Names how the writer turns a segment's clips into samples and measurements: change it when that changes."""


def _segment_digest(rate: int, bitrate: int, gain: float, ceiling_db: float | None, seam: bool) -> Any:
    """The start of a segment's cache key: the encoder, its settings and how the samples are made; the segment's
    pauses and clips, as the assembler gave them, are added to it."""
    header = f"lameenc {_lame_version()} q{encoder_quality(rate, bitrate)} {bitrate}k {rate} Hz mono; {_PROCESSING}; gain {gain!r}; "
    return hashlib.sha256(f"{header}ceiling {ceiling_db!r}; seam {seam}\n".encode())


@dataclass(frozen=True)
class _Measured:
    """What the writer measured on one segment: its loudness energies (one per bin, float32) and its true peak."""

    energies: np.ndarray
    peak: float


class _Segments:
    """LAME over the programme's segments: each one encoded by its own encoder, as many at once as there are
    cores (lameenc releases the GIL), its frames and measurements then kept in the cache; their frames written
    in order."""

    def __init__(self, rate: int, bitrate: int, handle: Any, path: str | Path, cache: ClipCache | None) -> None:
        _encoder(rate, bitrate, path)  # an unsupported bitrate fails here, before any work
        self.rate, self.bitrate, self.handle, self.path, self.cache = rate, bitrate, handle, path, cache
        self.pending: deque[Future[tuple[bytes, bool]]] = deque()
        self.pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="articleaudio-lame")
        self.size = 0
        self.encoded = self.reused = 0
        self.streaming: tuple[Any, ThreadPoolExecutor] | None = None

    def encode(self, pcm: np.ndarray, key: str | None, measured: _Measured) -> None:
        """Encode one segment's samples (the seam's silence left out) and keep it under ``key``."""
        self._queue(self.pool.submit(self._encode, pcm, key, measured))

    def stream(self, pcm: np.ndarray, last: bool = False) -> None:
        """The next stretch of a programme that cannot be cut (LAME resamples it): one encoder, in order."""
        if self.streaming is None:
            self.streaming = (_encoder(self.rate, self.bitrate, self.path), ThreadPoolExecutor(max_workers=1))
        encoder, lane = self.streaming

        def work() -> tuple[bytes, bool]:
            frames = bytes(encoder.encode(pcm)) if len(pcm) else b""
            return (frames + bytes(encoder.flush()) if last else frames), False

        self._queue(lane.submit(work))
        if last:
            self.encoded += 1  # the whole programme was one segment

    def reuse(self, frames: bytes) -> None:
        """A segment encoded before, its frames taken from the cache."""
        done: Future[tuple[bytes, bool]] = Future()
        done.set_result((frames, True))
        self._queue(done)

    def _queue(self, future: Future[tuple[bytes, bool]]) -> None:
        self.pending.append(future)
        while self.pending and (self.pending[0].done() or len(self.pending) > _PENDING_SEGMENTS):
            self._write(self.pending.popleft())

    def _encode(self, pcm: np.ndarray, key: str | None, measured: _Measured) -> tuple[bytes, bool]:
        encoder = _encoder(self.rate, self.bitrate, self.path)
        frames = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
        if self.cache is not None and key is not None:
            self.cache.put_encoded(key, frames, measured.energies.astype("<f4").tobytes(), measured.peak)
        return frames, False

    def _write(self, future: Future[tuple[bytes, bool]]) -> None:
        try:
            data, reused = future.result()
            self.handle.write(data)
        except OSError as exc:
            raise EncodeError(f"cannot write ({exc.strerror or exc})", str(self.path)) from None
        except Exception as exc:  # noqa: BLE001  # lameenc raises plain Exceptions
            raise EncodeError(f"LAME could not encode the audio ({exc})", str(self.path)) from None
        self.size += len(data)
        self.reused += reused
        self.encoded += not reused and self.streaming is None

    def close(self) -> int:
        """Write everything in order and return the file's size."""
        try:
            while self.pending:
                self._write(self.pending.popleft())
        finally:
            self.abandon()
        return self.size

    def abandon(self) -> None:
        for future in self.pending:
            future.cancel()
        self.pool.shutdown(wait=True)
        if self.streaming is not None:
            self.streaming[1].shutdown(wait=True)


def encode_mp3(pcm: bytes, sample_rate: int, path: str | Path, bitrate: int = 64) -> int:
    """Encode mono 16-bit ``pcm`` as it is into ``path``; return the file's size."""
    encoder = _encoder(sample_rate, bitrate, path)
    try:
        data = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
        Path(path).write_bytes(data)
    except OSError as exc:
        raise EncodeError(f"cannot write ({exc.strerror or exc})", str(path)) from None
    except Exception as exc:  # noqa: BLE001  # lameenc's own failures
        raise EncodeError(f"LAME could not encode the audio ({exc})", str(path)) from None
    return len(data)


_UNIT = 1 / 32768
"""What 1 is worth in a 16-bit sample."""


def _loudest(samples: np.ndarray) -> int:
    """The largest magnitude among 16-bit ``samples`` (without np.abs, which cannot hold 32768 in 16 bits)."""
    return max(int(samples.max(initial=0)), -int(samples.min(initial=0)))


class _ClipWriter:
    """Gain, limiter, measurement and hand-over to LAME, a segment at a time.

    The clips and pauses of a segment are held until it ends. A segment whose clips, pauses and gain
    were all seen before takes its frames, loudness energies and true peak from the cache, and none
    of its samples are worked on again; the others are worked on and encoded. Each segment's loudness
    is measured by a meter of its own, in bins that both the MP3 frame grid and the meter's 100 ms
    steps divide; the assembler leaves at least the K-weighting filter's length of silence before
    every cut, so the filter starts and ends each segment at rest, exactly as across the whole.
    """

    def __init__(self, rate: int, bitrate: int, path: str | Path, ceiling_db: float | None, cache: ClipCache | None = None) -> None:
        self.rate, self.bitrate, self.path, self.cache = rate, bitrate, path, cache
        self.ceiling_db = None if ceiling_db is None else ceiling_db + LAME_SCALE_DB
        self.gain_db = 0.0
        self.gain = np.float32(10 ** (LAME_SCALE_DB / 20))
        self.step = meter_step(rate)
        self.grid = frame_grid(rate, bitrate)
        self.bin = math.gcd(self.step, self.grid or self.step)
        self.meter = LoudnessMeter(rate, step=self.bin, unit=_UNIT)
        """Measures a segment (or, without a frame grid, the whole programme as it streams)."""
        self.bins = np.zeros(0, dtype=np.float32)
        """Energies of the bins not yet making up a whole 100 ms step."""
        self.steps: list[float] = []
        self.items: list[tuple[int, np.ndarray]] = []
        """The segment so far: each clip's samples after the pause before it."""
        self.peak = 0.0
        _encoder(rate, bitrate, path)
        try:
            self.handle = open(path, "wb")  # noqa: SIM115  # closed in close(), after the encoders are done
        except OSError as exc:
            raise EncodeError(f"cannot write ({exc.strerror or exc})", str(path)) from None
        self.segments = _Segments(rate, bitrate, self.handle, path, cache)

    def set_gain(self, gain_db: float) -> None:
        # Gain and ceiling refer to the decoded audio; LAME's own 0.95 is made up for here.
        self.gain_db = gain_db
        self.gain = np.float32(10 ** ((gain_db + LAME_SCALE_DB) / 20))

    def silence(self, frames: int, cut: bool = False) -> None:
        """``frames`` of silence; with ``cut``, a segment ends in it (the last SEAM_SILENCE frames are the seam)."""
        if cut and frames < SEAM_SILENCE:
            raise ValueError(f"a seam needs {SEAM_SILENCE} frames of silence, not {frames}")
        self.items.append((frames, np.zeros(0, dtype="<i2")))
        if cut:
            self._end(seam=True)

    def clip(self, samples: np.ndarray) -> None:
        if self.items and not len(self.items[-1][1]):
            self.items[-1] = (self.items[-1][0], samples)
        else:
            self.items.append((0, samples))
        if self.grid is None and sum(gap + len(clip) for gap, clip in self.items) >= STREAM_SECONDS * self.rate:
            self._stream()

    def _stream(self, last: bool = False) -> None:
        """Without a frame grid there are no segments: the programme goes to one encoder as it comes, uncached."""
        items, self.items = self.items, []
        pcm, peak = self._work(items, False, fresh=False)
        self.peak = max(self.peak, peak)
        self._add(self.meter.take().astype(np.float32))
        self.segments.stream(pcm, last)

    def _end(self, seam: bool) -> None:
        """Encode (or reuse) the segment held so far."""
        items, self.items = self.items, []
        key = None
        if self.cache is not None:
            digest = _segment_digest(self.rate, self.bitrate, self.gain_db, self.ceiling_db, seam)
            for gap, samples in items:
                digest.update(gap.to_bytes(8, "little") + len(samples).to_bytes(8, "little"))
                digest.update(np.ascontiguousarray(samples, dtype="<i2").data)  # hashed where it lies, not copied first
            key = digest.hexdigest()
            stored = self.cache.get_encoded(key)
            if stored is not None:
                frames, energies, peak = stored
                self._add(np.frombuffer(energies, dtype="<f4"))
                self.peak = max(self.peak, peak)
                self.segments.reuse(frames)
                return
        pcm, peak = self._work(items, seam)
        # Kept as float32, in the cache and here alike: 0.44 bytes a sample, and the same figures either way.
        measured = _Measured(self.meter.take().astype(np.float32), peak)
        self._add(measured.energies)
        self.peak = max(self.peak, peak)
        self.segments.encode(pcm, key, measured)

    def _add(self, energies: np.ndarray) -> None:
        """A segment's bin energies, added up into the programme's 100 ms steps as they complete."""
        per_step = self.step // self.bin
        pending = np.concatenate([self.bins, energies])
        whole = len(pending) // per_step * per_step
        self.steps.extend(pending[:whole].astype(np.float64).reshape(-1, per_step).sum(axis=1).tolist())
        self.bins = pending[whole:]

    def _work(self, items: list[tuple[int, np.ndarray]], seam: bool, fresh: bool = True) -> tuple[np.ndarray, float]:
        """The 16-bit samples for LAME (without the seam) and the true peak of ``items``, measured by ``self.meter``
        (a fresh one for each segment)."""
        if fresh:
            self.meter = LoudnessMeter(self.rate, step=self.bin, unit=_UNIT)
        meter = self.meter
        kept = [gap - SEAM_SILENCE if seam and index == len(items) - 1 else gap for index, (gap, _) in enumerate(items)]
        pcm = np.zeros(sum(kept) + sum(len(samples) for _, samples in items), dtype="<i2")
        scale = self.gain / np.float32(32768.0)
        peak = 0.0  # in units of the 16-bit samples
        position = 0
        for (gap, samples), silence in zip(items, kept, strict=True):
            position += silence
            if gap:
                meter.feed_silence(gap)
            if not len(samples):
                continue
            clip = np.multiply(samples, scale, dtype=np.float32)
            # No oversampled value can exceed the loudest sample by more than the filter's gain: a clip below the
            # ceiling by that much needs no limiter, and one below the loudest peak so far cannot raise it.
            if self.ceiling_db is not None and float(np.float32(_loudest(samples)) * scale) * filter_gain() > 10 ** (self.ceiling_db / 20):
                limit(clip, self.rate, self.ceiling_db)
            # To 16 bits in place: the clip then holds the very values handed to LAME, which are measured.
            np.multiply(clip, np.float32(32767.0), out=clip)
            np.rint(clip, out=clip)
            np.clip(clip, -32768, 32767, out=clip)
            out = pcm[position : position + len(clip)]
            out[:] = clip
            position += len(clip)
            meter.feed(clip)
            loudest = _loudest(out)
            if loudest * filter_gain() > peak:
                # only values above the loudest so far can raise the peak, and block_peaks is exact above its level
                peak = max(peak, loudest)
                peak = max(peak, float(block_peaks(clip, peak).max()))
        return pcm, peak / 32768

    def abandon(self) -> None:
        """Stop without encoding what is left; the partial file is the caller's to discard."""
        try:
            self.segments.abandon()
        finally:
            self.handle.close()

    def close(self) -> Encoded:
        try:
            if self.grid is None:
                self._stream(last=True)
            elif self.items:
                self._end(seam=False)
            size = self.segments.close()
        finally:
            self.handle.close()
        lufs = integrated_loudness(np.asarray(self.steps), self.step) - LAME_SCALE_DB
        peak = 20 * float(np.log10(self.peak)) - LAME_SCALE_DB if self.peak > 0 else -120.0
        return Encoded(size, lufs, peak, self.segments.encoded, self.segments.reused)


def encode_programme(
    programme: Programme,
    path: str | Path,
    bitrate: int = 64,
    gain_db: float = 0.0,
    ceiling_db: float | None = None,
    cache: ClipCache | None = None,
) -> Encoded:
    """Encode the whole programme into ``path``: silence as it is, every clip with ``gain_db`` and, when a
    ``ceiling_db`` is given, the true-peak limiter; in segments at the programme's cuts. Gain, ceiling
    and the measured loudness and true peak all refer to the audio as decoded from the MP3."""
    writer = _ClipWriter(programme.sample_rate, bitrate, path, ceiling_db, cache)
    writer.set_gain(gain_db)
    cuts = set(programme.cuts)
    try:
        position = 0
        for start, frames in programme.spans:
            writer.silence(start - position, cut=start in cuts)
            programme.spill.seek(start * 2)
            writer.clip(np.frombuffer(programme.spill.read(frames * 2), dtype="<i2"))
            position = start + frames
        writer.silence(programme.frames - position)
    except BaseException:
        writer.abandon()
        raise
    return writer.close()


class StreamingEncoder:
    """Encodes clips while later ones are still being synthesized.

    The gain is planned on the opening of the programme (``opening`` seconds of speech, or all
    of it when shorter); the caller compares the loudness measured at the end with the target
    and encodes again from the spill file, with a gain planned on the whole, only when the
    opening was not representative.
    """

    def __init__(
        self,
        rate: int,
        path: str | Path,
        bitrate: int,
        target: float | None,
        ceiling_db: float | None,
        opening: float = 20.0,
        cache: ClipCache | None = None,
    ) -> None:
        self.rate, self.target, self.ceiling_db = rate, target, ceiling_db
        self.opening_frames = int(opening * rate)
        self.writer = _ClipWriter(rate, bitrate, path, ceiling_db if target is not None else None, cache)
        self.items: queue.Queue[tuple[int, np.ndarray, bool] | None] = queue.Queue(maxsize=8)
        self.error: BaseException | None = None
        self.gain_db = 0.0
        self.thread = threading.Thread(target=self._run, name="articleaudio-encode", daemon=True)
        self.thread.start()

    def add(self, gap_frames: int, samples: np.ndarray, cut: bool = False) -> None:
        """The next clip, after ``gap_frames`` of silence (in which a segment ends, with ``cut``)."""
        if self.error is None:
            self.items.put((gap_frames, samples, cut))

    def _plan(self, opening: list[tuple[int, np.ndarray, bool]]) -> None:
        if self.target is None or self.ceiling_db is None:
            return
        from .loudness import gain_for

        clips = [samples.astype(np.float32) / np.float32(32768.0) for _, samples, _ in opening]
        # the opening, with the pauses the assembler laid between its clips, stands for the programme
        self.gain_db = gain_for(clips, self.rate, None, self.target, self.ceiling_db, gaps=[gap for gap, _, _ in opening])
        self.writer.set_gain(self.gain_db)

    def _run(self) -> None:
        try:
            opening: list[tuple[int, np.ndarray, bool]] = []
            speech = 0
            planned = False
            while (item := self.items.get()) is not None:
                if planned:
                    self._write(item)
                    continue
                opening.append(item)
                speech += len(item[1])
                if speech >= self.opening_frames:
                    self._plan(opening)
                    planned = True
                    for held in opening:
                        self._write(held)
                    opening = []
            if not planned:
                self._plan(opening)
                for held in opening:
                    self._write(held)
        except BaseException as exc:  # noqa: BLE001  # handed to the caller's thread by finish()
            self.error = exc
            while self.items.get() is not None:  # let the producer finish without blocking
                pass

    def _write(self, item: tuple[int, np.ndarray, bool]) -> None:
        gap, samples, cut = item
        self.writer.silence(gap, cut)
        self.writer.clip(samples)

    def finish(self, tail_frames: int) -> Encoded:
        """Add the closing silence, wait for the encoder and return what it measured."""
        self.items.put(None)
        self.thread.join()
        if self.error is None:
            try:
                self.writer.silence(tail_frames)
            except BaseException:
                self.writer.abandon()
                raise
            return self.writer.close()
        self.writer.abandon()
        if isinstance(self.error, EncodeError):
            raise self.error
        raise EncodeError(f"cannot encode ({self.error})", str(self.writer.path))

    def abandon(self) -> None:
        """Stop after a failure elsewhere; the partial file is the caller's to discard."""
        self.items.put(None)
        self.thread.join()
        self.writer.abandon()
