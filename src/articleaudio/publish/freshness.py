"""Whether a narration already in the output folder is current: a fingerprint of what decides the output."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..models import Article, Source
from ..settings import Settings
from ..userconfig import default_lexicon_path
from .atomic import OutputSet
from .claims import clear_stale, take_claim
from .paths import plan_output, source_identity

# Settings that do not change what is produced, and so do not make a narration out of date.
_NOT_IN_FINGERPRINT = {"output", "force", "jobs", "cache", "timeout", "engine_timeout", "max_bytes", "strict", "cluster"}


def fingerprint(source: Source, settings: Settings, lexicon_path: str | Path | None, version: str) -> str:
    """What decides the output: articleaudio's version, the source bytes, the settings and the lexicon."""
    digest = hashlib.sha256()
    relevant = {k: v for k, v in asdict(settings).items() if k not in _NOT_IN_FINGERPRINT}
    digest.update(json.dumps([version, relevant], sort_keys=True, default=str).encode())
    digest.update(source.data)
    if lexicon_path:
        try:
            digest.update(Path(lexicon_path).read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


@dataclass(frozen=True)
class OutputPlan:
    """Where a narration goes, and what is there already."""

    mp3_path: Path
    """The MP3 to write."""
    fingerprint: str
    """Of this conversion's source, settings and lexicon."""
    lexicon_path: str | Path | None
    """The user's lexicon in effect (``--lexicon`` or the config folder's), if any."""
    existing: dict[str, Any] | None
    """Provenance of the MP3 already at ``mp3_path``, None when there is none."""
    identity: str = ""
    """What tells this article from others in the output folder (see :func:`source_identity`)."""

    @property
    def status(self) -> str | None:
        """``up to date`` when the narration there is current, ``kept`` when the file there is not a narration
        of ours (an MP3 articleaudio did not write), None when this conversion should run."""
        if self.existing is None:
            return None
        if self.existing.get("source") is None:
            return "kept"
        return "up to date" if self.existing.get("fingerprint") == self.fingerprint else None


def plan_narration(
    source: Source,
    article: Article,
    settings: Settings,
    version: str,
    several: bool = False,
    known: Mapping[str, dict[str, Any] | None] | None = None,
) -> OutputPlan:
    """The MP3's path, the fingerprint of this conversion and the provenance of a narration already there
    (``known``: the output folder's narrations, when the folder is on another machine)."""
    lexicon_path = settings.lexicon or default_lexicon_path()
    identity = source_identity(article, source.name)
    mp3_path, existing = plan_output(article, settings.output, several, identity, known)
    return OutputPlan(mp3_path, fingerprint(source, settings, lexicon_path, version), lexicon_path, existing, identity)


_CLAIM_TRIES = 20


def claim_output(outputs: OutputSet, plan: OutputPlan, source: Source, article: Article, settings: Settings, version: str,
                 several: bool = False, known: Mapping[str, dict[str, Any] | None] | None = None) -> OutputPlan:  # fmt: skip
    """Claim the plan's file name for this run, or plan again past names other runs hold; the plan claimed.

    The claim is held by ``outputs`` and let go when its files are renamed into place or discarded. Stale claims
    and ``.part`` files of runs that are gone are cleared from the folder first.
    """
    try:
        plan.mp3_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write here ({exc.strerror or exc})", str(plan.mp3_path.parent)) from None
    clear_stale(plan.mp3_path.parent)
    for _ in range(_CLAIM_TRIES):
        claim = take_claim(plan.mp3_path, plan.identity)
        if claim is not None:
            outputs.hold(claim)
            return plan
        plan = plan_narration(source, article, settings, version, several, known)
    raise OutputError("is being written by another run; try again when it has finished", str(plan.mp3_path))
