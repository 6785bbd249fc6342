"""Claiming a file name in an output folder, so that two runs never write one narration over another.

A run that has chosen ``news.mp3`` for its article holds ``.news.mp3.claim`` (created exclusively, naming the
article and the process) until its files are renamed into place or given up. Another run, or another task of
the same run, that wants the same name for a different article sees the claim and takes ``news-2.mp3``.
Claims of processes that are gone, and the ``.part`` files such a process left, are cleared by the next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import time
from pathlib import Path

CLAIM_SUFFIX = ".claim"
# A claim from another machine (a shared folder) is trusted this long; one from this machine as long as its process lives.
_FOREIGN_CLAIM_SECONDS = 6 * 3600
# A .part file with no live claim over its name is left by a crashed run once it has not changed for this long.
_STALE_PART_SECONDS = 60
_PART = re.compile(r"^\.(?P<name>[^/]+?)\.[^./]+\.part$")


# The claims this process holds, so that a process told to stop lets go of every one on its way out.
_HELD: set[Path] = set()


def let_go(claim: Path) -> None:
    """Remove a claim of this process."""
    _HELD.discard(claim)
    with contextlib.suppress(OSError):
        claim.unlink()


def let_go_of_all() -> None:
    """Remove every claim this process still holds (a process stopping between claiming and writing)."""
    for claim in list(_HELD):
        let_go(claim)


def _host() -> str:
    """This machine, as a claim names it: hashed, so that a claim file seen in a published folder says nothing of it."""
    return hashlib.sha256(socket.gethostname().encode("utf-8")).hexdigest()[:16]


def claim_path(mp3: Path) -> Path:
    return mp3.with_name(f".{mp3.name}{CLAIM_SUFFIX}")


def _read(claim: Path) -> dict[str, object] | None:
    try:
        value = json.loads(claim.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _live(record: dict[str, object] | None, claim: Path) -> bool:
    """Whether the run that made a claim may still be writing."""
    if record is None:  # being written this instant, or unreadable: fresh ones count as live
        try:
            return time.time() - claim.stat().st_mtime < _STALE_PART_SECONDS
        except OSError:
            return False
    if record.get("host") != _host():
        try:
            return time.time() - claim.stat().st_mtime < _FOREIGN_CLAIM_SECONDS
        except OSError:
            return False
    pid = record.get("pid")
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claimed_by_other(mp3: Path, identity: str) -> bool:
    """Whether another article's live run holds the name ``mp3``."""
    claim = claim_path(mp3)
    if not claim.exists():
        return False
    record = _read(claim)
    return _live(record, claim) and (record is None or record.get("identity") != identity)


def take_claim(mp3: Path, identity: str) -> Path | None:
    """Claim ``mp3`` for ``identity``; the claim file, or None when another live run holds the name."""
    claim = claim_path(mp3)
    record = json.dumps({"identity": identity, "pid": os.getpid(), "host": _host(), "time": time.time()})
    for _ in range(2):
        try:
            fd = os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            held = _read(claim)
            if _live(held, claim):
                if held is not None and held.get("identity") == identity and held.get("pid") == os.getpid():
                    return claim
                return None
            with contextlib.suppress(OSError):
                claim.unlink()  # a crashed run's claim
            continue
        _HELD.add(claim)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(record)
        return claim
    return None


def clear_stale(folder: Path) -> list[Path]:
    """Remove the claims and ``.part`` files that runs which are gone left in ``folder``; the paths removed."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    live_stems: set[str] = set()
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(CLAIM_SUFFIX):
            if _live(_read(entry), entry):
                live_stems.add(entry.name[1 : -len(CLAIM_SUFFIX)].split(".")[0])
            else:
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    now = time.time()
    for entry in entries:
        part = _PART.match(entry.name)
        if part is None or part.group("name").split(".")[0] in live_stems:
            continue
        try:
            if now - entry.stat().st_mtime >= _STALE_PART_SECONDS:
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue
    return removed
