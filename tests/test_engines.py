"""Engines: real espeak-ng and pyttsx3 output, clip validation, the registry, worker isolation."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from articleaudio import engines
from articleaudio.audio.synthesize import synthesize_sentence, validate_clip
from articleaudio.engines import Voice, available_engines, get_engine, register_engine
from articleaudio.engines.isolated import IsolatedWorker
from articleaudio.engines.tone import ToneEngine
from articleaudio.errors import EngineError
from articleaudio.models import Clip, Sentence

TEXT = "The two diplomats met on the sidelines of a meeting in Laos."


@pytest.mark.parametrize("name", ["espeak", "pyttsx3"])
def test_real_engine_speaks_at_its_rate(name: str) -> None:
    engine = get_engine(name)
    try:
        voice = engine.resolve_voice(None, "en")
        assert voice == "en-us"
        slow = engine.synthesize(TEXT, voice, 120)
        fast = engine.synthesize(TEXT, voice, 240)
    finally:
        engine.close()
    for clip, rate in ((slow, 120), (fast, 240)):
        assert clip.sample_rate == 22050 and clip.channels == 1 and clip.sample_width == 2
        assert validate_clip(clip, TEXT, rate) is None
    assert 3.0 < slow.duration < 8.0
    assert 1.4 < slow.duration / fast.duration < 2.6  # twice the rate, about half the time


def test_espeak_is_deterministic() -> None:
    engine = get_engine("espeak")
    try:
        assert engine.synthesize(TEXT, "en-us", 175).pcm == engine.synthesize(TEXT, "en-us", 175).pcm
    finally:
        engine.close()


SENTENCES = [
    TEXT,
    "Officials said 3,400 people had left the valley by Tuesday night.",
    "“We will rebuild,” the mayor told reporters, “whatever it costs.”",
    "The [[k'i:v]] office opened at 9 a.m.",
]


def _program_pcm(text: str, voice: str, rate: int) -> bytes:
    import subprocess

    from articleaudio.engines.espeak import WORD_GAP
    from articleaudio.engines.wav import parse_wav

    out = subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-g", str(WORD_GAP), "--stdout", "-b", "1", "--stdin"],
                         input=text.encode(), capture_output=True, check=True).stdout  # fmt: skip
    return parse_wav(out, "espeak-ng").pcm


def test_espeak_helper_says_what_the_program_says_whatever_came_before() -> None:
    # libespeak-ng carries state from one sentence to the next; the helper speaks each in a fresh fork
    from articleaudio.engines.espeak import EspeakEngine

    engine = EspeakEngine()
    try:
        forward = [engine.synthesize(text, voice, 175).pcm for voice in ("en-us", "en-gb") for text in SENTENCES]
        helper = engine._helper
        assert helper is not None and helper.process is not None and helper.about[0] == 22050
        backward = [engine.synthesize(text, voice, 175).pcm for voice in ("en-gb", "en-us") for text in reversed(SENTENCES)]
    finally:
        engine.close()
    assert forward == backward[::-1]
    assert forward == [_program_pcm(text, voice, 175) for voice in ("en-us", "en-gb") for text in SENTENCES]
    assert helper.process is None  # closed with the engine


def _group_gone(group: int, seconds: float = 5.0) -> bool:
    """Whether every process of ``group`` has ended (a killed fork is reaped by init a moment later)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


