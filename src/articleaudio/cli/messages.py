"""How the command line reports: one-line errors and a progress bar on a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click


def fail_unexpected(exc: BaseException) -> NoReturn:
    # Under tests, unexpected exceptions must surface with their traceback.
    if getattr(sys, "_called_from_test", False) or os.environ.get("ARTICLEAUDIO_RAISE_ERRORS"):
        raise exc
    click.echo(f"articleaudio: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
    sys.exit(2)


@contextmanager
def progress_bar(quiet: bool, label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback: a bar on a terminal, silence otherwise."""
    if quiet or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    state: dict[str, Any] = {"bar": None}  # the bar is created once the number of sentences is known

    def update(stage: str, done: int, total: int) -> None:
        if stage == "synthesize":
            if state["bar"] is None:
                bar: Any = click.progressbar(length=total, label=label, file=sys.stderr)
                bar.__enter__()
                state["bar"] = bar
            state["bar"].update(done - state["bar"].pos)
        elif state["bar"] is not None and stage in {"assemble", "done"}:
            state["bar"].__exit__(None, None, None)
            state["bar"] = None

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
