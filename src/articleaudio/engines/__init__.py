"""Speech engines: one protocol, a registry, and third-party engines from entry points."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
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

        for module in _BUILTIN_MODULES:
            importlib.import_module(module).register(register_engine)
        if not _plugins_may_exist():
            return
        from importlib.metadata import entry_points  # here, not at the top: an engine's worker process never needs it (7 MB)

        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                ep.load()(register_engine)
            except Exception:  # a broken plugin must not take the built-in engines down with it
                LOGGER.warning("could not load speech engine plugin %s", ep.name, exc_info=True)


def _plugins_may_exist() -> bool:
    """Whether an installed distribution may declare an engine: some ``entry_points.txt`` on ``sys.path`` names our
    group, or distributions come from somewhere this cannot look (a zip, an egg, another finder).

    importlib.metadata reads every distribution's metadata to answer, about 40 ms of every start (its import
    included); looking for the group's name in those same files takes a few, and only a match needs the full scan.
    """
    from importlib.machinery import PathFinder

    if any(hasattr(finder, "find_distributions") and finder is not PathFinder for finder in sys.meta_path):
        return True
    for entry in sys.path:
        folder = Path(entry or ".")
        try:
            names = [path.name for path in folder.iterdir()]
        except NotADirectoryError:
            return True  # a zip file on the path
        except OSError:
            continue
        for name in names:
            lowered = name.lower()
            if lowered.endswith(".egg"):
                return True
            if lowered.endswith((".dist-info", ".egg-info")):
                try:
                    declared = (folder / name / "entry_points.txt").read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                if ENTRY_POINT_GROUP in declared:
                    return True
    return False


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
