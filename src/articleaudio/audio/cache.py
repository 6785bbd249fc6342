"""A content-addressed cache of synthesized clips and encoded segments: a corrected article redoes only what changed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..models import Clip

LOGGER = logging.getLogger(__name__)
DEFAULT_MAX_BYTES = 1_000_000_000
_OLD_MAGIC = b"AAC1"  # clips stored without word marks
_MAGIC = b"AAC2"
_HEADER = struct.Struct("<4sIBB")
_MARKS = struct.Struct("<I")
_MARK = struct.Struct("<ii")  # character offset, frame
_DIGEST_SIZE = 16
_SEGMENT = struct.Struct("<Id")  # bytes of loudness energies, true peak


def cache_dir() -> Path:
    """``$ARTICLEAUDIO_CACHE_DIR``, else the platform's user cache folder (``~/.cache/articleaudio/clips`` on Linux)."""
    override = os.environ.get("ARTICLEAUDIO_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("articleaudio")) / "clips"


def clip_key(engine: str, engine_version: str, voice: str, rate: int, text: str) -> str:
    """The cache key of one spoken piece: everything that changes the audio, and nothing else."""
    payload = json.dumps([engine, engine_version, voice, rate, text], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheInfo:
    """What the cache holds."""

    path: Path
    clips: int
    bytes: int
    max_bytes: int
    segments: int = 0
    """Encoded MP3 segments (see audio.encode), kept beside the clips."""


_SUFFIXES = (".clip", ".mp3")


class ClipCache:
    """Clips, and the MP3 frames of encoded segments, stored as small files named by their key; least recently
    used go first when over the size cap."""

    def __init__(self, path: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path or cache_dir()
        self.max_bytes = max_bytes

    def _file(self, key: str, suffix: str = ".clip") -> Path:
        return self.path / key[:2] / f"{key}{suffix}"

    def get(self, key: str) -> Clip | None:
        """The clip stored under ``key``, or None (a damaged entry counts as missing)."""
        path = self._file(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) < _HEADER.size:
            return None
        magic, rate, width, channels = _HEADER.unpack_from(data)
        if magic not in (_MAGIC, _OLD_MAGIC) or not rate or width not in (1, 2, 4) or channels not in (1, 2):
            return None
        start = _HEADER.size
        marks: tuple[tuple[int, int], ...] = ()
        if magic == _MAGIC:
            if len(data) < start + _MARKS.size:
                return None
            (count,) = _MARKS.unpack_from(data, start)
            start += _MARKS.size
            if len(data) < start + _MARK.size * count:
                return None
            marks = tuple(_MARK.iter_unpack(data[start : start + _MARK.size * count]))
            start += _MARK.size * count
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return Clip(data[start:], rate, width, channels, marks)

    def put(self, key: str, clip: Clip) -> None:
        """Store ``clip``; a cache that cannot be written only costs speed, never the conversion."""
        header = _HEADER.pack(_MAGIC, clip.sample_rate, clip.sample_width, clip.channels) + _MARKS.pack(len(clip.marks))
        self._write(self._file(key), [header, b"".join(_MARK.pack(*mark) for mark in clip.marks), clip.pcm])

    def get_encoded(self, key: str) -> tuple[bytes, bytes, float] | None:
        """The MP3 frames, loudness energies and true peak of the segment stored under ``key``, or None (a damaged
        entry counts as missing)."""
        path = self._file(key, ".mp3")
        try:
            data = path.read_bytes()
        except OSError:
            return None
        body = data[_DIGEST_SIZE:]
        if len(data) < _DIGEST_SIZE + _SEGMENT.size or hashlib.blake2b(body, digest_size=_DIGEST_SIZE).digest() != data[:_DIGEST_SIZE]:
            return None
        size, peak = _SEGMENT.unpack_from(body)
        if len(body) < _SEGMENT.size + size:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        energies = body[_SEGMENT.size : _SEGMENT.size + size]
        return body[_SEGMENT.size + size :], energies, peak

    def put_encoded(self, key: str, frames: bytes, energies: bytes, peak: float) -> None:
        """Store one encoded segment: its MP3 frames and what was measured on it, with a checksum (a damaged frame
        would be heard)."""
        body = _SEGMENT.pack(len(energies), peak) + energies + frames
        self._write(self._file(key, ".mp3"), [hashlib.blake2b(body, digest_size=_DIGEST_SIZE).digest(), body])

    def _write(self, path: Path, parts: list[bytes]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                for part in parts:
                    handle.write(part)
            Path(temp).replace(path)
        except OSError as exc:
            LOGGER.warning("clip cache %s cannot be written: %s", self.path, exc)

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries: list[tuple[float, int, Path]] = []
        if not self.path.is_dir():
            return entries
        for sub in os.scandir(self.path):
            if not sub.is_dir():
                continue
            for entry in os.scandir(sub.path):
                if entry.name.endswith(_SUFFIXES):
                    stat = entry.stat()
                    entries.append((stat.st_mtime, stat.st_size, Path(entry.path)))
        return entries

    def info(self) -> CacheInfo:
        """Number of clips and segments, and bytes used."""
        entries = self._entries()
        clips = sum(1 for _, _, path in entries if path.suffix == ".clip")
        return CacheInfo(self.path, clips, sum(size for _, size, _ in entries), self.max_bytes, len(entries) - clips)

    def trim(self) -> int:
        """Delete least recently used clips until the cache is within its cap; return how many went."""
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in entries:
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
                removed += 1
        return removed

    def clear(self) -> int:
        """Delete every clip and encoded segment; return how many clips went."""
        removed = 0
        for _, _, path in self._entries():
            with contextlib.suppress(OSError):
                path.unlink()
                removed += path.suffix == ".clip"
        return removed
