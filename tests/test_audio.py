"""Assembly, loudness, encoding and tags, checked on real decoded audio with tolerances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from articleaudio.audio.assemble import assemble_clips, fade_edges, trim_edges
from articleaudio.audio.encode import encode_mp3, encode_programme, encoder_quality
from articleaudio.audio.loudness import LoudnessMeter, gain_for, limiter_gain, measure_lufs, plan_gain, true_peak_db
from articleaudio.engines.tone import SAMPLE_RATE, ToneEngine, tone_frames
from articleaudio.models import Article, Chapter, Clip, Section, Sentence
from articleaudio.publish.tags import TagData, read_provenance, write_tags
from articleaudio.settings import Settings

from .conftest import decode_mp3, ebur128, probe


def _sentences() -> list[Sentence]:
    return [
        Sentence(0, "One two.", "One two.", 0, 0),
        Sentence(1, "Three four five.", "Three four five.", 0, 0),
        Sentence(2, "Six.", "Six.", 1, 0),
        Sentence(3, "Heading", "Heading", 2, 1, "heading"),
        Sentence(4, "Seven eight.", "Seven eight.", 2, 1),
    ]


def _clips(sentences: list[Sentence]) -> list[Clip]:
    engine = ToneEngine()
    return [engine.synthesize(s.spoken, "low", 175) for s in sentences]


def test_assembly_has_exact_lengths_and_structural_pauses() -> None:
    sentences = _sentences()
    settings = Settings(sentence_pause=0.35, paragraph_pause=0.7, section_pause=1.2)
    programme = assemble_clips(sentences, _clips(sentences), settings)
    frames = [tone_frames(s.spoken, 175) for s in sentences]
    gaps = [0, round(0.35 * SAMPLE_RATE), round(0.7 * SAMPLE_RATE), round(1.2 * SAMPLE_RATE), round(0.7 * SAMPLE_RATE)]
    tail = round(0.5 * SAMPLE_RATE)
    assert len(programme.pcm) == 2 * (sum(frames) + sum(gaps) + tail)
    position = 0
    for cue, n, gap in zip(programme.cues, frames, gaps, strict=True):
        position += gap
        assert cue.start_ms == round(position * 1000 / SAMPLE_RATE)
        assert cue.end_ms == round((position + n) * 1000 / SAMPLE_RATE)
        position += n


@pytest.mark.parametrize("pause", [0.15, 0.25, 0.30, 0.45, 0.75])
def test_pauses_never_leave_half_frames(pause: float) -> None:
    # At 22,050 Hz these pauses are a fractional number of frames; a byte count derived
    # from seconds would split a 16-bit sample and shift every later sample by one byte.
    sentences = _sentences()[:2]
    programme = assemble_clips(sentences, _clips(sentences), Settings(sentence_pause=pause))
    assert len(programme.pcm) % 2 == 0
    samples = np.frombuffer(programme.pcm, dtype="<i2")
    second = samples[programme.cues[1].start_ms * SAMPLE_RATE // 1000 + 200 :][:1000]
    assert np.abs(second).max() > 7000  # still a clean tone, not byte-shifted noise


def test_fades_remove_clicks_at_seams() -> None:
    loud = np.full(2205, 20000, dtype="<i2")
    faded = fade_edges(loud, SAMPLE_RATE, 5.0)
    assert faded[0] == 0 and abs(int(faded[-1])) < 200
    assert faded[1102] == 20000


def test_edge_silence_is_trimmed_but_speech_is_kept() -> None:
    speech = np.full(4410, 5000, dtype="<i2")
    padded = np.concatenate([np.zeros(4410, "<i2"), speech, np.zeros(4410, "<i2")])
    trimmed = trim_edges(padded, SAMPLE_RATE)
    keep = int(SAMPLE_RATE * 0.015)
    assert len(trimmed) == 4410 + 2 * keep


def _tone(seconds: float, level: float, rate: int = SAMPLE_RATE) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    wave = level * np.sin(2 * np.pi * 440 * t) * (1 + 0.9 * np.sign(np.sin(2 * np.pi * 3 * t))) / 1.9
    return (wave * 32767).astype("<i2").tobytes()


def _wav(path: Path, samples: np.ndarray) -> Path:
    import wave

    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(SAMPLE_RATE)
        handle.writeframes(samples.astype("<i2").tobytes())
    return path


@pytest.mark.parametrize("level", [0.05, 0.3, 0.9])
def test_meter_agrees_with_ffmpeg_ebur128(tmp_path: Path, level: float) -> None:
    samples = np.frombuffer(_tone(12, level), dtype="<i2")
    ours = measure_lufs(samples.astype(np.float32) / 32768, SAMPLE_RATE)
    theirs, peak = ebur128(_wav(tmp_path / "t.wav", samples))
    assert abs(ours - theirs) <= 0.15
    assert abs(true_peak_db(samples.astype(np.float32) / 32768) - peak) <= 0.2


def _true_peaks_by_hand(samples: np.ndarray, level: float) -> np.ndarray:
    """Each sample's true peak, from the interpolator's phases against the 12 samples around it, for every sample of
    a block of 8 whose loudest sample is louder than half ``level`` (the others: their own magnitude), one window at
    a time."""
    from articleaudio.audio import loudness

    padded = np.concatenate([np.zeros(12), samples.astype(np.float64), np.zeros(12)])
    out = np.abs(samples).astype(np.float64)
    loud_blocks = np.flatnonzero(np.concatenate([out, np.zeros(-len(out) % 8)]).reshape(-1, 8).max(axis=1) > level / 2)
    for i in [i for block in loud_blocks for i in range(block * 8, min(block * 8 + 8, len(out)))]:
        window = padded[i + 6 : i + 18][::-1]
        out[i] = max(out[i], *(abs(float(row @ window)) for row in loudness._interpolator()))
    return out


def test_block_peaks_are_the_true_peaks_of_blocks_wherever_they_exceed_the_level() -> None:
    from articleaudio.audio import loudness

    rng = np.random.default_rng(11)
    # loud samples at the ends and starts of blocks amid quieter ones, whose windows reach into the next and the last block
    spiky = (np.where(rng.random(4003) < 0.5, -0.45, 0.45) * (1 + np.isin(np.arange(4003) % 56, (7, 32)))).astype(np.float32)
    for n, level in ((5, 0.5), (15, 0.3), (37, 0.6), (5003, 0.8), (5003, 0.0), (4003, 0.8)):
        samples = (rng.standard_normal(n) * 0.4).astype(np.float32) if n != 4003 else spiky
        by_hand = _true_peaks_by_hand(samples, level) if n >= 12 else np.abs(samples).astype(np.float64)
        blocks = -(-n // 8)
        expected = np.concatenate([by_hand, np.zeros(blocks * 8 - n)]).reshape(blocks, 8).max(axis=1)
        peaks = loudness.block_peaks(samples, level)
        above = expected > level
        assert len(peaks) == blocks and (n < 100 or above.sum() > 20)
        assert np.allclose(peaks[above], expected[above], rtol=1e-12, atol=0) and bool((peaks[~above] <= level).all())
        if n > 100:  # inter-sample peaks were found: some blocks rise above their loudest sample
            loudest = np.concatenate([np.abs(samples), np.zeros(blocks * 8 - n)]).reshape(blocks, 8).max(axis=1)
            assert bool((peaks > loudest + 1e-6).any())
    # the limiter keeps every true peak of the result under its ceiling
    loud = (rng.standard_normal(20000) * 0.5).astype(np.float32)
    limited = loud * loudness.limiter_gain(loud, SAMPLE_RATE, -1.0)
    assert loudness.true_peak_db(limited) <= -1.0 + 1e-4 and loudness.true_peak_db(loud) > 0.0
    # applied in place, block by block, it is the same
    in_place = loud[:19997].copy()
    loudness.limit(in_place, SAMPLE_RATE, -1.0)
    assert np.array_equal(in_place, loud[:19997] * loudness.limiter_gain(loud[:19997], SAMPLE_RATE, -1.0))


def test_meter_gives_the_same_figure_fed_in_pieces() -> None:
    samples = np.frombuffer(_tone(10, 0.3), dtype="<i2").astype(np.float32) / 32768
    meter = LoudnessMeter(SAMPLE_RATE)
    for start in range(0, len(samples), 7919):
        meter.feed(samples[start : start + 7919])
    meter.feed_silence(SAMPLE_RATE)
    whole = measure_lufs(np.concatenate([samples, np.zeros(SAMPLE_RATE, np.float32)]), SAMPLE_RATE)
    assert abs(meter.integrated() - whole) < 1e-6


def test_loudness_reaches_target_with_true_peak_ceiling_in_the_encoded_file(tmp_path: Path) -> None:
    sentences = [Sentence(i, "x", "x", i, 0) for i in range(4)]
    clips = [Clip(_tone(5, 0.9), SAMPLE_RATE) for _ in sentences]
    programme = assemble_clips(sentences, clips, Settings())
    gain = plan_gain(programme.spill, SAMPLE_RATE, programme.spans, programme.loudness_lufs or -70, -16.0, -2.0)
    path = tmp_path / "loud.mp3"
    encoded = encode_programme(programme, path, 64, gain, -2.0)
    assert abs(encoded.loudness_lufs + 16.0) < 0.5 and encoded.true_peak_db <= -1.9
    measured_lufs, measured_peak = ebur128(path)  # decoded by ffmpeg: what a listener hears
    assert abs(measured_lufs + 16.0) <= 0.5
    assert measured_peak <= -1.0


@pytest.mark.parametrize("clicks", [40, 150])
def test_the_planned_gain_lands_on_target_when_the_limiter_takes_most_of_it(clicks: int) -> None:
    # A quiet hum with loud clicks: beyond a few dB, the limiter holds back most of every dB of gain added.
    rate = SAMPLE_RATE
    rng = np.random.default_rng(7)
    t = np.arange(rate * 2) / rate
    clips = []
    for _ in range(8):
        hum = 0.05 * np.sin(2 * np.pi * 220 * t) * (1 + 0.5 * np.sin(2 * np.pi * 4 * t))
        spikes = np.zeros_like(hum)
        spikes[rng.integers(0, len(hum), clicks)] = 0.9
        clips.append((hum + np.convolve(spikes, np.hanning(15), "same") * 0.5).astype(np.float32))
    gain = gain_for(clips, rate, None, -16.0, -2.0)
    pause = np.zeros(round(0.3 * rate), dtype=np.float32)
    scaled = np.concatenate([part for clip in clips for part in (pause, clip)]) * np.float32(10 ** (gain / 20))
    assert abs(measure_lufs(scaled * limiter_gain(scaled, rate, -2.0), rate) + 16.0) < 0.1


def test_encoded_duration_matches_within_one_frame(tmp_path: Path) -> None:
    path = tmp_path / "tone.mp3"
    encode_mp3(_tone(3.0, 0.3), SAMPLE_RATE, path, 64)
    samples, rate = decode_mp3(path)
    assert rate == SAMPLE_RATE
    assert abs(len(samples) / rate - 3.0) < 0.12  # encoder delay and padding, under 2 MP3 frames
    assert abs(MP3(path).info.length - 3.0) < 0.12
    assert MP3(path).info.bitrate == 64000
    level = 20 * np.log10(np.sqrt(np.mean((samples.astype(float) / 32768) ** 2)))
    assert -17 < level < -11  # the tone's RMS survives encoding


@pytest.mark.parametrize(("rate", "bitrate", "quality"), [(22050, 64, 7), (22050, 48, 7), (22050, 40, 5), (22050, 32, 5), (44100, 64, 5)])
def test_noise_shaping_is_kept_only_where_bits_are_scarce(rate: int, bitrate: int, quality: int) -> None:
    # From two bits a sample up, LAME's quality 7 (no noise shaping) scores as high in PESQ-WB as quality 5.
    assert encoder_quality(rate, bitrate) == quality


@pytest.mark.parametrize("bitrate", [32, 64])
def test_both_encoder_qualities_keep_the_tone(tmp_path: Path, bitrate: int) -> None:
    path = tmp_path / "tone.mp3"
    source = _tone(3.0, 0.3)
    encode_mp3(source, SAMPLE_RATE, path, bitrate)
    samples, _ = decode_mp3(path)
    original = np.frombuffer(source, dtype="<i2").astype(float)
    # the decoded stream starts 1,105 samples late (encoder and decoder delay) and is 0.95 of the input
    decoded = samples.astype(float)[1105 : 1105 + len(original)] / 0.95
    noise = decoded - original[: len(decoded)]
    assert 10 * np.log10(np.sum(original[: len(decoded)] ** 2) / np.sum(noise**2)) > 30


def _article() -> Article:
    return Article(
        title="Städte & Straßen: a test",
        sections=(Section(None, ("Body.",)),),
        authors=("A. Writer", "B. Writer"),
        site_name="The Example Times",
        date="2024-07-27",
        url="https://news.example/story",
        language="en",
        description="A description.",
        source="page.html",
    )


@pytest.mark.parametrize("version", [3, 4])
def test_chapters_stay_in_time_order_whatever_their_title_lengths(tmp_path: Path, version: int) -> None:
    path = tmp_path / "c.mp3"
    encode_mp3(_tone(2.0, 0.3), SAMPLE_RATE, path, 64)
    titles = ["A much longer first chapter title", "Ünïcödé", "Short", "Middle length — ok"]
    chapters = tuple(Chapter(t, i * 500, (i + 1) * 500) for i, t in enumerate(titles))
    for _ in range(2):  # a second save must not re-sort them either
        write_tags(path, TagData(_article(), "tone", "low", "0.1.0", "x", 2000, chapters), id3_version=version)
    info = probe(path)
    assert [c["tags"]["title"] for c in info["chapters"]] == titles
    assert [float(c["start_time"]) for c in info["chapters"]] == [0.0, 0.5, 1.0, 1.5]


def test_tags_are_written_in_v23_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "t.mp3"
    encode_mp3(_tone(2.0, 0.3), SAMPLE_RATE, path, 64)
    chapters = tuple(Chapter(f"Chapter {'x' * (5 - i)} {i}", i * 500, (i + 1) * 500) for i in range(4))
    write_tags(path, TagData(_article(), "espeak", "en-us", "0.1.0", "Body.\n\nMore.", 2000, chapters, content_hash="abc"))
    tag = ID3(path)
    assert tag.version == (2, 3, 0)
    assert str(tag["TIT2"]) == "Städte & Straßen: a test"
    assert str(tag["TPE1"]) == "A. Writer; B. Writer"
    assert str(tag["TALB"]) == "The Example Times"
    assert str(tag["TPUB"]) == "The Example Times"
    assert str(tag["TLAN"]) == "eng"
    assert tag["WOAS"].url == "https://news.example/story"
    assert tag.getall("USLT")[0].text == "Body.\n\nMore."
    comment = tag.getall("COMM")[0].text[0]
    assert "A description." in comment and "synthetic voice (espeak, voice en-us)" in comment
    assert read_provenance(path) == {
        "content_sha256": "abc",
        "fingerprint": "",
        "engine": "espeak",
        "generator": "articleaudio 0.1.0",
        "source": "https://news.example/story",
        "voice": "en-us",
    }
    info = probe(path)
    starts = [float(c["start_time"]) for c in info["chapters"]]
    assert starts == sorted(starts) == [0.0, 0.5, 1.0, 1.5]  # file order is time order
    assert info["chapters"][0]["tags"]["title"] == "Chapter xxxxx 0"
    assert abs(float(info["format"]["duration"]) - 2.0) < 0.12
