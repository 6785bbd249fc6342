"""Reading WAV bytes from engines that write them, including streamed headers with placeholder sizes."""

from __future__ import annotations

import struct

from ..errors import EngineError
from ..models import Clip


def parse_wav(data: bytes, what: str = "engine output") -> Clip:
    """Read PCM WAV bytes; sizes in the header are ignored, since streamed WAVs carry placeholders."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise EngineError(f"{what} is not a WAV file ({len(data)} bytes)")
    pos = 12
    fmt: tuple[int, int, int, int] | None = None
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = pos + 8
        if chunk_id == b"fmt ":
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[body : body + 16])
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            if fmt is None:
                raise EngineError(f"{what}: WAV data before its format")
            tag, channels, rate, bits = fmt
            if tag not in (1, 0xFFFE) or bits != 16:
                raise EngineError(f"{what}: unsupported WAV format (tag {tag}, {bits} bits)")
            end = min(len(data), body + size)
            pcm = data[body:end]
            frame = 2 * channels
            return Clip(pcm[: len(pcm) // frame * frame], rate, 2, channels)
        pos = body + size + (size & 1)
    raise EngineError(f"{what}: WAV has no data chunk")
