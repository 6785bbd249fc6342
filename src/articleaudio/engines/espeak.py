"""The ``espeak`` engine: each sentence spoken by a freshly initialised espeak-ng, so always as the same bytes.

On Linux a small helper process (``espeak_zygote.py``) holds libespeak-ng initialised and speaks each sentence in a
fork of itself; elsewhere, or when the library cannot be loaded, espeak-ng's program is started for each sentence.
Both say the same bytes.
"""

from __future__ import annotations

import io
import logging
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..models import Clip
from .base import UNLIMITED_LANES, Register, Voice
from .espeak_zygote import END, FAILED, FRAME, REQUEST, SAMPLES
from .wav import parse_wav

LOGGER = logging.getLogger(__name__)
_HELPER_START_SECONDS = 20.0
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


class _TooLong(EngineError):
    """The helper did not finish a sentence in time (it and the sentence's fork are stopped)."""


class _Zygote:
    """The helper process that speaks each sentence in a fork of an initialised libespeak-ng (Linux only)."""

    SCRIPT = Path(__file__).with_name("espeak_zygote.py")

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.about: tuple[int, str, str] = (0, "", "")
        """Sample rate, library version and data folder, as the helper reported them when it started."""

    def start(self, timeout: float) -> bool:
        """Start the helper; False when it cannot run here (no fork, no library), with the reason logged."""
        # Linux only: on macOS a fork of a process that loaded system frameworks (libespeak-ng's audio output pulls
        # in Core Audio) is not safe to use, and Windows cannot fork.
        if not sys.platform.startswith("linux") or not self.SCRIPT.is_file():
            return False
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-S", str(self.SCRIPT), str(WORD_GAP)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0, start_new_session=True,
            )  # fmt: skip
            ok, payload = self._reply(time.monotonic() + timeout)
        except (OSError, EngineError) as exc:
            LOGGER.debug("espeak-ng helper cannot start: %s", exc)
            self.close()
            return False
        if not ok:
            LOGGER.debug("espeak-ng helper cannot start: %s", payload.decode("utf-8", "replace"))
            self.close()
            return False
        rate, version, data = [*payload.decode("utf-8", "replace").split("\n"), "", ""][:3]
        if not rate.isdigit():
            self.close()
            return False
        self.about = (int(rate), version.strip(), data.strip())
        return True

    def speak(self, text: str, voice: str, rate: int, timeout: float) -> tuple[bytes | None, str]:
        """The sentence's samples, or None and espeak-ng's message; EngineError when the helper stopped or hung."""
        if self.process is None or self.process.stdin is None:
            raise EngineError("espeak-ng helper is not running")
        encoded, name = text.encode("utf-8"), voice.encode("utf-8")
        try:
            request = memoryview(REQUEST.pack(len(name), rate, len(encoded)) + name + encoded)
            while request:  # a raw pipe may take part of a long sentence at a time
                request = request[self.process.stdin.write(request) or 0 :]
        except OSError:
            self.close()
            raise EngineError("espeak-ng helper stopped unexpectedly") from None
        ok, payload = self._reply(time.monotonic() + timeout)
        return (payload, "") if ok else (None, payload.decode("utf-8", "replace"))

    def _reply(self, deadline: float) -> tuple[bool, bytes]:
        parts = []
        while True:
            kind, size = FRAME.unpack(self._read(FRAME.size, deadline))
            payload = self._read(size, deadline)
            if kind == SAMPLES:
                parts.append(payload)
            elif kind == END:
                return True, b"".join(parts) or payload
            elif kind == FAILED:
                return False, payload
            else:
                self.close()
                raise EngineError("espeak-ng helper sent something unreadable")

    def _read(self, size: int, deadline: float) -> bytes:
        assert self.process is not None and isinstance(self.process.stdout, io.RawIOBase)
        stream = self.process.stdout
        data = bytearray(size)
        view, got = memoryview(data), 0
        while got < size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stream], [], [], left)[0]:
                self.kill()
                raise _TooLong("espeak-ng took too long") from None
            count = stream.readinto(view[got:])
            if not count:
                self.close()
                raise EngineError("espeak-ng helper stopped unexpectedly")
            got += count
        return bytes(data)

    def kill(self) -> None:
        """Stop the helper and the sentence it is speaking."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
        self.close()

    def close(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        try:
            process.wait(timeout=2)  # it ends at the end of its input
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=2)


class EspeakEngine:
    """espeak-ng, freshly initialised for each sentence: deterministic, byte-identical output for the same input."""

    name = "espeak"
    max_lanes = UNLIMITED_LANES
    overlap_encoding = True
    reads_phonemes = True
    """espeak-ng reads its phoneme mnemonics in [[…]] (lexicon entries given as phonemes)."""

    def __init__(self, timeout: float = 60.0, **_: Any) -> None:
        self.program = find_espeak()
        self.timeout = timeout
        """Seconds one sentence may take before espeak-ng is stopped and the sentence retried."""
        self._helper: _Zygote | None = None
        self._helper_tried = False

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
        clip, problem = self._say(text, named, rate)
        if clip is None and named != voice and self._links is not None:
            self._links.forget(voice)  # espeak-ng would not take the link: its plain name from now on
            clip, problem = self._say(text, voice, rate)
        if clip is None:
            raise EngineError(f"espeak-ng failed: {problem}")
        return clip

    def _say(self, text: str, voice: str, rate: int) -> tuple[Clip | None, str]:
        helper = self._running_helper()
        if helper is not None:
            try:
                pcm, problem = helper.speak(text, voice, rate, self.timeout)
            except _TooLong:
                raise EngineError(f"espeak-ng took more than {self.timeout:g} s for one sentence") from None
            return (Clip(pcm, helper.about[0], 2, 1), "") if pcm is not None else (None, problem)
        result = self._run(text, voice, rate)
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            return None, message[-1] if message else f"exit code {result.returncode}"
        return parse_wav(result.stdout, "espeak-ng output"), ""

    def _running_helper(self) -> _Zygote | None:
        """The helper, started on first use (and again after it was stopped); None where espeak-ng's program speaks
        instead: the helper cannot run here, or its library is not the one the program uses."""
        if self._helper is not None:
            if self._helper.process is not None and self._helper.process.poll() is None:
                return self._helper
            self._helper.close()  # stopped (killed, or after a sentence that hung): a new one takes over
        elif self._helper_tried:
            return None
        self._helper_tried = True
        helper = _Zygote()
        if not helper.start(max(self.timeout, _HELPER_START_SECONDS)):
            self._helper = None
            return None
        version = re.search(r":\s*(\S+)", _version_output(self.program))
        data = re.search(r"Data at:\s*(\S.*)", _version_output(self.program))
        if version is None or data is None or version.group(1) != helper.about[1] or data.group(1).strip() != helper.about[2]:
            LOGGER.debug("espeak-ng's library %s differs from its program; the program speaks", helper.about[1:])
            helper.close()
            self._helper = None
            return None
        self._helper = helper
        return helper

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
        if self._helper is not None:
            self._helper.close()


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
