"""Writing files so that a failed or interrupted run leaves nothing half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError

STOP_REQUESTED = threading.Event()
"""Set when the process is told to stop (Ctrl-C, SIGTERM). Nothing is renamed into place after that, even where the
KeyboardInterrupt the signal raised was lost: Python drops one raised while a finalizer runs."""


class OutputSet:
    """Files written to temporary names in their final folder, renamed into place together.

    Until :meth:`commit` no final path is touched, so an earlier output of the same article
    survives any failure; :meth:`discard` removes every temporary file.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self._held: list[Path] = []

    def hold(self, claim: Path) -> None:
        """Remove ``claim`` (a file-name claim) once the files are in place or given up."""
        self._held.append(claim)

    def _release(self) -> None:
        from .claims import let_go

        for claim in self._held:
            let_go(claim)
        self._held.clear()

    def temp_for(self, final: str | Path) -> Path:
        """A new empty temporary file beside ``final``, to be renamed to it on commit."""
        final = Path(final)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
        except OSError as exc:
            raise OutputError(f"cannot write here ({exc.strerror or exc})", str(final.parent)) from None
        os.close(fd)
        self._pending.append((Path(name), final))
        return Path(name)

    def write_text(self, final: str | Path, text: str) -> None:
        """Stage ``text`` (UTF-8) for ``final``."""
        self.write_bytes(final, text.encode("utf-8"))

    def write_bytes(self, final: str | Path, data: bytes) -> None:
        """Stage ``data`` for ``final``."""
        temp = self.temp_for(final)
        try:
            temp.write_bytes(data)
        except OSError as exc:
            raise OutputError(f"cannot write ({exc.strerror or exc})", str(final)) from None

    @property
    def finals(self) -> list[Path]:
        """Paths that commit will create or replace."""
        return [final for _, final in self._pending]

    def commit(self) -> list[Path]:
        """Rename every staged file into place, MP3 last so a complete MP3 implies complete sidecars."""
        if STOP_REQUESTED.is_set():
            self.discard()
            raise KeyboardInterrupt("stopped before the files were put in place")
        ordered = sorted(self._pending, key=lambda pair: pair[1].suffix == ".mp3")
        for temp, final in ordered:
            try:
                temp.chmod(0o644)
                temp.replace(final)
            except OSError as exc:
                self.discard()
                raise OutputError(f"cannot write ({exc.strerror or exc})", str(final)) from None
        self._pending.clear()
        self._release()
        return [final for _, final in ordered]

    def discard(self) -> None:
        """Remove every staged temporary file."""
        for temp, _ in self._pending:
            with contextlib.suppress(OSError):
                temp.unlink()
        self._pending.clear()
        self._release()


@contextlib.contextmanager
def staged_outputs() -> Iterator[OutputSet]:
    """An OutputSet that is discarded when the block raises and left for the caller to commit otherwise."""
    outputs = OutputSet()
    try:
        yield outputs
    except BaseException:
        outputs.discard()
        raise
