"""Speech engines: one protocol, a registry, and third-party engines from entry points."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from ..errors import EngineError
from ..models import Clip

LOGGER = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "articleaudio.engines"
_BUILTIN_MODULES = (
    "articleaudio.engines.pyttsx3_engine",
    "articleaudio.engines.espeak",
    "articleaudio.engines.tone",
    "articleaudio.engines.piper_engine",
)


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
_registry: dict[str, EngineFactory] = {}
_loaded = False


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make an engine available under ``name``; a later registration replaces an earlier one."""
    _registry[name] = factory


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for module in _BUILTIN_MODULES:
        importlib.import_module(module).register(register_engine)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()(register_engine)
        except Exception:  # a broken plugin must not take the built-in engines down with it
            LOGGER.warning("could not load speech engine plugin %s", ep.name, exc_info=True)


def available_engines() -> list[str]:
    """Names of every registered engine, built-in ones first."""
    _load()
    return list(_registry)


def get_engine(name: str, **options: Any) -> Engine:
    """Create the engine registered as ``name`` with ``options`` (e.g. ``device="cpu"``)."""
    _load()
    try:
        factory = _registry[name]
    except KeyError:
        raise EngineError(f"unknown engine {name!r} (available: {', '.join(_registry)})") from None
    return factory(**options)
