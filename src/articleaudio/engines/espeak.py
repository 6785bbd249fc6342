"""The ``espeak`` engine: espeak-ng's command-line program, one call per sentence."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cached_property
from typing import Any

from ..errors import EngineError
from ..models import Clip
from .base import UNLIMITED_LANES, Register, Voice
from .wav import parse_wav

INSTALL_HINT = "install it with: apt-get install espeak-ng (Debian/Ubuntu) or brew install espeak-ng (macOS)"
# Language tags whose espeak-ng voice has another id: Chinese is "cmn" (Mandarin) or "yue" (Cantonese).
# A pause between words, in espeak-ng's units of 10 ms: with 20 ms the Whisper model that `verify` uses misheard
# 13.2 % of the words of twelve news stories instead of 17.2 % (40 ms: 12.6 %), for a narration 5 % longer.
WORD_GAP = 2
DEFAULT_VOICES = {"en": "en-us", "en-us": "en-us", "en-gb": "en-gb", "zh": "cmn", "zh-cn": "cmn", "zh-tw": "cmn", "zh-hk": "yue"}


def find_espeak() -> str:
    """Path of the espeak-ng program, or EngineError saying how to install it."""
    for name in ("espeak-ng", "espeak"):
        path = shutil.which(name)
        if path:
            return path
    raise EngineError(f"espeak-ng is not installed; {INSTALL_HINT}")


def list_espeak_voices(program: str) -> list[Voice]:
    """Voices espeak-ng reports, without MBROLA voices whose data is not installed."""
    try:
        out = subprocess.run([program, "--voices"], capture_output=True, text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineError(f"espeak-ng cannot list its voices ({exc})") from None
    voices: list[Voice] = []
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) < 5 or parts[4].startswith("mb/"):
            continue
        language, gender, name, file = parts[1], parts[2].split("/")[-1], parts[3], parts[4]
        voices.append(
            Voice(
                id=language,
                name=f"{name.replace('_', ' ')} ({file})",
                language=language,
                gender={"M": "male", "F": "female"}.get(gender),
                sample_rate=22050,
            )
        )
    return voices


class EspeakEngine:
    """espeak-ng through its command line: deterministic, byte-identical output for the same input."""

    name = "espeak"
    max_lanes = UNLIMITED_LANES
    overlap_encoding = True
    reads_phonemes = True
    """espeak-ng reads its phoneme mnemonics in [[…]] (lexicon entries given as phonemes)."""

    def __init__(self, timeout: float = 60.0, **_: Any) -> None:
        self.program = find_espeak()
        self.timeout = timeout
        """Seconds one sentence may take before espeak-ng is stopped and the sentence retried."""

    @cached_property
    def _voices(self) -> list[Voice]:
        return list_espeak_voices(self.program)

    def voices(self) -> list[Voice]:
        return list(self._voices)

    def resolve_voice(self, voice: str | None, language: str | None = None) -> str:
        return resolve_espeak_voice(self._voices, voice, language, self.name)

    def version(self) -> str:
        return self._version

    @cached_property
    def _version(self) -> str:
        # asked once per engine: the warm-up asks while the article is extracted, the conversion again after
        try:
            out = subprocess.run([self.program, "--version"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return "espeak-ng unknown"
        return f"{out.split('Data at')[0].strip()}, word gap {WORD_GAP * 10} ms"

    def synthesize(self, text: str, voice: str, rate: int) -> Clip:
        if not text.strip():
            raise EngineError("empty text given to espeak")
        try:
            result = subprocess.run(
                [self.program, "-v", voice, "-s", str(rate), "-g", str(WORD_GAP), "--stdout", "-b", "1", "--stdin"],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise EngineError(f"espeak-ng took more than {self.timeout:g} s for one sentence") from None
        except OSError as exc:
            raise EngineError(f"espeak-ng cannot run ({exc.strerror or exc})") from None
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise EngineError(f"espeak-ng failed: {message[-1] if message else 'exit code ' + str(result.returncode)}")
        return parse_wav(result.stdout, "espeak-ng output")

    def close(self) -> None:
        return None


def resolve_espeak_voice(voices: list[Voice], voice: str | None, language: str | None, engine: str) -> str:
    """Pick a voice id: the user's (checked), else one for the article's language."""
    if voice:
        base = voice.split("+")[0]
        known = {v.id.lower() for v in voices} | {m.group(1).lower() for v in voices if (m := re.search(r"\((.+)\)$", v.name))}
        known |= {k.split("/")[-1] for k in list(known)}
        if base.lower() not in known:
            raise EngineError(f"unknown voice {voice!r} for engine {engine} (see: articleaudio voices --engine {engine})")
        return voice
    lang = (language or "en").lower().replace("_", "-")
    ids = {v.id.lower() for v in voices}
    for candidate in (DEFAULT_VOICES.get(lang), lang, lang.split("-")[0], DEFAULT_VOICES.get(lang.split("-")[0]), "en-us"):
        if candidate and candidate in ids:
            return candidate
    return "en-us"


def register(register_engine: Register) -> None:
    """Entry point: add the espeak engine to the registry."""
    register_engine("espeak", EspeakEngine)
