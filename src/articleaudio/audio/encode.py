"""Stage 6: the programme, with its one gain and the true-peak limiter, streamed into LAME (lameenc) as CBR MP3."""

from __future__ import annotations

import math
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EncodeError
from ..models import Programme
from .loudness import LoudnessMeter, limiter_gain, true_peak_db

ENCODER_QUALITY = 5  # LAME's quality/speed trade-off; 5 is near-transparent for speech at a third of q2's cost
_ALLOWED = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320)
_BLOCK = 1 << 16
# LAME scales its input by 0.95 by default and lameenc offers no setting for it, so what a
# player decodes is 0.45 dB quieter than what we hand over; gain and ceiling allow for that.
LAME_SCALE_DB = -20 * math.log10(0.95)


@dataclass(frozen=True)
class Encoded:
    """What encoding produced, as measured on the samples handed to the encoder."""

    bytes: int
    loudness_lufs: float
    true_peak_db: float


def _encoder(sample_rate: int, bitrate: int, path: str | Path) -> Any:
    import lameenc

    if bitrate not in _ALLOWED:
        raise EncodeError(f"unsupported MP3 bitrate {bitrate} kbit/s (choose one of {', '.join(map(str, _ALLOWED))})")
    try:
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(bitrate)
        encoder.set_in_sample_rate(sample_rate)
        encoder.set_channels(1)
        encoder.set_quality(ENCODER_QUALITY)
    except Exception as exc:  # noqa: BLE001  # lameenc raises plain Exceptions; this is its one choke point
        raise EncodeError(f"LAME cannot encode {sample_rate} Hz at {bitrate} kbit/s ({exc})", str(path)) from None
    return encoder


