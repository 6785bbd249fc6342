"""A worker process that hosts an unreliable engine, with a timeout on every call.

The parent never imports or initialises the engine library itself, so a fork elsewhere
cannot inherit a half-initialised engine, a hang costs one sentence's timeout, and a crash
costs one worker restart.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from ..errors import EngineError

LOGGER = logging.getLogger(__name__)

Handler = Callable[[str, tuple[Any, ...]], Any]


def _serve(conn: Connection, factory: Callable[[], Handler]) -> None:
    # Engines print progress to stdout ("Audio saved to ..."); that must never reach our user.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115  # lives as long as the worker process
    try:
        handler = factory()
    except Exception as exc:  # noqa: BLE001  # reported to the parent, which raises EngineError
        conn.send(("err", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ok", "ready"))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        op, args = message
        try:
            conn.send(("ok", handler(op, args)))
        except Exception as exc:  # noqa: BLE001  # reported to the parent, which raises EngineError
            conn.send(("err", f"{type(exc).__name__}: {exc}"))


class IsolatedWorker:
    """Runs ``factory()`` in a spawned process and forwards calls to the handler it returns."""

    def __init__(self, factory: Callable[[], Handler], label: str, start_timeout: float = 30.0) -> None:
        self.factory = factory
        self.label = label
        self.start_timeout = start_timeout
        self._process: Any = None
        self._conn: Connection | None = None

    def _start(self) -> Connection:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child, self.factory), daemon=True, name=f"articleaudio-{self.label}")
        process.start()
        child.close()
        self._process, self._conn = process, parent
        status, payload = self._receive(self.start_timeout, "start")
        if status != "ok":
            self.close()
            raise EngineError(f"{self.label} cannot start: {payload}")
        return parent

    def _receive(self, timeout: float, what: str) -> tuple[str, Any]:
        assert self._conn is not None
        try:
            if not self._conn.poll(timeout):
                self.close()
                raise EngineError(f"{self.label} did not answer within {timeout:g} s ({what})")
            result: tuple[str, Any] = self._conn.recv()
        except (EOFError, OSError):
            self.close()
            raise EngineError(f"{self.label} worker stopped unexpectedly ({what})") from None
        return result

    def call(self, op: str, *args: Any, timeout: float = 30.0) -> Any:
        """Send one request; raise EngineError on an error, a crash or a timeout (the worker is restarted next call)."""
        conn = self._conn if self._conn is not None and self._process.is_alive() else self._start()
        try:
            conn.send((op, args))
        except (OSError, BrokenPipeError):
            self.close()
            raise EngineError(f"{self.label} worker stopped unexpectedly ({op})") from None
        status, payload = self._receive(timeout, op)
        if status != "ok":
            raise EngineError(f"{self.label}: {payload}")
        return payload

    def close(self) -> None:
        """Stop the worker process."""
        if self._conn is not None:
            try:
                self._conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            self._conn.close()
        if self._process is not None:
            self._process.join(timeout=1)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(timeout=1)
        self._process = self._conn = None
