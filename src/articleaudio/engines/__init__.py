"""Speech engines: one protocol, a registry, and third-party engines from entry points."""

from __future__ import annotations

import logging
import threading
from typing import Any

from ..errors import EngineError
from .base import UNLIMITED_LANES, Engine, EngineFactory, Register, Voice

LOGGER = logging.getLogger(__name__)
__all__ = [
    "UNLIMITED_LANES", "Engine", "EngineFactory", "Register", "Voice", "available_engines", "engine_trait", "get_engine", "register_engine",
]  # fmt: skip

ENTRY_POINT_GROUP = "articleaudio.engines"
_BUILTIN_MODULES = (
    "articleaudio.engines.pyttsx3_engine",
    "articleaudio.engines.espeak",
    "articleaudio.engines.tone",
    "articleaudio.engines.piper_engine",
)


_registry: dict[str, EngineFactory] = {}
_loaded = False
_loading = threading.RLock()


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make an engine available under ``name``; a later registration replaces an earlier one."""
    _registry[name] = factory


def _load() -> None:
    global _loaded
    # The engine can start in a background thread while the article is read (see pipeline.convert): the first
    # caller fills the registry, and any other waits for it rather than find it half filled.
    with _loading:
        if _loaded:
            return
        _loaded = True  # before the plugins run, so that one asking for the registry does not load it again
        import importlib
        from importlib.metadata import entry_points  # here, not at the top: an engine's worker process never needs it (7 MB)

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


def engine_trait(name: str, trait: str) -> bool | None:
    """A class attribute of the engine registered as ``name`` (such as ``reads_phonemes``), known without creating
    an engine; None when the engine is unknown or its factory does not declare it."""
    _load()
    value = getattr(_registry.get(name), trait, None)
    return value if isinstance(value, bool) else None


def get_engine(name: str, **options: Any) -> Engine:
    """Create the engine registered as ``name`` with ``options`` (e.g. ``device="cpu"``)."""
    _load()
    try:
        factory = _registry[name]
    except KeyError:
        raise EngineError(f"unknown engine {name!r} (available: {', '.join(_registry)})") from None
    return factory(**options)