class _EncoderThread:
    """LAME in its own thread (lameenc releases the GIL), so encoding overlaps the limiter and the meter."""

    def __init__(self, encoder: Any, handle: Any, path: str | Path) -> None:
        self.encoder, self.handle, self.path = encoder, handle, path
        self.blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self.error: BaseException | None = None
        self.size = 0
        self.thread = threading.Thread(target=self._run, name="articleaudio-lame", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while (block := self.blocks.get()) is not None:
                self._write(bytes(self.encoder.encode(block)))
            self._write(bytes(self.encoder.flush()))
        except BaseException as exc:  # noqa: BLE001  # handed to the caller's thread, which raises EncodeError
            self.error = exc
            while self.blocks.get() is not None:  # let the producer finish without blocking
                pass

    def _write(self, data: bytes) -> None:
        self.handle.write(data)
        self.size += len(data)

    def put(self, pcm: bytes) -> None:
        if self.error is None:
            self.blocks.put(pcm)

    def close(self) -> int:
        self.blocks.put(None)
        self.thread.join()
        if self.error is not None:
            message = self.error.strerror if isinstance(self.error, OSError) else self.error
            raise EncodeError(f"cannot encode or write ({message})", str(self.path))
        return self.size


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


class _ClipWriter:
    """Gain, limiter, measurement and hand-over to LAME for each clip, silence passed straight through."""

    def __init__(self, rate: int, bitrate: int, path: str | Path, ceiling_db: float | None) -> None:
        self.rate, self.path = rate, path
        self.ceiling_db = None if ceiling_db is None else ceiling_db + LAME_SCALE_DB
        self.gain = np.float32(10 ** (LAME_SCALE_DB / 20))
        self.meter = LoudnessMeter(rate)
        self.peak = 0.0
        encoder = _encoder(rate, bitrate, path)
        try:
            self.handle = open(path, "wb")  # noqa: SIM115  # closed in close(), after the encoder thread is done
        except OSError as exc:
            raise EncodeError(f"cannot write ({exc.strerror or exc})", str(path)) from None
        self.worker = _EncoderThread(encoder, self.handle, path)

    def set_gain(self, gain_db: float) -> None:
        # Gain and ceiling refer to the decoded audio; LAME's own 0.95 is made up for here.
        self.gain = np.float32(10 ** ((gain_db + LAME_SCALE_DB) / 20))

    def silence(self, frames: int) -> None:
        for offset in range(0, frames, _BLOCK):
            self.worker.put(b"\x00\x00" * min(_BLOCK, frames - offset))
        if frames > 0:
            self.meter.feed_silence(frames)

    def clip(self, samples: np.ndarray) -> None:
        clip = samples.astype(np.float32) * (self.gain / np.float32(32768.0))
        if self.ceiling_db is not None and float(np.abs(clip).max(initial=0.0)) * 2 > 10 ** (self.ceiling_db / 20):
            clip = clip * limiter_gain(clip, self.rate, self.ceiling_db)
        out = np.clip(np.round(clip * 32767.0), -32768, 32767).astype("<i2")
        self.worker.put(out.tobytes())
        scaled = out.astype(np.float32) / np.float32(32768.0)
        self.meter.feed(scaled)
        if len(scaled):
            self.peak = max(self.peak, 10 ** (true_peak_db(scaled) / 20))

    def close(self) -> Encoded:
        try:
            size = self.worker.close()
        finally:
            self.handle.close()
        lufs = self.meter.integrated() - LAME_SCALE_DB
        return Encoded(size, lufs, 20 * float(np.log10(self.peak)) - LAME_SCALE_DB if self.peak > 0 else -120.0)


def encode_programme(
    programme: Programme, path: str | Path, bitrate: int = 64, gain_db: float = 0.0, ceiling_db: float | None = None
) -> Encoded:
    """Stream the whole programme into ``path``: silence as it is, every clip with ``gain_db`` and, when a
    ``ceiling_db`` is given, the true-peak limiter. Gain, ceiling and the measured loudness and true
    peak all refer to the audio as decoded from the MP3."""
    writer = _ClipWriter(programme.sample_rate, bitrate, path, ceiling_db)
    writer.set_gain(gain_db)
    try:
        position = 0
        for start, frames in programme.spans:
            writer.silence(start - position)
            programme.spill.seek(start * 2)
            writer.clip(np.frombuffer(programme.spill.read(frames * 2), dtype="<i2"))
            position = start + frames
        writer.silence(programme.frames - position)
    finally:
        encoded = writer.close()
    return encoded


class StreamingEncoder:
    """Encodes clips while later ones are still being synthesized.

    The gain is planned on the opening of the programme (``opening`` seconds of speech, or all
    of it when shorter); the caller compares the loudness measured at the end with the target
    and encodes again from the spill file, with a gain planned on the whole, only when the
    opening was not representative.
    """

    def __init__(
        self, rate: int, path: str | Path, bitrate: int, target: float | None, ceiling_db: float | None, opening: float = 20.0
    ) -> None:
        self.rate, self.target, self.ceiling_db = rate, target, ceiling_db
        self.opening_frames = int(opening * rate)
        self.writer = _ClipWriter(rate, bitrate, path, ceiling_db if target is not None else None)
        self.items: queue.Queue[tuple[int, np.ndarray] | None] = queue.Queue(maxsize=32)
        self.error: BaseException | None = None
        self.gain_db = 0.0
        self.thread = threading.Thread(target=self._run, name="articleaudio-encode", daemon=True)
        self.thread.start()

    def add(self, gap_frames: int, samples: np.ndarray) -> None:
        """The next clip, after ``gap_frames`` of silence."""
        if self.error is None:
            self.items.put((gap_frames, samples))

    def _plan(self, opening: list[tuple[int, np.ndarray]]) -> None:
        if self.target is None or self.ceiling_db is None:
            return
        from .loudness import gain_for, measure_lufs

        clips = [samples.astype(np.float32) / np.float32(32768.0) for _, samples in opening]
        gap = np.zeros(round(0.3 * self.rate), dtype=np.float32)
        joined = np.concatenate([part for clip in clips for part in (clip, gap)]) if clips else np.zeros(0, dtype=np.float32)
        self.gain_db = gain_for(clips, self.rate, measure_lufs(joined, self.rate), self.target, self.ceiling_db)
        self.writer.set_gain(self.gain_db)

    def _run(self) -> None:
        try:
            opening: list[tuple[int, np.ndarray]] = []
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

    def _write(self, item: tuple[int, np.ndarray]) -> None:
        gap, samples = item
        self.writer.silence(gap)
        self.writer.clip(samples)

    def finish(self, tail_frames: int) -> Encoded:
        """Add the closing silence, wait for the encoder and return what it measured."""
        self.items.put(None)
        self.thread.join()
        try:
            if self.error is None:
                self.writer.silence(tail_frames)
        finally:
            encoded = self.writer.close()
        if self.error is not None:
            if isinstance(self.error, EncodeError):
                raise self.error
            raise EncodeError(f"cannot encode ({self.error})", str(self.writer.path))
        return encoded

    def abandon(self) -> None:
        """Stop after a failure elsewhere; the partial file is the caller's to discard."""
        self.items.put(None)
        self.thread.join()
        try:
            self.writer.close()
        except EncodeError:
            pass
