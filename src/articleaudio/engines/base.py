"""What an engine is: the protocol every speech engine follows, and the voices it offers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..models import Clip

UNLIMITED_LANES = 64
"""``max_lanes`` of an engine that gains from as many instances as there are cores."""


@dataclass(frozen=True)
class Voice:
    """A voice an engine offers."""

    id: str
    """What ``--voice`` accepts."""
    name: str
    """Human-readable name."""
    language: str | None = None
    """BCP 47 language tag."""
    gender: str | None = None
    """``male``, ``female`` or None when the engine does not say."""
    sample_rate: int | None = None
    """Native sample rate of the voice, when known."""


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a speech engine."""

    name: str
    """Registry name, e.g. ``espeak``."""
    max_lanes: int
    """How many instances are worth running side by side: ``UNLIMITED_LANES`` for an engine whose work
    runs on one core per instance, 1 for one that spreads a single synthesis over every core itself."""
    overlap_encoding: bool
    """Whether the MP3 encoder should run alongside synthesis (False when the engine keeps every core busy)."""

    def voices(self) -> list[Voice]:
        """Voices this engine can use."""
        ...

    def resolve_voice(self, voice: str | None, language: str | None = None) -> str:
        """The voice id to use; raise EngineError for an unknown ``voice``."""
        ...

    def synthesize(self, text: str, voice: str, rate: int) -> Clip:
        """Speak non-empty ``text`` with ``voice`` at ``rate`` words per minute."""
        ...

    def version(self) -> str:
        """A string that changes whenever the engine's output may change (for the clip cache)."""
        ...

    def close(self) -> None:
        """Release worker processes or libraries."""
        ...


EngineFactory = Callable[..., Engine]
"""Builds an engine; receives keyword options (such as ``device``) and ignores those it does not use."""
Register = Callable[[str, EngineFactory], None]
