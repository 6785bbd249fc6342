"""One sentence never costs the article: a sentence no attempt can speak is left out, with a warning and its reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from articleaudio import EngineError, Settings, convert
from articleaudio.cli import cli
from articleaudio.engines import _registry
from articleaudio.engines.tone import ToneEngine
from articleaudio.models import Clip

from .conftest import ROOT, decode_mp3

STORY = (
    "The harbour board met on Monday to agree the summer timetable for the island ferries.\n\n"
    "Its members heard that the mute swans nesting under the old pier would delay repairs until July.\n\n"
    "The new timetable adds two sailings on Saturdays and one late boat on Fridays.\n"
)


class MutedEngine(ToneEngine):
    """A tone for every sentence except those that mention a mute swan, which come back as silence (a broken voice)."""

    name = "muted"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)

    def synthesize(self, text: str, voice: str, rate: int) -> Clip:
        clip = super().synthesize(text, voice, rate)
        return Clip(b"\x00\x00" * clip.frames, clip.sample_rate) if "mute" in text.split() else clip


@pytest.fixture(autouse=True)
def muted_engine() -> Iterator[None]:
    from articleaudio.engines import available_engines

    available_engines()  # the built-in engines first, so that ours is not overwritten
    _registry["muted"] = MutedEngine
    yield
    _registry.pop("muted", None)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "ferries.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_a_sentence_that_cannot_be_spoken_is_left_out_and_listed(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    episode = convert(str(story), Settings(engine="muted", output=str(out), intro=False))
    (left,) = episode.left_out
    assert "mute swans" in left.sentence.text and "silent clip" in left.reason
    assert len(episode.cues) == len(episode.sentences) - 1
    assert all("mute" not in cue.sentence.text for cue in episode.cues)
    samples, rate = decode_mp3(episode.mp3_path)
    assert abs(len(samples) / rate - episode.duration) < 0.06
    manifest = json.loads(Path(episode.mp3_path).with_suffix(".json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, json.loads((ROOT / "docs" / "manifest.schema.json").read_text(encoding="utf-8")))
    assert manifest["skipped"] == [{"id": f"s{left.sentence.index + 1}", "text": left.sentence.text, "spoken": left.sentence.spoken,
                                    "reason": left.reason}]  # fmt: skip
    assert "mute swans" not in Path(episode.mp3_path).with_suffix(".vtt").read_text(encoding="utf-8")


def test_strict_keeps_failing_the_article(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(EngineError, match=r"muted failed on sentence \d+ \('Its members heard that the mute swans"):
        convert(str(story), Settings(engine="muted", output=str(out), intro=False, strict=True))
    assert not out.exists() or list(out.iterdir()) == []


def test_the_command_line_warns_and_reports(story: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["convert", "--engine", "muted", "--no-intro", str(story), "-o", str(tmp_path / "out"),
                                      "--report", str(report)])  # fmt: skip
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("articleaudio: warning:")]
    assert len(warnings) == 1 and "left out" in warnings[0] and str(story) in warnings[0]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["skipped"] == 1 and "silent clip" in data["items"][0]["skipped"][0]["reason"]
    strict = CliRunner().invoke(cli, ["convert", "--engine", "muted", "--strict", "--force", str(story), "-o", str(tmp_path / "out2")])
    assert strict.exit_code == 1 and "mute swans" in strict.output
    (error,) = [line for line in strict.output.splitlines() if line.startswith("articleaudio: error:")]
    assert error.startswith(f"articleaudio: error: {story}: muted failed on sentence")  # one line naming the source


def test_an_article_none_of_whose_sentences_can_be_spoken_fails(tmp_path: Path) -> None:
    story = tmp_path / "silent.txt"
    story.write_text("A mute swan. Another mute swan.\n", encoding="utf-8")
    with pytest.raises(EngineError, match="no sentence could be spoken"):
        convert(str(story), Settings(engine="muted", output=str(tmp_path / "out"), intro=False))


def _counting(calls: list[str], what: str) -> type[ToneEngine]:
    """A tone engine that notes the ``what`` ("text" or "voice") of every clip it is asked for in ``calls``."""

    class Counting(ToneEngine):
        def synthesize(self, text: str, voice: str, rate: int) -> Clip:
            calls.append(text if what == "text" else voice)
            return super().synthesize(text, voice, rate)

    return Counting


def test_a_long_clip_the_voice_could_spell_is_sound(tmp_path: Path) -> None:
    # issue 19: an Italian sentence ending in a short link took 10.6 s for 8 words and was rejected, costing the article
    from articleaudio.audio.synthesize import validate_clip
    from articleaudio.engines.tone import SAMPLE_RATE

    text = "Lo trovate qui: http://amzn.to/2kQx9Vb, disse ieri."
    assert len(text.split()) <= 8
    frames = round(10.6 * SAMPLE_RATE)
    clip = ToneEngine().synthesize("x" * 10, "low", 175)
    long_clip = Clip((clip.pcm * (frames // clip.frames + 1))[: frames * 2], SAMPLE_RATE)
    assert "implausible" in (validate_clip(long_clip, text, 175) or "")
    assert validate_clip(long_clip, text, 175, spelling=0.2) is None
    runaway = Clip(long_clip.pcm * 4, SAMPLE_RATE)  # 42 s: more than the voice would take to spell it all
    assert "implausible" in (validate_clip(runaway, text, 175, spelling=0.2) or "")


def test_the_spelling_rate_is_measured_per_voice_and_kept(tmp_path: Path) -> None:
    from articleaudio.audio.cache import ClipCache
    from articleaudio.audio.synthesize import Voicing, spelling_rate
    from articleaudio.engines import get_engine

    espeak = get_engine("espeak")
    english, italian = spelling_rate(espeak, "en-us", 175), spelling_rate(espeak, "it", 175)
    assert english is not None and italian is not None
    assert 0.05 < english < 0.6 and 0.05 < italian < 0.6 and english != italian

    calls: list[str] = []
    Counting = _counting(calls, "text")

    cache = ClipCache(tmp_path / "cache")
    voicing = Voicing("tone", "tone 1", "low", 175)
    first = spelling_rate(Counting(), "low", 175, cache, voicing)
    again = spelling_rate(Counting(), "low", 175, cache, voicing)
    assert first == again and first is not None and len(calls) == 1


def test_without_a_cache_the_spelling_rate_is_measured_once_per_voice_in_a_process() -> None:
    from articleaudio.audio import synthesize
    from articleaudio.audio.synthesize import Voicing, spelling_rate

    calls: list[str] = []
    Counting = _counting(calls, "voice")

    synthesize._SPELLING_RATES.clear()
    low, high = Voicing("tone", "tone 1", "low", 175), Voicing("tone", "tone 1", "high", 175)
    assert spelling_rate(Counting(), "low", 175, None, low) == spelling_rate(Counting(), "low", 175, None, low)
    spelling_rate(Counting(), "high", 175, None, high)
    assert calls == ["low", "high"]


def test_the_spelling_rate_is_measured_only_when_a_clip_needs_it() -> None:
    from articleaudio.audio import synthesize
    from articleaudio.audio.synthesize import SPELLING_PROBE, SpellingRate, Voicing, validate_clip

    calls: list[str] = []
    Counting = _counting(calls, "text")

    synthesize._SPELLING_RATES.clear()
    engine = Counting()
    lazy = SpellingRate(None, Voicing("tone", "tone 1", "low", 175))
    text = "Eight words that take about three seconds here."
    clip = engine.synthesize(text, "low", 175)
    assert validate_clip(clip, text, 175, lambda: lazy(engine)) is None
    assert SPELLING_PROBE not in calls
    # a clip longer than its words allow asks for the rate, and it is measured once
    runaway = Clip(clip.pcm * 20, clip.sample_rate)
    assert "implausible" in (validate_clip(runaway, text, 175, lambda: lazy(engine)) or "")
    assert "implausible" in (validate_clip(runaway, text, 175, lambda: lazy(engine)) or "")
    assert calls.count(SPELLING_PROBE) == 1 and lazy(engine) is not None
