"""Options for one conversion: each declared once, with its default, help text, command-line flag and config key.

The ``convert`` command's options and the keys ``config.toml`` accepts are built from these
declarations (``articleaudio.cli.options``, ``articleaudio.userconfig``), so a default is written
in one place only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Any, Final, get_type_hints

DEFAULT_ENGINE: Final = "pyttsx3"
DEFAULT_OUTPUT_DIR: Final = "audio"
MEGABYTE: Final = 1_000_000


@dataclass(frozen=True)
class Option:
    """How one setting is given on the command line and in ``config.toml``."""

    flags: tuple[str, ...]
    """click's declarations: ``("-o", "--output")``, or ``("--intro/--no-intro",)`` for an on/off pair."""
    help: str
    """The help text shown by ``--help`` and in the documentation."""
    name: str | None = None
    """The parameter and config key, when it is not the field's name (``max_size`` for ``max_bytes``)."""
    minimum: float | None = None
    """Smallest value accepted."""
    maximum: float | None = None
    """Largest value accepted."""
    choices: tuple[str, ...] = ()
    """The only values accepted, as typed."""
    scale: int = 1
    """The command line takes the value in units of ``scale`` (megabytes for a size in bytes)."""
    off: str | None = None
    """A flag of its own that turns an optional setting off (``--no-loudness``); its config key is its name."""
    off_help: str = ""
    """Help text of the ``off`` flag."""
    invert: bool = False
    """The single flag in ``flags`` sets a setting that is on by default to False (``--no-cover``)."""
    envvar: str | None = None
    """An environment variable that gives the value when the flag is absent."""
    path: bool = False
    """The value is a file's path (shell completion offers files)."""


def setting(default: Any, *flags: str, help: str, **how: Any) -> Any:  # click's word for it
    """A Settings field: its default, and how it is given on the command line and in config.toml."""
    return field(default=default, metadata={"option": Option(flags=flags, help=help, **how)})


@dataclass(frozen=True)
class Settings:
    """Everything that changes what a conversion produces (and how it runs)."""

    engine: str = setting(DEFAULT_ENGINE, "--engine", help="Speech engine (see: articleaudio voices).", envvar="ARTICLEAUDIO_ENGINE")
    voice: str | None = setting(None, "--voice", help="Voice id of the engine (default: one for the article's language).")
    quote_voice: str | None = setting(
        None, "--quote-voice", help="Speak quoted speech (three words or more, and block quotations) in this voice of the engine."
    )
    rate: int = setting(175, "--rate", help="Speaking rate in words per minute.", minimum=80, maximum=450)
    bitrate: int = setting(64, "--bitrate", help="MP3 bitrate in kbit/s (constant, mono).")
    sentence_pause: float = setting(0.35, "--sentence-pause", help="Seconds between sentences.", minimum=0, maximum=5)
    paragraph_pause: float = setting(0.7, "--paragraph-pause", help="Seconds between paragraphs.", minimum=0, maximum=5)
    section_pause: float = setting(1.2, "--section-pause", help="Seconds before a new section.", minimum=0, maximum=10)
    fade_ms: float = setting(
        5.0, "--fade-ms", help="Milliseconds of fade at both edges of every clip, against clicks.", minimum=0, maximum=50
    )
    loudness: float | None = setting(
        -16.0, "--loudness", help="Target loudness in LUFS for the whole programme.",
        off="--no-loudness", off_help="Keep the engine's levels instead of normalizing loudness.",
    )  # fmt: skip
    true_peak: float = setting(-2.0, "--true-peak", help="Ceiling for the true peak in dBTP, with loudness on.", minimum=-10, maximum=0)
    intro: bool = setting(True, "--intro/--no-intro", help="Speak the title, byline, site and a synthetic-voice notice first.")
    outro: bool = setting(False, "--outro/--no-outro", help="Speak a closing line naming the source.")
    lexicon: str | None = setting(
        None, "--lexicon", help="Pronunciation lexicon (TOML or PLS) applied before the built-in rules.", envvar="ARTICLEAUDIO_LEXICON",
        path=True,
    )  # fmt: skip
    output: str | None = setting(
        None, "-o", "--output", help="Folder for the MP3s (default: audio/), or an .mp3 file name for a single source."
    )
    force: bool = setting(
        False, "-f", "--force", help="Convert again even when a narration is up to date, and replace files of other articles."
    )
    id3_version: int = setting(3, "--id3", help="ID3v2 version of the tags.", choices=("3", "4"))
    write_manifest: bool = setting(True, "--manifest/--no-manifest", help="Write <stem>.json with metadata and sentence timings.")
    write_captions: bool = setting(True, "--captions/--no-captions", help="Write <stem>.vtt and <stem>.srt.")
    write_chapters: bool = setting(True, "--chapters/--no-chapters", help="Write <stem>.chapters.json when the article has chapters.")
    write_player: bool = setting(True, "--player/--no-player", help="Write <stem>.html, a read-along player page.")
    cover_art: bool = setting(True, "--no-cover", help="Embed no cover image.", invert=True)
    cover: str | None = setting(None, "--cover", help="Cover image (JPEG/PNG path or URL) instead of the article's lead image.")
    synced_lyrics: bool = setting(False, "--sylt", help="Also write synchronized lyrics (SYLT) with each sentence's start.")
    include_tables: bool = setting(False, "--include-tables", help="Read tables aloud instead of leaving them out.")
    source_url: str | None = setting(
        None, "--source-url", help="The article's public address, named in published files instead of a local file's name (one source)."
    )
    max_bytes: int = setting(
        10 * MEGABYTE,
        "--max-size",
        help="Largest page or file accepted, in MB.",
        name="max_size",
        scale=MEGABYTE,
        minimum=0.001,
        maximum=1000,
    )
    timeout: float = setting(20.0, "--timeout", help="Seconds to wait for a web server.", minimum=1, maximum=300)
    engine_timeout: float = setting(30.0, "--engine-timeout", help="Seconds one sentence may take in the engine before it is retried.",
                                    minimum=1, maximum=600)  # fmt: skip
    jobs: int = setting(
        0, "-j", "--jobs", help="Sentences (one source) or sources (several) at once; 0 = one per CPU core.", minimum=0, maximum=64
    )
    cache: bool = setting(True, "--cache/--no-cache", help="Reuse clips of sentences spoken before with the same engine, voice and rate.")
    device: str = setting("cpu", "--device", help="Where neural engines (piper) run.", choices=("cpu", "cuda"))
    cluster: str | None = setting(
        None,
        "--cluster",
        help="Send one task per article to this Dask scheduler (tcp://HOST:8786) instead of local processes.",
        envvar="ARTICLEAUDIO_CLUSTER",
    )
    strict: bool = setting(
        False, "--strict", help="Fail the article when a sentence cannot be spoken, instead of leaving the sentence out."
    )

    @property
    def workers(self) -> int:
        """``jobs``, with 0 resolved to the number of CPU cores."""
        return self.jobs if self.jobs > 0 else max(1, os.cpu_count() or 1)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]  # dataclasses.replace is untyped here


