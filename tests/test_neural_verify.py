"""The neural Piper engine and the offline listening check (`make test` installs both extras)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from articleaudio.audio.synthesize import validate_clip
from articleaudio.audio.verify import _skipped, comparable, edit_distance, sounded_alike, words
from articleaudio.cli import cli
from articleaudio.engines import get_engine
from articleaudio.errors import EngineError

TEXT = "The two diplomats met on the sidelines of a meeting in Laos."
STORY = (
    "# Harbour works begin\n\n"
    "Work on the new harbour wall began on Monday after two years of planning. "
    "The council says the project will protect four hundred homes from winter storms.\n\n"
    "Local fishermen welcomed the plan but asked for a second slipway near the market.\n"
)


def test_word_error_rate_parts() -> None:
    # the written words and what was heard go through one normalizer: a number and its words are one
    assert words("It cost $4.5 million, in 2024!") == words("it cost four point five million dollars in twenty twenty four")
    assert words("The harbour centre was organised") == words("the harbor center was organized")
    assert words("U.S. officials met on July 27.") == words("US officials met on July twenty-seventh")
    assert words("Officials in [[kj'Iv]] met.") == ["officials", "in", "met"]
    assert edit_distance(["a", "b", "c"], ["a", "x", "c", "d"]) == 2
    # the narrator reads a parenthetical and skips a footnote marker; in a transcript, brackets are not speech
    written = words("The wall (four metres high) held in 1998.[17]", written=True)
    assert written == ["the", "wall", "4", "meters", "high", "held", "in", "1998"]
    assert words("The wall (four metres high) held in 1998.[17]") == ["the", "wall", "held", "in", "1998"]
    assert words("[Music] the wall held") == ["the", "wall", "held"]
    assert edit_distance([], ["a"]) == 1
    # a soft hyphen is no break between words, and "&" is said "and"
    assert words("President Vladi\xadmir Putin", written=True) == words("President Vladimir Putin")
    assert words("the staff in A&E did all", written=True) == words("the staff in A and E did all")
    # an ellipsis is no word
    assert words("… they paid the paycheck... late", written=True) == ["they", "paid", "the", "paycheck", "late"]


def test_the_check_counts_what_was_heard_not_how_it_is_spelled() -> None:
    def errors(written: str, spoken: str, heard: str) -> int:
        return edit_distance(*comparable(words(written, written=True), words(spoken), words(heard)))

    # heard as the narrator was given to say it, in place of the written abbreviation or fraction
    assert errors("Feb. 23, 2015", "February twenty-third, 2015", "February 23rd 2015") == 0
    assert errors("says Katie Allen, M.D.", "says Katie Allen, Maryland", "says Katie Allen Maryland") == 0
    assert errors("it lasted 6½ minutes", "it lasted six and a half minutes", "it lasted 6.5 minutes") == 0
    # words the narrator adds count too, when all of them are heard
    assert errors("taken to hospital on 12 April after", "taken to hospital on the twelfth of April after",
                  "taken to hospital on the 12th of April after") == 0  # fmt: skip
    assert errors("on 12 April after", "on the twelfth of April after", "on the 12th April after") == 1
    assert errors("on 12 April after", "on the twelfth of April after", "on 12 April after") == 0
    # ... or as written; anything else is an error still
    assert errors("Feb. 23", "February twenty-third", "Feb 23") == 0
    assert errors("Feb. 23", "February twenty-third", "fabric 23") == 1
    # only where the narrator said it: the same word heard where the article has it is that word
    assert errors("Remain Co. will be a holding company.", "Remain Company will be a holding company.",
                  "remain company will be a holding company") == 0  # fmt: skip
    # a word divided differently on the two sides is the same word
    assert errors("in the photo shoot", "in the photo shoot", "in the photoshoot") == 0
    assert errors("dual micro-OLED panels", "dual micro-OLED panels", "dual micro OLED panels") == 0
    assert errors("an a-ha moment", "an a-ha moment", "an aha moment") == 0
    # not where the other side also has the words apart
    assert errors("any way you like", "any way you like", "any way you like anyway") == 1
    # the words counted are the article's, however the comparison joins them
    written, heard = comparable(words("the photo shoot", written=True), [], words("the photoshoot"))
    assert written == heard == ["the", "photoshoot"]
    # a noun's "'s" sounds as its plural does, and the recognizer may write either; a pronoun's is "is"
    assert errors("the grocery chain’s high costs", "the grocery chain’s high costs", "the grocery chains high costs") == 0
    assert errors("the city’s pipes and the boss’s car", "", "the cities pipes and the bosses car") == 0
    assert errors("Parliament’s joint committee", "", "Parliament's joint committee") == 0
    assert errors("it’s late, and he’s here", "", "it is late and he is here") == 0
    assert errors("the chain’s high costs", "", "the chain high costs") == 1


def test_a_word_heard_that_sounds_as_the_written_one_is_that_word() -> None:
    def errors(written: str, heard: str) -> int:
        expected, got = comparable(words(written, written=True), [], words(heard))
        return edit_distance(expected, sounded_alike(expected, got))

    # the recognizer picks a spelling for the sound it hears: homophones, to espeak-ng, are no error
    assert errors("most voters there support him", "most voters their support him") == 0
    assert errors("a country seen as the lone success", "a country scene as the lone success") == 0
    assert errors("skipper Wade Bassi has better insight", "skipper Wade Bassie has better insight") == 0
    # words that sound different are errors still
    assert errors("rebels in neighboring South Sudan", "rebels and neighboring South Sudan") == 1
    assert errors("officials said", "official said") == 1
    assert errors("Wade Bassi has", "Wade Bassy has") == 1
    assert sounded_alike(["18", "months"], ["80", "months"]) == ["80", "months"]


def test_speech_the_recognizer_skipped_is_found_by_the_words_times() -> None:
    cues = [{"start_ms": 0, "end_ms": 4000}, {"start_ms": 4400, "end_ms": 12000}]
    steady = [(t, t + 300.0, " word") for t in range(0, 12000, 400) if not 4000 <= t < 4400]
    assert _skipped(steady, cues, 0, 12150) is None
    # one word drawn out over the rest of the second sentence: hearing goes on from that word
    drawn = [w for w in steady if w[0] < 6000] + [(6000.0, 12100.0, " to")]
    assert _skipped(drawn, cues, 0, 12150) == 6000.0
    # no word at all in the last four seconds of speech: hearing goes on from the last word's end
    assert _skipped([w for w in steady if w[0] < 8000], cues, 0, 12150) == 7900.0
    # a long pause between sentences is no skip, nor is a late first word (hearing again from there is no help)
    apart = [{"start_ms": 0, "end_ms": 4000}, {"start_ms": 7000, "end_ms": 12000}]
    paused = [w for w in steady if not 4000 <= w[0] < 7000]
    assert _skipped(paused, apart, 0, 12150) is None
    assert _skipped([w for w in steady if w[0] >= 2400], cues, 0, 12150) is None


def test_piper_voices_are_listed_with_language_and_rate() -> None:
    result = CliRunner().invoke(cli, ["voices", "--engine", "piper"])
    assert result.exit_code == 0, result.output
    assert "en_US-joe-medium" in result.output and "22050 Hz" in result.output and "en_US" in result.output


def test_piper_speaks_at_the_requested_rate() -> None:
    engine = get_engine("piper")
    voice = engine.resolve_voice(None, "en")
    slow, fast = engine.synthesize(TEXT, voice, 120), engine.synthesize(TEXT, voice, 240)
    assert slow.sample_rate == 22050 and slow.channels == 1
    assert validate_clip(slow, TEXT, 120) is None and validate_clip(fast, TEXT, 240) is None
    assert 1.6 < slow.duration / fast.duration < 2.4
    assert "model " in engine.version()  # the model's hash is part of the clip cache key
    assert "noise 0.333/0.333" in engine.version()  # and so is the sampling noise the clips were made with


@pytest.mark.parametrize("damage", ["no-config", "corrupt-model", "bad-rate"])
def test_piper_load_errors_name_the_file(tmp_path: Path, damage: str) -> None:
    model = tmp_path / "voice.onnx"
    bundled = Path(get_engine("piper").resolve_voice(None))
    if damage == "corrupt-model":
        model.write_bytes(b"\x08\x07not an onnx model" * 100)
        shutil.copy(f"{bundled}.json", f"{model}.json")
    else:
        shutil.copy(bundled, model)
        if damage == "bad-rate":
            config = json.loads(Path(f"{bundled}.json").read_text(encoding="utf-8"))
            config["audio"]["sample_rate"] = 0
            Path(f"{model}.json").write_text(json.dumps(config), encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "--engine", "piper", "--voice", str(model), "-q", "-", "-o", str(tmp_path / "o.mp3")],
                                input=b"Title\n\nA short paragraph to read.\n")  # fmt: skip
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert str(model) in result.output
    expected = {"no-config": "voice.onnx.json is missing", "corrupt-model": "cannot be loaded", "bad-rate": "no usable sample rate"}
    assert expected[damage] in result.output


def test_unknown_piper_voice() -> None:
    with pytest.raises(EngineError, match="unknown voice 'nobody'"):
        get_engine("piper").resolve_voice("nobody")


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["espeak", "piper"])
def test_verify_hears_what_was_meant(tmp_path: Path, engine: str) -> None:
    story = tmp_path / "story.md"
    story.write_text(STORY, encoding="utf-8")
    converted = CliRunner().invoke(cli, ["convert", "--engine", engine, "-q", str(story), "-o", str(tmp_path)])
    assert converted.exit_code == 0, converted.output
    result = CliRunner().invoke(cli, ["verify", "--format", "json", str(tmp_path / "harbour-works-begin.mp3")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["words"] > 40
    assert report["wer"] < 0.20, report
    assert len(report["sentences"]) == 5  # title and voice notice, then 3 body sentences


@pytest.mark.slow
def test_verify_counts_what_the_narrator_read(tmp_path: Path) -> None:
    # the words in parentheses are read, so they are expected; "$2,500" heard comes as the recognizer's
    # pieces " $2" and ",500", which are one written number again
    story = tmp_path / "story.md"
    story.write_text("# Harbour repairs\n\nThe repairs (about two weeks of work) will cost $2,500 in all.\n", encoding="utf-8")
    converted = CliRunner().invoke(cli, ["convert", "--engine", "espeak", "--no-intro", "-q", str(story), "-o", str(tmp_path)])
    assert converted.exit_code == 0, converted.output
    result = CliRunner().invoke(cli, ["verify", "--format", "json", str(tmp_path / "harbour-repairs.mp3")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    sentence = next(s for s in report["sentences"] if "repairs (" in s["expected"])
    assert "2,500" in sentence["heard"] or "2500" in sentence["heard"], sentence
    assert sentence["errors"] <= 1, sentence


def test_verify_without_manifest_is_one_line(tmp_path: Path) -> None:
    mp3 = tmp_path / "lonely.mp3"
    mp3.write_bytes(b"ID3")
    result = CliRunner().invoke(cli, ["verify", str(mp3)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {mp3}: no manifest lonely.json beside it (convert with --manifest)"


def test_a_second_piper_voice_speaks_the_quotes(tmp_path: Path) -> None:
    bundled = Path(get_engine("piper").resolve_voice(None))
    folder = tmp_path / "voices-of-jane"
    folder.mkdir()
    second = folder / "en_US-quoted-medium.onnx"
    second.symlink_to(bundled)
    config = json.loads(Path(f"{bundled}.json").read_text(encoding="utf-8"))
    config.setdefault("inference", {})["noise_scale"] = 0.9  # another voice file: its own settings
    Path(f"{second}.json").write_text(json.dumps(config), encoding="utf-8")
    story = tmp_path / "story.md"
    story.write_text('# Harbour works begin\n\n"We have waited for this wall for years," the harbour master said.\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["convert", "--engine", "piper", "--quote-voice", str(second), "--no-intro", "-q", str(story), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "harbour-works-begin.json").read_text(encoding="utf-8")
    assert "voices-of-jane" not in text  # the voice file is named by its id, never by its folder
    manifest = json.loads(text)
    assert manifest["voice"]["quote_voice"] == "en_US-quoted-medium" and manifest["settings"]["quote_voice"] == "en_US-quoted-medium"
    sentence = manifest["sentences"][-1]
    assert [(p["voice"], p["text"]) for p in sentence["parts"]] == [
        ("en_US-quoted-medium", '"We have waited for this wall for years,"'),
        ("en_US-joe-medium", "the harbour master said."),
    ]
    assert sentence["parts"][0]["start_ms"] < sentence["parts"][1]["start_ms"] < sentence["end_ms"]
