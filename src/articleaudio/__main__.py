"""``python -m articleaudio`` runs the command-line interface."""

from .cli import main

main()
