"""Stage 7: the programme, with its one gain and the true-peak limiter, streamed into LAME (lameenc) as CBR MP3."""

from __future__ import annotations

import math
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import EncodeError
from .loudness import LoudnessMeter, limiter_gain, true_peak_db
from .models import Programme

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
    loudness_lufs: float | None
    true_peak_db: float | None


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


def encode_programme(
    programme: Programme, path: str | Path, bitrate: int = 64, gain_db: float = 0.0, ceiling_db: float | None = None
) -> Encoded:
    """Stream the programme into ``path``: silence as it is, every clip with ``gain_db`` and, when a
    ``ceiling_db`` is given, the true-peak limiter. Gain, ceiling and the measured loudness and true
    peak all refer to the audio as decoded from the MP3."""
    rate = programme.sample_rate
    gain_db += LAME_SCALE_DB
    if ceiling_db is not None:
        ceiling_db += LAME_SCALE_DB
    encoder = _encoder(rate, bitrate, path)
    meter = LoudnessMeter(rate)
    gain = np.float32(10 ** (gain_db / 20))
    peak = 0.0
    try:
        handle = open(path, "wb")  # noqa: SIM115  # closed below, after the encoder thread is done
    except OSError as exc:
        raise EncodeError(f"cannot write ({exc.strerror or exc})", str(path)) from None
    with handle:
        worker = _EncoderThread(encoder, handle, path)
        try:
            position = 0

            def silence(frames: int) -> None:
                for offset in range(0, frames, _BLOCK):
                    worker.put(b"\x00\x00" * min(_BLOCK, frames - offset))
                meter.feed_silence(frames)

            for start, frames in programme.spans:
                silence(start - position)
                programme.spill.seek(start * 2)
                clip = np.frombuffer(programme.spill.read(frames * 2), dtype="<i2").astype(np.float32) / np.float32(32768.0)
                clip = clip * gain
                if ceiling_db is not None and float(np.abs(clip).max(initial=0.0)) * 2 > 10 ** (ceiling_db / 20):
                    clip = clip * limiter_gain(clip, rate, ceiling_db).astype(np.float32)
                out = np.clip(np.round(clip * 32767.0), -32768, 32767).astype("<i2")
                worker.put(out.tobytes())
                scaled = out.astype(np.float32) / np.float32(32768.0)
                meter.feed(scaled)
                peak = max(peak, 10 ** (true_peak_db(scaled) / 20)) if len(scaled) else peak
                position = start + frames
            silence(programme.frames - position)
        finally:
            size = worker.close()
    lufs = meter.integrated() - LAME_SCALE_DB
    return Encoded(size, lufs, 20 * float(np.log10(peak)) - LAME_SCALE_DB if peak > 0 else -120.0)
