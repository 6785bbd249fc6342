"""The ``articleaudio`` command: thin click wrappers around the library."""

from __future__ import annotations

import gc

import click

from .convert import convert
from .engines import cache, voices
from .extract import extract
from .plan import plan
from .publishing import embed, feed
from .review import check, verify
from .watch import watch


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="articleaudio")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Turn articles into narrated MP3s, offline.

    \b
    Examples:
      articleaudio convert https://news.example/story
      articleaudio convert saved-page.html notes.md - -o out/
      articleaudio extract saved-page.html
      articleaudio voices

    Defaults for convert can be set in config.toml in the user config folder
    (~/.config/articleaudio on Linux, or $ARTICLEAUDIO_CONFIG_DIR); a lexicon.toml
    there is used when --lexicon is not given.
    """
    from ..batch import limit_memory, one_blas_thread, stop_on_sigterm
    from ..errors import ArticleAudioError
    from ..userconfig import load_config

    one_blas_thread()  # before anything imports numpy
    limit_memory()
    stop_on_sigterm()  # SIGTERM (a service manager, kill) stops as Ctrl-C does: nothing half-written is left

    try:
        ctx.default_map = load_config() or None
    except ArticleAudioError as exc:
        raise click.ClickException(str(exc)) from None


for _command in (convert, extract, cache, check, embed, feed, plan, verify, voices, watch):
    cli.add_command(_command)


def main() -> None:
    """The ``articleaudio`` program (and ``python -m articleaudio``): the command, then a quick exit.

    Once the command is done the process ends, and Python would first sweep every object it made for
    reference cycles, about 0.1 s after a conversion. Freezing them first leaves that sweep nothing
    to do; the files we wrote are closed by then, and exit handlers still run.
    """
    try:
        cli()
    finally:
        gc.disable()
        gc.freeze()