def test_espeak_helper_is_replaced_when_it_stops_or_hangs() -> None:
    import signal

    from articleaudio.engines.espeak import EspeakEngine

    engine = EspeakEngine()
    try:
        first = engine.synthesize(TEXT, "en-us", 175).pcm
        helper = engine._helper
        assert helper is not None and helper.process is not None
        pid = helper.process.pid
        os.killpg(pid, signal.SIGKILL)  # killed between sentences: the next sentence starts a new helper
        helper.process.wait()
        assert engine.synthesize(TEXT, "en-us", 175).pcm == first
        assert engine._helper is not None and engine._helper.process is not None and engine._helper.process.pid != pid
        pid = engine._helper.process.pid
        engine.timeout = 0.001  # a sentence that takes longer than the timeout: the helper and its fork are stopped
        with pytest.raises(EngineError, match=r"took more than 0\.001 s for one sentence"):
            engine.synthesize(" ".join(SENTENCES * 4), "en-us", 175)
        assert _group_gone(pid)
        engine.timeout = 60.0
        assert engine.synthesize(TEXT, "en-us", 175).pcm == first
    finally:
        engine.close()


def test_espeak_program_speaks_where_the_helper_cannot_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from articleaudio.engines.espeak import EspeakEngine, _Zygote

    monkeypatch.setattr(_Zygote, "SCRIPT", tmp_path / "missing.py")
    engine = EspeakEngine()
    try:
        assert engine.synthesize(SENTENCES[1], "en-us", 175).pcm == _program_pcm(SENTENCES[1], "en-us", 175)
        assert engine._helper is None
        with pytest.raises(EngineError, match="espeak-ng failed"):
            engine.synthesize(TEXT, "xx-none", 175)
    finally:
        engine.close()


def test_pyttsx3_and_espeak_agree_on_duration() -> None:
    pyttsx3, espeak = get_engine("pyttsx3"), get_engine("espeak")
    try:
        a = pyttsx3.synthesize(TEXT, "en-us", 175).duration
        b = espeak.synthesize(TEXT, "en-us", 175).duration
    finally:
        pyttsx3.close()
    assert abs(a - b) / b < 0.05


@pytest.mark.parametrize(
    ("clip", "reason"),
    [
        (Clip(b"", 22050), "empty clip"),
        (Clip(b"\x00\x00" * 22050, 22050), "silent clip"),
        (Clip(b"\x00\x40" * 100, 22050), "implausible for"),
        (Clip(b"\x00\x40" * 22050 * 60, 22050), "implausible for"),
        (Clip(b"\x00\x40" * 22050, 4000), "implausible sample rate"),
    ],
)
def test_validation_rejects_bad_clips(clip: Clip, reason: str) -> None:
    problem = validate_clip(clip, TEXT, 175)
    assert problem is not None and reason in problem


class FlakyEngine(ToneEngine):
    """Returns an empty clip on the first ``failures`` calls."""

    name = "flaky"

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def synthesize(self, text: str, voice: str, rate: int) -> Clip:
        self.calls += 1
        if self.calls <= self.failures:
            return Clip(b"", 22050)
        return super().synthesize(text, voice, rate)


def test_bad_clip_is_retried() -> None:
    engine = FlakyEngine(failures=2)
    clip = synthesize_sentence(engine, Sentence(0, TEXT, TEXT, 0, 0), "low", 175)
    assert engine.calls == 3 and clip.frames > 0


def test_persistent_failure_names_the_sentence() -> None:
    with pytest.raises(EngineError, match=r"flaky failed on sentence 7 \('The two diplomats.*empty clip"):
        synthesize_sentence(FlakyEngine(failures=10), Sentence(6, TEXT, TEXT, 0, 0), "low", 175)


def test_registry_lists_builtins_and_takes_new_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    assert available_engines()[:3] == ["pyttsx3", "espeak", "tone"]
    monkeypatch.setitem(engines._registry, "flaky", lambda: FlakyEngine(0))
    assert isinstance(get_engine("flaky"), FlakyEngine)
    register_engine("flaky", lambda: FlakyEngine(1))
    assert get_engine("flaky").failures == 1
    with pytest.raises(EngineError, match="unknown engine 'missing'"):
        get_engine("missing")


PLUGIN = """
from articleaudio.engines.tone import ToneEngine

class Chime(ToneEngine):
    name = "chime"

def register(register_engine):
    register_engine("chime", Chime)
    register_engine("tone", Chime)
"""


