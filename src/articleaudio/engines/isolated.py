"""A worker process that hosts an unreliable engine, with a timeout on every call.

The worker is a fresh ``python -m articleaudio.engines.isolated`` process talking over its
standard input and output, so the parent never imports or initialises the engine library,
no fork can inherit a half-initialised engine, a user's script is never re-imported (as
multiprocessing's spawn would), a hang costs one sentence's timeout and a crash one restart.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

from ..errors import EngineError

LOGGER = logging.getLogger(__name__)

Handler = Callable[[str, tuple[Any, ...]], Any]
_LENGTH = struct.Struct("<Q")


def _send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError
    (size,) = _LENGTH.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301  # our own child process, over a private pipe


def serve(factory_path: str) -> None:
    """Worker side: build the handler named ``module:function`` and answer requests until EOF."""
    replies = os.fdopen(os.dup(1), "wb")
    # Engines print progress to stdout ("Audio saved to ..."); that must never reach our user or the pipe.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115  # lives as long as the worker process
    requests = sys.stdin.buffer
    module, _, name = factory_path.partition(":")
    try:
        handler = getattr(importlib.import_module(module), name)()
    except Exception as exc:  # noqa: BLE001  # reported to the parent, which raises EngineError
        _send(replies, ("err", f"{type(exc).__name__}: {exc}"))
        return
    _send(replies, ("ok", "ready"))
    while True:
        try:
            message = _receive(requests)
        except EOFError:
            return
        op, args = message
        try:
            _send(replies, ("ok", handler(op, args)))
        except Exception as exc:  # noqa: BLE001  # reported to the parent, which raises EngineError
            _send(replies, ("err", f"{type(exc).__name__}: {exc}"))


class IsolatedWorker:
    """Runs the handler factory ``module:function`` in a child process and forwards calls to it."""

    def __init__(self, factory: str, label: str, start_timeout: float = 30.0) -> None:
        self.factory = factory
        self.label = label
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[Any] = queue.Queue()

    def _read_replies(self, stream: IO[bytes], replies: queue.Queue[Any]) -> None:
        # A reader thread makes timeouts portable (select() does not work on Windows pipes).
        while True:
            try:
                replies.put(_receive(stream))
            except (EOFError, OSError, pickle.UnpicklingError):
                replies.put(EOFError())
                return

    def _start(self) -> subprocess.Popen[bytes]:
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "articleaudio.engines.isolated", self.factory],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        except OSError as exc:
            raise EngineError(f"{self.label} worker cannot start ({exc})") from None
        self._process = process
        self._replies = queue.Queue()
        assert process.stdout is not None
        threading.Thread(target=self._read_replies, args=(process.stdout, self._replies), daemon=True).start()
        status, payload = self._wait(self.start_timeout, "start")
        if status != "ok":
            self.close()
            raise EngineError(f"{self.label} cannot start: {payload}")
        return process

    def _wait(self, timeout: float, what: str) -> tuple[str, Any]:
        try:
            reply = self._replies.get(timeout=timeout)
        except queue.Empty:
            self.close()
            raise EngineError(f"{self.label} did not answer within {timeout:g} s ({what})") from None
        if isinstance(reply, EOFError):
            self.close()
            raise EngineError(f"{self.label} worker stopped unexpectedly ({what})")
        result: tuple[str, Any] = reply
        return result

    def call(self, op: str, *args: Any, timeout: float = 30.0) -> Any:
        """Send one request; raise EngineError on an error, a crash or a timeout (the worker is restarted next call)."""
        process = self._process if self._process is not None and self._process.poll() is None else self._start()
        try:
            assert process.stdin is not None
            _send(process.stdin, (op, args))
        except (OSError, ValueError):
            self.close()
            raise EngineError(f"{self.label} worker stopped unexpectedly ({op})") from None
        status, payload = self._wait(timeout, op)
        if status != "ok":
            raise EngineError(f"{self.label}: {payload}")
        return payload

    def close(self) -> None:
        """Stop the worker process."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait(timeout=2)


if __name__ == "__main__":
    serve(sys.argv[1])
    # Every reply has been flushed and the worker holds no files: end at once rather than tear the interpreter
    # down, which the parent would otherwise wait for (about 0.05 s) before it can finish.
    os._exit(0)