@dataclass(frozen=True)
class Declared:
    """One Settings field as the command line and the config file see it."""

    field: str
    """The Settings field."""
    option: Option
    """How it is given."""
    type: Any
    """The field's type, ``str | None`` and the like included."""
    default: Any
    """The field's default."""

    @property
    def key(self) -> str:
        """The click parameter and the ``config.toml`` key."""
        return self.option.name or self.field

    @property
    def base_type(self) -> type:
        """The field's type without ``None``: ``str`` for ``str | None``."""
        args = [a for a in getattr(self.type, "__args__", ()) if a is not type(None)]
        return args[0] if args else self.type

    @property
    def shown_default(self) -> Any:
        """The default as the command line takes it (in its units)."""
        if self.default is None or self.option.scale == 1:
            return self.default
        return self.default / self.option.scale


def declared_settings() -> list[Declared]:
    """Every Settings field with its option, in declaration order."""
    hints = get_type_hints(Settings)
    return [Declared(f.name, f.metadata["option"], hints[f.name], f.default) for f in fields(Settings)]


def config_keys() -> dict[str, type]:
    """Every key ``config.toml`` accepts for ``convert``, with the type its value must have."""
    keys: dict[str, type] = {}
    for declared in declared_settings():
        base = declared.base_type
        keys[declared.key] = float if declared.option.scale != 1 else base
        if declared.option.off:
            keys[declared.option.off.removeprefix("--").replace("-", "_")] = bool
    return keys


def settings_from_options(values: dict[str, Any]) -> Settings:
    """Settings from parameter values keyed as :func:`config_keys` names them (the command line's, or a config file's)."""
    changes: dict[str, Any] = {}
    for declared in declared_settings():
        option = declared.option
        if declared.key not in values:
            continue
        value = values[declared.key]
        if value is not None and option.scale != 1:
            value = int(value * option.scale)
        elif value is not None and option.choices and declared.base_type is int:
            value = int(value)
        if option.off and values.get(option.off.removeprefix("--").replace("-", "_")):
            value = None
        changes[declared.field] = value
    return Settings(**changes)
