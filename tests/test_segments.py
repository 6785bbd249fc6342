"""The MP3 encoded in segments: joined frame by frame, timed as one encoder, reused from the cache when unchanged."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from articleaudio.audio.assemble import assemble_clips, assemble_stream, pause_before
from articleaudio.audio.cache import ClipCache
from articleaudio.audio.encode import SEAM_SILENCE, encode_programme, frame_grid
from articleaudio.audio.produce import ENCODER_DELAY_FRAMES, programme_loudness
from articleaudio.cli import cli
from articleaudio.engines.tone import SAMPLE_RATE, ToneEngine
from articleaudio.models import Programme, Sentence
from articleaudio.settings import Settings

from .conftest import decode_mp3


def _paragraphs(count: int, per: int = 3) -> list[Sentence]:
    words = [
        "the",
        "council",
        "met",
        "on",
        "a",
        "quiet",
        "evening",
        "to",
        "weigh",
        "the",
        "cost",
        "of",
        "the",
        "new",
        "bridge",
        "over",
        "the",
        "river",
    ]
    sentences = []
    for p in range(count):
        for s in range(per):
            text = " ".join(words[: 6 + (p * 5 + s * 3) % 11]).capitalize() + "."
            sentences.append(Sentence(len(sentences), text, text, p, 0))
    return sentences


def _programme(sentences: list[Sentence], settings: Settings) -> Programme:
    engine = ToneEngine()
    clips = [engine.synthesize(s.spoken, "low", 175) for s in sentences]
    return assemble_clips(sentences, clips, settings)


@pytest.mark.parametrize(("rate", "grid"), [(16000, 576), (22050, 576), (24000, 576), (44100, 1152), (48000, 1152)])
def test_the_frame_grid_is_lames_frame_length(rate: int, grid: int) -> None:
    assert frame_grid(rate, 64) == grid


def test_cuts_lie_on_the_frame_grid_after_a_seam_of_silence_and_move_pauses_by_half_a_frame_at_most() -> None:
    sentences = _paragraphs(5)
    settings = Settings(paragraph_pause=0.7, sentence_pause=0.35)
    engine = ToneEngine()
    pairs = [(s, engine.synthesize(s.spoken, "low", 175)) for s in sentences]
    programme = assemble_stream(pairs, settings, grid=lambda rate: frame_grid(rate, 64))
    assert len(programme.cuts) == 4  # one per paragraph after the first
    samples = np.frombuffer(programme.pcm, dtype="<i2")
    starts = [start for start, _ in programme.spans]
    for cut in programme.cuts:
        assert cut % 576 == 0 and cut in starts
        assert not samples[cut - SEAM_SILENCE : cut].any()
    for previous, (start, _), (before, frames) in zip(sentences, programme.spans[1:], programme.spans, strict=False):
        index = starts.index(start)
        nominal = round(pause_before(previous, sentences[index], settings) * SAMPLE_RATE)
        gap = start - (before + frames)
        assert abs(gap - nominal) <= 288 if start in programme.cuts else gap == nominal


def test_a_segmented_mp3_decodes_like_one_encoders_output(tmp_path: Path) -> None:
    sentences = _paragraphs(6)
    engine = ToneEngine()
    pairs = [(s, engine.synthesize(s.spoken, "low", 175)) for s in sentences]
    programme = assemble_stream(pairs, Settings(), grid=lambda rate: frame_grid(rate, 64))
    assert len(programme.cuts) == 5
    joined, whole = tmp_path / "joined.mp3", tmp_path / "whole.mp3"
    a = encode_programme(programme, joined, 64, -3.0)
    b = encode_programme(replace(programme, cuts=()), whole, 64, -3.0)
    assert (a.segments_encoded, b.segments_encoded) == (6, 1)
    assert joined.stat().st_size == pytest.approx(whole.stat().st_size, abs=6 * 210)  # a frame's padding byte per seam at most
    x, _ = decode_mp3(joined)
    y, _ = decode_mp3(whole)
    assert len(x) == len(y)  # the same number of frames: nothing added at the seams
    x, y = x.astype(np.float64), y.astype(np.float64)
    assert 10 * np.log10((y**2).sum() / ((x - y) ** 2).sum()) > 25
    # every clip starts where one encoder puts it: the encoder's delay after its first frame in the programme
    for start, frames in programme.spans:
        heard = int(np.flatnonzero(np.abs(x[start : start + ENCODER_DELAY_FRAMES + 400]) > 300)[0])
        assert abs(heard - ENCODER_DELAY_FRAMES) <= 12, start
        assert np.abs(x[start + ENCODER_DELAY_FRAMES + frames + 60 : start + ENCODER_DELAY_FRAMES + frames + 2000]).max() < 300


def test_a_corrected_article_encodes_only_the_paragraph_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The gain is planned on the first 20 s of speech, which an edit further on leaves as it was.
    paragraphs = [
        "The council met on Tuesday evening. It approved the budget for the coming year. Roads will be mended.",
        "Schools get more money for books. Parks stay open late in the summer. The library keeps its hours.",
        "The ferry will run twice a day from May. Fares stay as they are. A new pier is planned for the autumn.",
        "The museum opens a new wing in June. It shows the town's maps and letters. Entry stays free for children.",
        "The bus station gets a roof and a café. Work starts after the festival. It should take four months.",
        "The market moves to the square on Saturdays. Traders welcomed the change. Parking will be free there.",
        "The harbour board will vote in March. Its members were divided. A report is due in the spring.",
        "Residents may comment until December. The town hall is open every weekday. Letters are welcome too.",
    ]
    story = tmp_path / "story.md"
    story.write_text("# Council report\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "report.json"
    args = ["convert", "--engine", "tone", str(story), "-o", str(out), "--report", str(report), "--force"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    first = json.loads(report.read_text(encoding="utf-8"))
    assert first["segments_reused"] == 0 and first["segments_encoded"] >= 9  # the introduction and eight paragraphs

    story.write_text(
        story.read_text(encoding="utf-8").replace("Its members were divided.", "Its members could not agree."), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    second = json.loads(report.read_text(encoding="utf-8"))
    assert (second["synthesized"], second["segments_encoded"]) == (1, 1)
    assert second["segments_reused"] == first["segments_encoded"] - 1
    warm, _ = decode_mp3(out / "council-report.mp3")

    # the same article converted with an empty cache sounds the same, sample for sample
    monkeypatch.setenv("ARTICLEAUDIO_CACHE_DIR", str(tmp_path / "empty-cache"))
    cold_out = tmp_path / "cold"
    assert CliRunner().invoke(cli, ["convert", "--engine", "tone", str(story), "-o", str(cold_out), "--report", str(report)]).exit_code == 0
    assert json.loads(report.read_text(encoding="utf-8"))["segments_reused"] == 0
    cold, _ = decode_mp3(cold_out / "council-report.mp3")
    assert np.array_equal(warm, cold)
    cold_manifest = json.loads((cold_out / "council-report.json").read_text(encoding="utf-8"))
    warm_manifest = json.loads((out / "council-report.json").read_text(encoding="utf-8"))
    assert [s["start_ms"] for s in cold_manifest["sentences"]] == [s["start_ms"] for s in warm_manifest["sentences"]]
    # measured on the reused segments' cached energies and peaks, the same figures as measured afresh
    assert warm_manifest["audio"]["loudness_lufs"] == cold_manifest["audio"]["loudness_lufs"]
    assert warm_manifest["audio"]["true_peak_dbtp"] == cold_manifest["audio"]["true_peak_dbtp"]


def test_a_damaged_segment_in_the_cache_is_encoded_again(tmp_path: Path) -> None:
    sentences = _paragraphs(3)
    engine = ToneEngine()
    programme = assemble_stream([(s, engine.synthesize(s.spoken, "low", 175)) for s in sentences], Settings(),
                                grid=lambda rate: frame_grid(rate, 64))  # fmt: skip
    cache = ClipCache(tmp_path / "cache")
    first = encode_programme(programme, tmp_path / "a.mp3", 64, -2.0, cache=cache)
    assert (first.segments_encoded, first.segments_reused, cache.info().segments) == (3, 0, 3)
    stored = sorted((tmp_path / "cache").rglob("*.mp3"))
    data = bytearray(stored[0].read_bytes())
    data[100] ^= 0xFF  # one flipped byte in the frames
    stored[0].write_bytes(bytes(data))
    second = encode_programme(programme, tmp_path / "b.mp3", 64, -2.0, cache=cache)
    assert (second.segments_encoded, second.segments_reused) == (1, 2)
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()
    other = encode_programme(programme, tmp_path / "c.mp3", 64, -1.0, cache=cache)  # another gain: other samples
    assert (other.segments_encoded, other.segments_reused) == (3, 0)


def test_the_programme_loudness_measured_from_the_spill_file_is_the_assemblers() -> None:
    sentences = _paragraphs(3)
    programme = _programme(sentences, Settings())
    assert programme.loudness_lufs is not None
    assert programme_loudness(programme) == pytest.approx(programme.loudness_lufs, abs=1e-6)


def test_a_programme_lame_resamples_streams_to_one_encoder_with_the_same_timing(tmp_path: Path) -> None:
    # at 16 kbit/s LAME takes 22.05 kHz down to a lower rate: no frame grid, so no segments and no cache
    assert frame_grid(SAMPLE_RATE, 16) is None
    sentences = _paragraphs(12)
    engine = ToneEngine()
    programme = assemble_stream([(s, engine.synthesize(s.spoken, "low", 175)) for s in sentences], Settings(),
                                grid=lambda rate: frame_grid(rate, 16))  # fmt: skip
    assert programme.cuts == () and programme.duration > 2 * 30.0  # longer than one stretch of the stream
    cache = ClipCache(tmp_path / "cache")
    path = tmp_path / "low.mp3"
    encoded = encode_programme(programme, path, 16, -2.0, -1.0, cache=cache)
    assert (encoded.segments_encoded, encoded.segments_reused, cache.info().segments) == (1, 0, 0)
    samples, rate = decode_mp3(path)
    assert abs(len(samples) / rate - programme.duration) < 0.15
    whole = encode_programme(programme, tmp_path / "again.mp3", 16, -2.0, -1.0)  # measured the same, stretch or not
    assert encoded.loudness_lufs == pytest.approx(whole.loudness_lufs, abs=1e-6)


def test_pauses_too_short_for_a_seam_get_one_after_a_minute() -> None:
    sentences = _paragraphs(14, per=4)
    engine = ToneEngine()
    settings = Settings(sentence_pause=0, paragraph_pause=0, section_pause=0)
    pairs = [(s, engine.synthesize(s.spoken, "low", 175)) for s in sentences]
    programme = assemble_stream(pairs, settings, grid=lambda rate: frame_grid(rate, 64))
    assert programme.duration > 130 and len(programme.cuts) >= 2
    starts = [0, *programme.cuts, programme.frames]
    longest_clip = max(frames for _, frames in programme.spans)
    assert max(b - a for a, b in pairwise(starts)) <= 60 * SAMPLE_RATE + longest_clip + 4096
    samples = np.frombuffer(programme.pcm, dtype="<i2")
    for cut in programme.cuts:  # each seam lengthened only as far as it must be: silence, on the grid, under 0.1 s
        assert cut % 576 == 0 and not samples[cut - SEAM_SILENCE : cut].any()
        previous_end = max(start + frames for start, frames in programme.spans if start < cut)
        assert cut - previous_end < 0.1 * SAMPLE_RATE
