"""Settings are declared once: every field reaches the command line and config.toml, and no default is written twice."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from articleaudio.cli.convert import convert
from articleaudio.settings import Declared, Settings, config_keys, declared_settings, settings_from_options
from articleaudio.userconfig import load_config

from .conftest import ROOT

FIELDS = declared_settings()


def _other_value(declared: Declared) -> Any:
    """A value the field accepts that is not its default, as the Settings field holds it."""
    option, base, default = declared.option, declared.base_type, declared.default
    if base is bool:
        return not default
    if option.choices:
        return type(default)(next(c for c in option.choices if c != str(default)))
    if base is str:
        return "tone" if declared.field == "engine" else f"/tmp/{declared.field}.value"
    low = option.minimum if option.minimum is not None else 0
    if base is int and option.scale != 1:
        return 3 * option.scale
    if base is int:
        return int(low) + 1 if default != int(low) + 1 else int(low) + 2
    return float(low) + 0.5 if default != float(low) + 0.5 else float(low) + 1.5


def _cli_args(declared: Declared, value: Any) -> list[str]:
    option = declared.option
    flags = option.flags
    if declared.base_type is bool:
        if "/" in flags[-1]:
            on, off = flags[-1].split("/")
            return [on if value else off]
        return [flags[-1]]
    shown = value / option.scale if option.scale != 1 else value
    return [flags[-1], str(shown)]


def _parsed(args: list[str], default_map: dict[str, Any] | None = None) -> Settings:
    ctx = convert.make_context("convert", [*args, "story.html"], default_map=default_map)
    return settings_from_options(ctx.params)


def test_every_field_is_declared_with_an_option() -> None:
    assert [d.field for d in FIELDS] == list(Settings.__dataclass_fields__)
    assert all(d.option.help.strip() for d in FIELDS)


@pytest.mark.parametrize("declared", FIELDS, ids=lambda d: d.field)
def test_every_field_is_reachable_from_the_command_line(declared: Declared) -> None:
    value = _other_value(declared)
    assert getattr(_parsed([]), declared.field) == declared.default
    assert getattr(_parsed(_cli_args(declared, value)), declared.field) == value


@pytest.mark.parametrize("declared", FIELDS, ids=lambda d: d.field)
def test_every_field_is_reachable_from_the_config_file(declared: Declared, config_dir: Path) -> None:
    value = _other_value(declared)
    shown = value / declared.option.scale if declared.option.scale != 1 else value
    if declared.option.choices:
        shown = str(value) if declared.base_type is str else int(value)
    literal = repr(shown).lower() if isinstance(shown, bool) else (f'"{shown}"' if isinstance(shown, str) else repr(shown))
    (config_dir / "config.toml").write_text(f"{declared.key} = {literal}\n", encoding="utf-8")
    assert getattr(_parsed([], load_config()["convert"]), declared.field) == value


def test_an_optional_setting_can_be_turned_off_from_both() -> None:
    assert _parsed(["--no-loudness"]).loudness is None
    assert _parsed([], {"no_loudness": True}).loudness is None


def test_config_keys_are_exactly_the_convert_parameters() -> None:
    params = {p.name for p in convert.params}
    assert set(config_keys()) <= params
    assert params - set(config_keys()) == {"sources", "from_file", "report", "quiet"}


def test_no_setting_is_declared_again_in_the_cli() -> None:
    """The cli package builds the settings' options; it writes none of their flags or defaults itself."""
    flags = {flag.split("/")[0] for d in FIELDS for flag in (*d.option.flags, d.option.off or "")} - {""}
    for path in (ROOT / "src" / "articleaudio" / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "option":
                named = {a.value.split("/")[0] for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
                if path.name == "engines.py":
                    named -= {"--engine"}  # `voices --engine` picks which engines to list; it is not the setting
                assert not named & flags, f"{path.name} declares {named & flags} again"


def test_engine_timeout_reaches_the_engines() -> None:
    from articleaudio.audio.synthesize import EnginePool

    pool = EnginePool.for_settings(Settings(engine="espeak", engine_timeout=7.5), 1)
    try:
        assert pool.first().timeout == 7.5  # type: ignore[attr-defined]
    finally:
        pool.close()