@pytest.mark.parametrize("declared", [True, False])
def test_engine_plugins_are_found_by_their_entry_point(tmp_path: Path, declared: bool) -> None:
    import subprocess
    import sys

    (tmp_path / "chime_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "chime_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: chime-plugin\nVersion: 1.0\n", encoding="utf-8")
    group = "articleaudio.engines" if declared else "console_scripts"
    (info / "entry_points.txt").write_text(f"[{group}]\nchime = chime_plugin:register\n", encoding="utf-8")
    probe = (
        "import sys; from articleaudio.engines import available_engines, get_engine; "
        "print(available_engines(), type(get_engine('tone')).__name__, 'importlib.metadata' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "PYTHONPATH": str(tmp_path)}, capture_output=True, text=True,
                         check=True).stdout.strip()  # fmt: skip
    if declared:
        # found, and a plug-in registered under a built-in's name replaces it
        assert out == "['pyttsx3', 'espeak', 'tone', 'piper', 'chime'] Chime True"
    else:
        # no distribution names the group: the installed metadata is not read at all
        assert out == "['pyttsx3', 'espeak', 'tone', 'piper'] ToneEngine False"


def test_voices_have_ids_and_languages() -> None:
    voices = get_engine("espeak").voices()
    assert any(v.id == "en-us" for v in voices)
    assert all(isinstance(v, Voice) and v.id for v in voices)


def hang_factory():  # type: ignore[no-untyped-def]
    def handler(op: str, args: tuple) -> object:
        if op == "hang":
            time.sleep(60)
        if op == "crash":
            import os

            os._exit(3)
        return "pong"

    return handler


def test_worker_timeout_is_an_engine_error_and_the_worker_restarts() -> None:
    worker = IsolatedWorker("tests.test_engines:hang_factory", "test worker")
    try:
        assert worker.call("ping", timeout=20) == "pong"
        hung = worker._process
        assert hung is not None
        with pytest.raises(EngineError, match="did not answer within 1 s"):
            worker.call("hang", timeout=1)
        assert hung.poll() is not None  # the hung process was stopped, not left running
        assert worker.call("ping", timeout=20) == "pong"
        assert worker._process is not hung  # a new worker answered
        with pytest.raises(EngineError, match="worker stopped unexpectedly"):
            worker.call("crash", timeout=20)
        assert worker.call("ping", timeout=20) == "pong"
    finally:
        worker.close()


@pytest.mark.slow
def test_pyttsx3_fresh_runs_give_valid_clips_at_the_right_rate() -> None:
    sentences = [
        "China has accused the United States and other Western nations of exacerbating the war.",
        "The two diplomats met on the sidelines of a meeting.",
        "Nato has labeled Bay jing a decisive enabler of the conflict.",
    ]
    reference = get_engine("espeak")
    expected = [reference.synthesize(s, "en-us", 175).duration for s in sentences]
    for _ in range(3):
        engine = get_engine("pyttsx3")
        try:
            clips = [engine.synthesize(s, "en-us", 175) for s in sentences]
        finally:
            engine.close()
        for clip, text, want in zip(clips, sentences, expected, strict=True):
            assert validate_clip(clip, text, 175) is None
            assert clip.sample_rate == 22050
            assert abs(clip.duration - want) / want < 0.05


def test_chinese_and_japanese_are_timed_by_their_characters() -> None:
    # regression: a Chinese headline of 27 characters counted as 4 "words" (it has no spaces), so espeak's
    # honest 18 s clip was rejected as implausible and the page could not be converted; a Japanese line too
    from articleaudio.audio.synthesize import word_count

    headline = "海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网."
    assert word_count("The council met on Tuesday.") == 5
    assert word_count("海外留学生看两会") == 8  # a word for each character
    assert word_count(headline) == 27  # the colon, underscores and full stop are no words
    clip = get_engine("espeak").synthesize(headline, "cmn", 175)
    assert validate_clip(clip, headline, 175) is None
    line = "毎日の記念日・誕生花 ・有名人の誕生日と性格判断"
    assert validate_clip(get_engine("espeak").synthesize(line, "ja", 175), line, 175) is None


def test_a_chinese_article_gets_the_mandarin_espeak_voice() -> None:
    from articleaudio.engines.espeak import resolve_espeak_voice

    voices = [Voice("en-us", "English (America)", "en-us"), Voice("cmn", "Chinese (Mandarin)", "cmn"), Voice("yue", "Cantonese", "yue")]
    assert resolve_espeak_voice(voices, None, "zh", "espeak") == "cmn"
    assert resolve_espeak_voice(voices, None, "zh-TW", "espeak") == "cmn"
    assert resolve_espeak_voice(voices, None, "zh-HK", "espeak") == "yue"
    assert resolve_espeak_voice(voices, None, "xx", "espeak") == "en-us"


@pytest.mark.parametrize("name", ["espeak", "pyttsx3"])
def test_espeak_engines_read_phonemes(name: str) -> None:
    engine = get_engine(name)
    try:
        assert engine.reads_phonemes  # type: ignore[attr-defined]
        # a made-up word said by its phonemes sounds exactly as those phonemes, not as its spelling
        by_phonemes = engine.synthesize("The town of [[k'i:v]] is near.", "en-us", 175)
        again = engine.synthesize("The town of [[k'i:v]] is near.", "en-us", 175)
        spelled = engine.synthesize("The town of Zxqvrt is near.", "en-us", 175)
        keev = engine.synthesize("The town of Keev is near.", "en-us", 175)
    finally:
        engine.close()
    assert abs(by_phonemes.frames - again.frames) < 0.02 * again.frames
    assert abs(by_phonemes.frames - keev.frames) < 0.05 * keev.frames
    assert spelled.frames > 1.2 * by_phonemes.frames  # "Zxqvrt" is spelled letter by letter


def test_piper_reads_espeak_phonemes_as_ipa() -> None:
    from articleaudio.engines.piper_engine import espeak_ipa

    assert espeak_ipa("kj'Iv", "en-us") == "kjˈɪv"
    engine = get_engine("piper")
    voice = engine.resolve_voice(None)
    clip = engine.synthesize("Officials in [[kj'Iv]] agreed.", voice, 175)
    plain = engine.synthesize("Officials in Kyiv agreed.", voice, 175)
    assert validate_clip(clip, "Officials in Kyiv agreed.", 175) is None
    # the same sounds as Piper's own reading of "Kyiv" (kjˈɪv): about as long, not a spelled-out "k j I v"
    assert abs(clip.duration - plain.duration) < 0.25 * plain.duration


def test_piper_reads_a_long_sentence_clause_by_clause() -> None:
    from articleaudio.engines.piper_engine import CLAUSE_WORDS, clauses

    short = "In return, Sudan will stop supporting the rebels."
    assert clauses(short) == [short]
    long = (
        "In return, Sudan will stop supporting rebels in neighbouring South Sudan, a move that officials said, on "
        'Tuesday, would end the war; "it is over," one said: the talks in [[kj\'Iv, In]] go on in Paris, Rome and Oslo.'
    )
    assert len(long.split()) > CLAUSE_WORDS
    pieces = clauses(long)
    # cut after commas, semicolons and colons (a closing quote stays with its clause), never inside phoneme
    # blocks, and no stretch under four words stands alone
    assert pieces == [
        "In return, Sudan will stop supporting rebels in neighbouring South Sudan,",
        "a move that officials said, on Tuesday,",
        'would end the war; "it is over," one said:',
        "the talks in [[kj'Iv, In]] go on in Paris, Rome and Oslo.",
    ]
    assert " ".join(pieces) == long
    assert clauses(long, longest=len(long.split())) == [long]
    assert clauses(" ".join(["word"] * 30) + ".") == [" ".join(["word"] * 30) + "."]  # no mark, no cut
    engine = get_engine("piper")
    voice = engine.resolve_voice(None)
    clip = engine.synthesize(long, voice, 175)
    assert validate_clip(clip, long, 175) is None
    assert 7.0 < clip.duration < 16.0  # 37 words at about 175 to 190 a minute, with the pauses at the marks
    assert f"clauses {CLAUSE_WORDS}" in engine.version()  # clips read otherwise are not taken from the cache


def test_espeak_engines_leave_a_short_gap_between_words() -> None:
    # 20 ms between words: the listening check misheard 13 % of the words of news stories instead of 17 %
    import subprocess

    from articleaudio.engines.espeak import WORD_GAP, find_espeak
    from articleaudio.engines.wav import parse_wav

    assert WORD_GAP == 2
    text = "Officials in the capital said the talks would resume on Monday after a long pause."
    raw = parse_wav(
        subprocess.run([find_espeak(), "-v", "en-us", "-s", "175", "--stdout", text], capture_output=True, check=True).stdout, "raw"
    )
    for name in ("espeak", "pyttsx3"):
        engine = get_engine(name)
        try:
            clip = engine.synthesize(text, "en-us", 175)
            assert "word gap 20 ms" in engine.version()
        finally:
            engine.close()
        words = len(text.split())
        # about 20 ms more per word than espeak-ng's own reading (at 22,050 Hz)
        assert 0.5 * 0.02 * words < clip.duration - raw.duration < 2.0 * 0.02 * words + 0.1, (name, clip.duration, raw.duration)


def test_engines_asked_for_from_several_threads_at_once_are_all_found() -> None:
    # The engine starts in a background thread while the article is read; the registry must never be seen
    # half filled. A fresh interpreter, so that the registry is filled here, by racing threads.
    import subprocess
    import sys

    script = (
        "import threading\n"
        "from articleaudio.engines import get_engine, engine_trait\n"
        "errors = []\n"
        "def ask(i):\n"
        "    try:\n"
        "        get_engine('tone') if i % 2 else engine_trait('tone', 'reads_phonemes') or errors.append('trait')\n"
        "    except Exception as exc:\n"
        "        errors.append(repr(exc))\n"
        "threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "print(errors)\n"
    )
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
        assert out.strip() == "[]", out


def test_espeak_loads_a_voice_file_by_a_link_and_says_the_same_bytes() -> None:
    import subprocess

    from articleaudio.engines.espeak import WORD_GAP, EspeakEngine, _links_folder
    from articleaudio.engines.wav import parse_wav

    engine = EspeakEngine()
    links = engine._links
    assert links is not None
    text = "The council met on 12 April, and 3,400 people watched."
    assert links.name("en-gb+f3") == "en-gb+f3"  # a variant is applied differently to a voice chosen by name: kept as it is
    for voice in ("en-us", "en-gb"):
        named = links.name(voice)
        assert named != voice and named == named.lower() and named.endswith("/" + voice)
        plain = subprocess.run(["espeak-ng", "-v", voice, "-s", "175", "-g", str(WORD_GAP), "--stdout", "-b", "1", "--stdin"],
                               input=text.encode(), capture_output=True, check=True).stdout  # fmt: skip
        assert engine.synthesize(text, voice, 175).pcm == parse_wav(plain, "espeak-ng").pcm
    # a language that two voice files share is asked for by name, as espeak-ng then chooses between them
    shared = [v.id for v in engine.voices() if sum(w.id == v.id for w in engine.voices()) > 1]
    for voice in shared:
        assert links.name(voice) == voice
    # a link espeak-ng cannot follow any more: the sentence is spoken by the plain name, which is used from then on
    folder = _links_folder()
    assert folder is not None and folder.stat().st_mode & 0o077 == 0
    (folder / "en-us").unlink()
    assert engine.synthesize(text, "en-us", 175).frames > 0 and links.name("en-us") == "en-us"
