"""Quotations in a second voice, word timings and captions a caption track can show."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from articleaudio.audio.timing import spoken_spans, words_of, written_spans
from articleaudio.cli import cli
from articleaudio.engines import get_engine
from articleaudio.models import Cue, Sentence, Word
from articleaudio.publish.captions import MAX_LINE, MAX_LINE_UNSPACED, lines_of, split_cue
from articleaudio.speech.quotes import quoted_parts
from articleaudio.speech.script import spoken_parts

from .conftest import decode_mp3

STORY = """<html lang="en"><head><title>Library reopens after the flood</title></head><body><article>
<h1>Library reopens after the flood</h1>
<p>The city library reopened on Monday after three months of repairs following the spring flood that soaked its
lower floor and ruined thousands of books stored there.</p>
<p>"We will be ready," she said, "and we will not lose a single book." The head librarian, Maria Lopez, spoke
at a short ceremony attended by about two hundred residents and the mayor of the town.</p>
<blockquote><p>Every book that could be saved was dried page by page in a borrowed warehouse.</p></blockquote>
<p>The so-called "reform" of the lending rules will begin next month, with longer loans for students and free
cards for everyone under eighteen years of age, the library said in a statement.</p>
</article></body></html>"""
SLUG = "library-reopens-after-the-flood"


def test_quotations_of_three_words_or_more_are_quoted_speech() -> None:
    assert quoted_parts('"We will be ready," she said, "and we will not lose a single book."') == [
        ('"We will be ready,"', True),
        ("she said,", False),
        ('"and we will not lose a single book."', True),
    ]
    assert quoted_parts("He called it “a total and complete disaster” on Monday.") == [
        ("He called it", False),
        ("“a total and complete disaster”", True),
        ("on Monday.", False),
    ]
    assert quoted_parts("Sie sagte: „Wir sind bereit für alles.“") == [("Sie sagte:", False), ("„Wir sind bereit für alles.“", True)]
    # scare quotes and titles stay with the narrator; so does a quote a word is glued to
    scare = 'The so-called "reform" failed, as "Gone Girl" did.'
    assert quoted_parts(scare) == [(scare, False)]
    assert quoted_parts('He said:"we are all fine here" then left.') == [('He said:"we are all fine here" then left.', False)]
    # an apostrophe is not an opening quote
    assert quoted_parts("It's the city's ‘best library in the whole region’ now.")[1] == ("‘best library in the whole region’", True)


def test_spoken_parts_join_back_into_the_sentence() -> None:
    text = '"The U.S. will pay $5 million," he said.'
    parts = spoken_parts(text, None, "en")
    assert [p.quoted for p in parts] == [True, False]
    assert " ".join(p.text for p in parts) == text
    assert "five million dollars" in parts[0].spoken
    assert spoken_parts("Nothing quoted here at all.", None, "en") == ()
    assert [p.quoted for p in spoken_parts("A whole block quotation.", None, "en", quoted=True)] == [True]


def test_word_times_follow_the_marks_and_carry_over_to_the_written_words() -> None:
    spoken = "It costs five dollars today"
    marks = [(0, 100), (3, 300), (9, 600), (14, 900), (22, 1400)]
    heard = spoken_spans(spoken, marks, 2000)
    assert heard == [(100, 300), (300, 600), (600, 900), (900, 1400), (1400, 2000)]
    written = written_spans("It costs $5 today", spoken, heard)
    # "$5" takes the time of "five dollars", said in its place
    assert written == [("It", (100, 300)), ("costs", (300, 600)), ("$5", (600, 1400)), ("today", (1400, 2000))]
    # without marks the clip is shared out by characters
    even = spoken_spans("aa bb", [], 600)
    assert even == [(0, 360), (360, 600)]
    # a word not said (a link left unread) takes no time where it stands
    unread = written_spans("See example.com now", "See now", spoken_spans("See now", [(0, 0), (4, 500)], 1000))
    assert unread[1] == ("example.com", (500, 500)) and unread[2] == ("now", (500, 1000))


def _cue(text: str, seconds_per_word: float) -> Cue:
    words, start = [], 1000
    for word in text.split():
        end = start + round(seconds_per_word * 1000)
        words.append(Word(word, start, end))
        start = end
    return Cue(Sentence(4, text, text, 0, 0), 1000, start, tuple(words))


def test_long_sentences_become_captions_of_two_lines_and_seven_seconds() -> None:
    text = (
        "The council, which met for six hours on Tuesday, voted to close the bridge to heavy lorries from March "
        "and to build a second crossing downstream, but the mayor said the money had not been found."
    )
    captions = split_cue(_cue(text, 0.4))
    assert [c.id for c in captions][:2] == ["s5", "s5-2"]
    assert " ".join(" ".join(c.lines) for c in captions) == text
    for caption in captions:
        assert len(caption.lines) <= 2 and all(len(line) <= MAX_LINE for line in caption.lines)
        assert caption.end_ms - caption.start_ms <= 7000
    # cut at phrase boundaries: after a comma, or before a conjunction
    for caption in captions[:-1]:
        nxt = captions[captions.index(caption) + 1].lines[0].split()[0]
        assert caption.lines[-1].endswith(",") or nxt in {"and", "but", "which"}, (caption.lines, nxt)
    # times come from the words: each caption starts when its first word is heard
    assert captions[1].start_ms == next(w.start_ms for w in _cue(text, 0.4).words[1:] if w.text == captions[1].lines[0].split()[0])
    # slow speech: seven seconds bound a caption before its characters do
    slow = split_cue(_cue("one two three four five six seven eight nine ten", 1.0))
    assert all(c.end_ms - c.start_ms <= 7000 for c in slow) and len(slow) == 2
    assert lines_of("a" * 30 + " " + "b" * 30) == ["a" * 30, "b" * 30]
    # a link longer than a line is broken inside itself, after a slash, and goes in a cue of its own
    link = "http://datatracker.ietf.org/drafts/current/overview."
    assert lines_of(link) == ["http://datatracker.ietf.org/drafts/", "current/overview."]
    linked = split_cue(_cue(f"The list of current drafts is at {link}", 0.4))
    assert [c.lines for c in linked] == [("The list of current drafts is at",), tuple(lines_of(link))]


def test_the_default_engine_reports_where_each_word_begins() -> None:
    engine = get_engine("pyttsx3")
    try:
        text = "Volunteers dried every page, one by one."
        clip = engine.synthesize(text, "en-us", 175)
    finally:
        engine.close()
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    assert [c for c, _ in clip.marks] == starts
    frames = [f for _, f in clip.marks]
    assert frames == sorted(frames) and frames[-1] < clip.frames
    # "Volunteers" is a long word: the second word begins well after the first
    assert frames[1] - frames[0] > 0.3 * clip.sample_rate


def _median_pitch(samples: np.ndarray, rate: int) -> float:
    """Median fundamental frequency of the voiced 40 ms frames, by autocorrelation."""
    x = samples.astype(np.float64)
    size, found = int(rate * 0.04), []
    for i in range(0, len(x) - size, size):
        frame = x[i : i + size]
        if np.sqrt(np.mean(frame**2)) < 500:
            continue
        frame = frame - frame.mean()
        ac = np.correlate(frame, frame, "full")[size - 1 :]
        low, high = int(rate / 400), int(rate / 70)
        lag = low + int(np.argmax(ac[low:high]))
        if ac[lag] > 0.3 * ac[0]:
            found.append(rate / lag)
    return float(np.median(found))


@pytest.fixture(scope="module")
def quoted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quoted")
    page = folder / "story.html"
    page.write_text(STORY, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(cli, ["convert", "--engine", "espeak", "--quote-voice", "en-us+f3", "-q", str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_quoted_speech_is_heard_in_the_quote_voice(quoted: Path) -> None:
    manifest = json.loads((quoted / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert manifest["voice"]["quote_voice"] == "en-us+f3" and manifest["settings"]["quote_voice"] == "en-us+f3"
    by_text = {s["text"]: s for s in manifest["sentences"]}
    said = by_text['"We will be ready," she said, "and we will not lose a single book."']
    parts = said["parts"]
    assert [(p["text"], p["voice"]) for p in parts] == [
        ('"We will be ready,"', "en-us+f3"),
        ("she said,", "en-us"),
        ('"and we will not lose a single book."', "en-us+f3"),
    ]
    # one sentence, its parts back to back inside its cue, in the order heard
    assert parts[0]["start_ms"] == said["start_ms"] and parts[-1]["end_ms"] == said["end_ms"]
    assert all(a["end_ms"] == b["start_ms"] for a, b in itertools.pairwise(parts))
    # the block quotation is in the quote voice as a whole; the scare quote stays with the narrator
    block = by_text["Every book that could be saved was dried page by page in a borrowed warehouse."]
    assert [p["voice"] for p in block["parts"]] == ["en-us+f3"]
    assert "parts" not in next(s for s in manifest["sentences"] if s["text"].startswith("The so-called"))
    # heard: the quote voice (espeak-ng's f3 variant) speaks about an octave above the narrator
    samples, rate = decode_mp3(quoted / f"{SLUG}.mp3")

    def pitch(part: dict) -> float:
        return _median_pitch(samples[part["start_ms"] * rate // 1000 : part["end_ms"] * rate // 1000], rate)

    narrator, quote = pitch(parts[1]), pitch(parts[2])
    assert quote > 1.5 * narrator, (narrator, quote)
    assert pitch(block["parts"][0]) > 1.5 * narrator


def test_the_quote_voice_decides_the_narration(quoted: Path) -> None:
    page = quoted.parent / "story.html"
    again = CliRunner().invoke(cli, ["convert", "--engine", "espeak", "--quote-voice", "en-us+f3", str(page), "-o", str(quoted)])
    assert again.exit_code == 0 and "up to date" in again.output
    plain = CliRunner().invoke(cli, ["convert", "--engine", "espeak", "--no-cache", str(page), "-o", str(quoted)])
    assert plain.exit_code == 0, plain.output
    manifest = json.loads((quoted / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert manifest["voice"]["quote_voice"] is None and not any("parts" in s for s in manifest["sentences"])


def test_an_unknown_quote_voice_fails_before_any_synthesis(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "--engine", "espeak", "--quote-voice", "xx-nosuch", str(page), "-o", str(tmp_path / "o")])
    assert result.exit_code != 0
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and "xx-nosuch" in message and "articleaudio voices" in message
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_a_markdown_block_quotation_is_quoted_speech(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text(
        "# Council votes\n\nThe council voted on Tuesday to close the old bridge.\n\n"
        "> We cannot keep a bridge open that may fall into the river.\n\nThe vote was seven to two.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["convert", "--engine", "tone", "--quote-voice", "high", "-q", str(story), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "council-votes.json").read_text(encoding="utf-8"))
    voiced = {s["text"]: [p["voice"] for p in s.get("parts", [])] for s in manifest["sentences"]}
    assert voiced["We cannot keep a bridge open that may fall into the river."] == ["high"]
    assert voiced["The vote was seven to two."] == []


def test_chinese_and_japanese_are_timed_and_captioned_by_character() -> None:
    text = "他认为：“在消费市场持续扩大的大环境下，如何能够通过促进创新设计产业的发展以及消费品品质的提升，推动国内消费增长。”"
    assert [text[a:b] for a, b in words_of(text)][:4] == ["他", "认", "为：“", "在"]
    japanese = "1年版ライセンスは2900円"
    assert [japanese[a:b] for a, b in words_of(japanese)][-2:] == ["2900", "円"]
    spans = words_of(text)
    words = tuple(Word(text[a:b], 1000 + i * 250, 1000 + (i + 1) * 250) for i, (a, b) in enumerate(spans))
    captions = split_cue(Cue(Sentence(0, text, text, 0, 0), 1000, words[-1].end_ms, words))
    assert "".join("".join(c.lines) for c in captions) == text  # no spaces put between the characters
    for caption in captions:
        assert len(caption.lines) <= 2 and all(len(line) <= MAX_LINE_UNSPACED for line in caption.lines), caption
        assert caption.end_ms - caption.start_ms <= 7000
    assert captions[0].lines[-1].endswith("，")  # cut after the comma
