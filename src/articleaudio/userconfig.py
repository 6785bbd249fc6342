"""The user's configuration folder: default options and a default pronunciation lexicon."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from .errors import ArticleAudioError
from .settings import config_keys


def config_dir() -> Path:
    """``$ARTICLEAUDIO_CONFIG_DIR``, else the platform's user config folder (``~/.config/articleaudio`` on Linux)."""
    override = os.environ.get("ARTICLEAUDIO_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("articleaudio"))


def default_lexicon_path() -> Path | None:
    """``lexicon.toml`` or ``lexicon.pls`` in the config folder, when present."""
    for name in ("lexicon.toml", "lexicon.pls"):
        path = config_dir() / name
        if path.is_file():
            return path
    return None


def load_config() -> dict[str, dict[str, Any]]:
    """Defaults for the CLI from ``config.toml``: top-level keys apply to ``convert`` and ``check``."""
    path = config_dir() / "config.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ArticleAudioError(f"invalid configuration ({exc})", str(path)) from None
    known = config_keys()
    defaults: dict[str, Any] = {}
    for key, value in data.items():
        expected: type | tuple[type, ...] | None = known.get(key.replace("-", "_"))
        if expected is None:
            raise ArticleAudioError(f"unknown setting {key!r} (known: {', '.join(sorted(known))})", str(path))
        expected = (int, float) if expected is float else expected
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ArticleAudioError(f"setting {key!r} has the wrong type", str(path))
        defaults[key.replace("-", "_")] = value
    return {"convert": defaults, "check": {k: v for k, v in defaults.items() if k == "lexicon"}}
