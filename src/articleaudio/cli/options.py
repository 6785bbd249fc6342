"""The ``convert`` options, built from the Settings declarations (nothing about a setting is written here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..settings import Declared, declared_settings

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _param_type(declared: Declared) -> Any:
    option, base = declared.option, declared.base_type
    if option.choices:
        return click.Choice(list(option.choices))
    if option.path:
        return click.Path(dir_okay=False)
    if option.minimum is not None or option.maximum is not None:
        if base is int and option.scale == 1:
            return click.IntRange(
                None if option.minimum is None else int(option.minimum), None if option.maximum is None else int(option.maximum)
            )
        return click.FloatRange(option.minimum, option.maximum)
    return float if option.scale != 1 else base


def click_option(declared: Declared) -> list[Decorator]:
    """The click option (and its off switch, where it has one) for one setting."""
    option = declared.option
    flags = [*option.flags, declared.key]
    default = declared.shown_default
    if declared.base_type is bool:
        on_off = "/" in option.flags[-1]
        extra: dict[str, Any] = {} if on_off else {"flag_value": not option.invert}
        return [click.option(*flags, is_flag=True, default=default, show_default=on_off, help=option.help, **extra)]
    shown = default is not None
    made = click.option(
        *flags,
        type=_param_type(declared),
        default=str(default) if option.choices and default is not None else default,
        show_default=shown,
        envvar=option.envvar,
        help=option.help,
    )
    if not option.off:
        return [made]
    return [made, click.option(option.off, is_flag=True, help=option.off_help)]


def setting_option(name: str) -> Decorator:
    """The option of one setting, for a command other than ``convert`` that takes it too (``extract --include-tables``)."""
    (declared,) = [d for d in declared_settings() if d.field == name]
    (decorator, *_) = click_option(declared)
    return decorator


def settings_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add every setting's option to a click command, in declaration order."""
    decorators = [d for declared in declared_settings() for d in click_option(declared)]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function
