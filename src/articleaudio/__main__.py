"""``python -m articleaudio`` runs the command-line interface."""

from .cli import cli

cli()
