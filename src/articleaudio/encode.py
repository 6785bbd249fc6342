"""Stage 7: MP3 encoding with LAME (lameenc), constant bitrate so every player knows the duration."""

from __future__ import annotations

from pathlib import Path

from .errors import EncodeError

ENCODER_QUALITY = 5  # LAME's quality/speed trade-off; 5 is near-transparent for speech at a third of q2's cost
_ALLOWED = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320)


def encode_mp3(pcm: bytes, sample_rate: int, path: str | Path, bitrate: int = 64) -> int:
    """Encode mono 16-bit ``pcm`` into ``path`` (a temporary file the caller renames); return its size."""
    import lameenc

    if bitrate not in _ALLOWED:
        raise EncodeError(f"unsupported MP3 bitrate {bitrate} kbit/s (choose one of {', '.join(map(str, _ALLOWED))})")
    try:
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(bitrate)
        encoder.set_in_sample_rate(sample_rate)
        encoder.set_channels(1)
        encoder.set_quality(ENCODER_QUALITY)
        data = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
    except Exception as exc:  # noqa: BLE001  # lameenc raises plain Exceptions; this is its one choke point
        raise EncodeError(f"LAME could not encode the audio ({exc})", str(path)) from None
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise EncodeError(f"cannot write ({exc.strerror or exc})", str(path)) from None
    return len(data)
