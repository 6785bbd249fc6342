"""The ``espeak`` engine: espeak-ng's command-line program, one call per sentence."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from functools import cache, cached_property
from pathlib import Path
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


@cache
def _version_output(program: str) -> str:
    try:
        return subprocess.run([program, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


_links_lock = threading.Lock()
_links: dict[str, VoiceLinks | None] = {}


def voice_links(program: str, voices: list[Voice]) -> VoiceLinks | None:
    """The process's one VoiceLinks for this espeak-ng program (None when it does not say where its data is)."""
    with _links_lock:
        if program not in _links:
            match = re.search(r"Data at:\s*(\S.*)", _version_output(program))
            _links[program] = VoiceLinks(Path(match.group(1).strip()), voices) if match else None
        return _links[program]


class VoiceLinks:
    """Names under which espeak-ng loads a voice's file at once.

    Asked for a voice by its language ("en-us"), espeak-ng first looks for a voice file of that name (lower-cased)
    in its data folder; failing that, it reads every voice file it has, some two hundred, to choose one: about
    6 ms of each call's 17. The file for "en-us" is lang/gmw/en-US, which the lower-cased name never finds. So a
    link to that file, named in lower case in a private temporary folder, is given to espeak-ng as a path from its
    voices folder: it then loads the same file directly, and the same bytes come out. A language that several
    voice files share, or a folder whose path is not lower case, keeps the plain name.

    The links live in one folder of the user's own in the temporary folder, shared by every process (a worker
    that is killed leaves nothing behind), and each is checked to lead to its voice file before it is used.
    """

    def __init__(self, data: Path, voices: list[Voice]) -> None:
        self.voices_folder = data / "voices"
        files = [(v.language or v.id, m.group(1)) for v in voices if (m := re.search(r"\(([^()]+)\)$", v.name))]
        counts: dict[str, int] = {}
        for language, _ in files:
            counts[language.lower()] = counts.get(language.lower(), 0) + 1
        self.files = {language.lower(): data / "lang" / file for language, file in files if counts[language.lower()] == 1}
        self.names: dict[str, str] = {}
        self.lock = threading.Lock()

    def name(self, voice: str) -> str:
        """What to pass to ``-v`` for ``voice``: a link for a language id; a voice with a +variant as it is, as
        espeak-ng applies some variants differently to a voice it chose by name ("en-gb+f3")."""
        if "+" in voice:
            return voice
        key = voice.lower()
        with self.lock:
            if key not in self.names:
                self.names[key] = self._link(key) or voice
            return self.names[key]

    def _link(self, key: str) -> str | None:
        target = self.files.get(key)
        folder = _links_folder()
        if target is None or folder is None or not target.is_file() or not self.voices_folder.is_dir():
            return None
        link = folder / key
        try:
            if not (link.exists() and link.samefile(target)):
                fresh = folder / f".{key}.{os.getpid()}.{threading.get_ident()}"
                fresh.unlink(missing_ok=True)
                fresh.symlink_to(target)
                fresh.replace(link)  # another process may make the same link at the same time
            relative = os.path.relpath(link, self.voices_folder)
            # espeak-ng keeps 59 characters of a name, lower-cases it and opens it from its voices folder
            if len(relative) > 48 or relative != relative.lower() or not (self.voices_folder / relative).samefile(target):
                return None
        except (OSError, ValueError):
            return None
        return relative

    def forget(self, voice: str) -> None:
        """Use the plain name for ``voice`` from now on (espeak-ng would not take the link)."""
        with self.lock:
            self.names[voice.lower()] = voice


@cache
def _links_folder() -> Path | None:
    """This user's folder of voice links in the temporary folder, made private; None where it cannot be trusted."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return None
    folder = Path(tempfile.gettempdir()) / f"aav-{getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        status = folder.lstat()
    except OSError:
        return None
    if folder.is_symlink() or status.st_uid != getuid() or status.st_mode & 0o077:
        return None  # made by someone else, or open to others
    return folder


@cache
def _listed(program: str) -> list[Voice]:
    return list_espeak_voices(program)


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
        return _listed(self.program)

    def voices(self) -> list[Voice]:
        return list(self._voices)

    def resolve_voice(self, voice: str | None, language: str | None = None) -> str:
        return resolve_espeak_voice(self._voices, voice, language, self.name)

    def version(self) -> str:
        return self._version

    @cached_property
    def _links(self) -> VoiceLinks | None:
        return voice_links(self.program, self._voices)

    @cached_property
    def _version(self) -> str:
        # asked once per engine: the warm-up asks while the article is extracted, the conversion again after
        out = _version_output(self.program)
        if not out:
            return "espeak-ng unknown"
        return f"{out.split('Data at')[0].strip()}, word gap {WORD_GAP * 10} ms"

    def synthesize(self, text: str, voice: str, rate: int) -> Clip:
        if not text.strip():
            raise EngineError("empty text given to espeak")
        named = self._links.name(voice) if self._links is not None else voice
        result = self._run(text, named, rate)
        if result.returncode != 0 and named != voice and self._links is not None:
            self._links.forget(voice)  # espeak-ng would not take the link: its plain name from now on
            result = self._run(text, voice, rate)
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise EngineError(f"espeak-ng failed: {message[-1] if message else 'exit code ' + str(result.returncode)}")
        return parse_wav(result.stdout, "espeak-ng output")

    def _run(self, text: str, voice: str, rate: int) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(
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
