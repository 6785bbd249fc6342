"""The ``pyttsx3`` engine: the platform's own voices (SAPI5, NSSpeechSynthesizer, eSpeak NG).

On Linux pyttsx3 drives espeak-ng asynchronously, and its file output then loses rate
changes, writes empty files and returns before the file exists. We keep pyttsx3 as the
interface but, on Linux, call libespeak-ng through pyttsx3's own ctypes bindings in
synchronous mode. On every platform the engine lives in a worker process with a timeout,
and the synthesize stage validates every clip and retries.
"""

from __future__ import annotations

import ctypes
import sys
import tempfile
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..models import Clip
from .base import UNLIMITED_LANES, Register, Voice
from .espeak import INSTALL_HINT, WORD_GAP, resolve_espeak_voice
from .isolated import Handler, IsolatedWorker
from .wav import parse_wav

_WORDGAP = 7  # espeak_PARAMETER espeakWORDGAP, which pyttsx3's bindings do not name


class _SyncEspeak:
    """libespeak-ng in synchronous mode, through pyttsx3's bindings."""

    def __init__(self) -> None:
        from pyttsx3.drivers import _espeak as espeak

        self.lib = espeak
        self.buffer: list[bytes] = []
        self.sample_rate = espeak.Initialize(espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0)
        if self.sample_rate <= 0:
            raise RuntimeError("espeak-ng failed to initialise")
        espeak.SetSynthCallback(self._collect)
        self.voice: str | None = None
        self.marks: list[tuple[int, int]] = []

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if count > 0:
            self.buffer.append(ctypes.string_at(wav, count * 2))
        # word events: where each word of the text (1-based character position) begins, as a sample count
        index = 0
        while events[index].type != self.lib.EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == self.lib.EVENT_WORD:
                self.marks.append((event.text_position - 1, event.sample))
            index += 1
        return 0

    def __call__(self, op: str, args: tuple[Any, ...]) -> Any:
        if op == "voices":
            return [
                (v.identifier.decode(), v.name.decode(), (v.languages or b"")[1:].decode("ascii", "ignore")) for v in self.lib.ListVoices()
            ]
        if op == "version":
            return f"pyttsx3+libespeak-ng sync, word marks, phonemes, word gap {WORD_GAP * 10} ms"
        text, voice, rate = args
        if voice != self.voice:
            if self.lib.SetVoiceByName(voice.encode()) != self.lib.EE_OK:
                raise ValueError(f"espeak-ng has no voice {voice!r}")
            self.voice = voice
        self.lib.SetParameter(self.lib.RATE, int(rate), 0)
        self.lib.SetParameter(_WORDGAP, WORD_GAP, 0)
        self.buffer.clear()
        self.marks = []
        self.lib.Synth(text, flags=self.lib.ENDPAUSE | self.lib.CHARS_UTF8 | self.lib.PHONEMES)  # phonemes in [[…]] too
        self.lib.Synchronize()
        return (b"".join(self.buffer), self.sample_rate, tuple(self.marks))


class _EngineFile:
    """pyttsx3's Engine writing one file per call (SAPI5 and NSSpeechSynthesizer)."""

    def __init__(self) -> None:
        import pyttsx3

        self.engine = pyttsx3.init()
        self.folder = tempfile.mkdtemp(prefix="articleaudio-pyttsx3-")

    def __call__(self, op: str, args: tuple[Any, ...]) -> Any:
        if op == "voices":
            return [(v.id, v.name, (v.languages or [""])[0] if v.languages else "") for v in self.engine.getProperty("voices")]
        if op == "version":
            return f"pyttsx3 {sys.platform}"
        text, voice, rate = args
        self.engine.setProperty("voice", voice)
        self.engine.setProperty("rate", int(rate))
        path = Path(self.folder) / "clip.wav"
        path.unlink(missing_ok=True)
        self.engine.save_to_file(text, str(path))
        self.engine.runAndWait()
        return (path.read_bytes(), 0, ())


def make_handler() -> Handler:
    """Worker entry point: the handler for this platform."""
    if sys.platform.startswith(("linux", "freebsd")):
        try:
            return _SyncEspeak()
        except (OSError, RuntimeError) as exc:
            raise RuntimeError(f"espeak-ng library not found ({exc}); {INSTALL_HINT}") from None
    return _EngineFile()


class Pyttsx3Engine:
    """pyttsx3 in a worker process."""

    name = "pyttsx3"
    max_lanes = UNLIMITED_LANES
    overlap_encoding = True
    reads_phonemes = sys.platform.startswith(("linux", "freebsd"))
    """On Linux the voice is libespeak-ng, which reads its phonemes in [[…]]; the platform voices elsewhere do not."""

    def __init__(self, timeout: float = 30.0, **_: Any) -> None:
        try:
            import pyttsx3  # noqa: F401  # only to fail early with a clear message when it is missing
        except ImportError:
            raise EngineError("pyttsx3 is not installed (pip install pyttsx3)") from None
        except RuntimeError as exc:
            raise EngineError(f"pyttsx3 cannot load its speech library ({exc}); {INSTALL_HINT}") from None
        self.timeout = timeout
        self.worker = IsolatedWorker("articleaudio.engines.pyttsx3_engine:make_handler", "pyttsx3")

    @cached_property
    def _voices(self) -> list[Voice]:
        voices = []
        for identifier, name, language in self.worker.call("voices", timeout=self.timeout):
            if identifier.startswith("mb/"):
                continue  # MBROLA voices need data that is rarely installed
            voice_id = language or identifier
            voices.append(
                Voice(
                    id=voice_id,
                    name=f"{name} ({identifier})",
                    language=language or None,
                    sample_rate=22050 if sys.platform.startswith("linux") else None,
                )
            )
        return voices

    def voices(self) -> list[Voice]:
        return list(self._voices)

    def resolve_voice(self, voice: str | None, language: str | None = None) -> str:
        if sys.platform.startswith("linux"):
            return resolve_espeak_voice(self._voices, voice, language, self.name)
        if voice is None:
            return self._voices[0].id if self._voices else ""
        for known in self._voices:
            if voice in {known.id, known.name} or voice.lower() in known.name.lower():
                return known.id
        raise EngineError(f"unknown voice {voice!r} for engine pyttsx3 (see: articleaudio voices --engine pyttsx3)")

    def version(self) -> str:
        import pyttsx3

        return f"pyttsx3 {getattr(pyttsx3, '__version__', '?')} {self.worker.call('version', timeout=self.timeout)}"

    def synthesize(self, text: str, voice: str, rate: int) -> Clip:
        if not text.strip():
            raise EngineError("empty text given to pyttsx3")
        data, sample_rate, marks = self.worker.call("synth", text, voice, rate, timeout=self.timeout)
        if sample_rate:
            return Clip(data, sample_rate, 2, 1, marks)
        return parse_wav(data, "pyttsx3 output")

    def close(self) -> None:
        self.worker.close()


def register(register_engine: Register) -> None:
    """Entry point: add the pyttsx3 engine to the registry."""
    register_engine("pyttsx3", Pyttsx3Engine)
