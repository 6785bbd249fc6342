"""Parallel synthesis, the clip cache, streaming assembly and batch runs."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from articleaudio.audio.assemble import assemble_stream
from articleaudio.audio.cache import ClipCache, clip_key
from articleaudio.audio.synthesize import EnginePool, SynthesisStats, Voicing, synthesize_stream
from articleaudio.cli import cli
from articleaudio.engines.tone import tone_frames
from articleaudio.models import Clip, Sentence
from articleaudio.settings import Settings

from .conftest import SAMPLE

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda"]


def _sentences(n: int) -> list[Sentence]:
    return [Sentence(i, f"Sentence {WORDS[i % 11]} {i}.", f"Sentence {WORDS[i % 11]} number {'x' * (i % 7)}.", i // 3, 0) for i in range(n)]


def test_parallel_synthesis_keeps_sentence_order() -> None:
    sentences = _sentences(25)
    pool = EnginePool("tone", 4)
    try:
        clips = list(synthesize_stream(sentences, pool, "low", 175))
    finally:
        pool.close()
    assert [c.frames for c in clips] == [tone_frames(s.spoken, 175) for s in sentences]


def test_cache_serves_repeated_sentences_and_survives_damage(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache")
    sentences = _sentences(6)
    voicing = Voicing("tone", "tone 1", "low", 175)
    first, second = SynthesisStats(), SynthesisStats()
    pool = EnginePool("tone", 2)
    try:
        a = list(synthesize_stream(sentences, pool, "low", 175, cache=cache, voicing=voicing, stats=first))
        key = clip_key("tone", "tone 1", "low", 175, sentences[0].spoken)
        damaged = cache._file(key)
        damaged.write_bytes(b"garbage")  # a damaged entry is synthesized again, not trusted
        b = list(synthesize_stream(sentences, pool, "low", 175, cache=cache, voicing=voicing, stats=second))
    finally:
        pool.close()
    assert (first.synthesized, first.cached) == (6, 0)
    assert (second.synthesized, second.cached) == (1, 5)
    assert [c.pcm for c in a] == [c.pcm for c in b]
    assert cache.info().clips == 6


def test_counts_are_of_sentences_not_of_the_pieces_a_long_one_is_spoken_in(tmp_path: Path) -> None:
    # regression: a long sentence spoken in three pieces counted as three, so a report said
    # "208 sentences (217 synthesized, 2 from cache)"
    clause = "the council met on Tuesday to discuss the budget for the coming year and agreed on most points"
    spoken = "; ".join([clause] * 6) + "."
    sentences = [Sentence(0, spoken, spoken, 0, 0), *_sentences(3)[1:]]
    cache = ClipCache(tmp_path / "cache")
    voicing = Voicing("tone", "tone 1", "low", 175)
    first, second = SynthesisStats(), SynthesisStats()
    pool = EnginePool("tone", 2)
    try:
        list(synthesize_stream(sentences, pool, "low", 175, cache=cache, voicing=voicing, stats=first))
        list(synthesize_stream(sentences, pool, "low", 175, cache=cache, voicing=voicing, stats=second))
    finally:
        pool.close()
    assert (first.synthesized, first.cached) == (3, 0)
    assert (second.synthesized, second.cached) == (0, 3)
    assert cache.info().clips > 3  # the long sentence was spoken, and cached, in pieces


def test_cache_trims_least_recently_used_first(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache", max_bytes=25_000)
    for i in range(5):
        cache.put(f"{i:064d}", Clip(b"\x01\x00" * 5000, 22050))
        # written a minute apart, oldest first, so that a coarse file clock cannot make two of them tie
        os.utime(cache._file(f"{i:064d}"), (time.time() - 600 + 60 * i,) * 2)
    cache.get(f"{0:064d}")  # recently used again
    removed = cache.trim()
    assert removed == 3
    assert cache.get(f"{0:064d}") is not None and cache.get(f"{4:064d}") is not None
    assert cache.clear() == 2 and cache.info().clips == 0


def test_streamed_assembly_spills_to_disk_and_keeps_exact_timings() -> None:
    sentences = _sentences(9)
    pool = EnginePool("tone", 2)
    try:
        programme = assemble_stream(zip(sentences, synthesize_stream(sentences, pool, "low", 175), strict=True), Settings(), "T")
    finally:
        pool.close()
    assert programme.spill.tell() == programme.frames * 2  # written to the spill file, not kept in memory
    samples = np.frombuffer(programme.pcm, dtype="<i2")
    for (start, frames), sentence in zip(programme.spans, sentences, strict=True):
        assert frames == tone_frames(sentence.spoken, 175)
        assert np.abs(samples[start + 200 : start + frames - 200]).max() > 7000
    programme.spill.close()


def test_corrected_article_resynthesizes_only_changed_sentences(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    body = (
        "# Council report\n\nThe council met on Tuesday. It approved the budget. Roads will be mended.\n\n"
        "Schools get more money. Parks stay open.\n"
    )
    story.write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    first = CliRunner().invoke(cli, ["convert", "--engine", "tone", str(story), "-o", str(out)])
    assert first.exit_code == 0 and "7 sentences (7 synthesized)" in first.output  # 2 intro + 5 body
    story.write_text(body.replace("Parks stay open.", "Parks will close at dusk."), encoding="utf-8")
    second = CliRunner().invoke(cli, ["convert", "--engine", "tone", str(story), "-o", str(out)])
    assert second.exit_code == 0, second.output
    assert "(1 synthesized, 6 from cache)" in second.output
    manifest = json.loads((out / "council-report.json").read_text(encoding="utf-8"))
    assert manifest["sentences"][-1]["text"] == "Parks will close at dusk."


def test_batch_converts_concurrently_isolates_failures_and_reports(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(3):
        (folder / f"story-{i}.md").write_text(f"# Story number {i}\n\nSomething happened in town number {i}.\n", encoding="utf-8")
    (folder / "broken.html").write_bytes(b"<html><body><nav>menu only</nav></body></html>")
    listing = tmp_path / "more.txt"
    listing.write_text(f"# one more\n{SAMPLE}\n{tmp_path / 'missing.md'}\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["convert", "--engine", "tone", "--jobs", "2", str(folder), "--from-file", str(listing), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "2 of 6 sources failed" in result.output
    report = json.loads((out / "articleaudio-report.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"converted": 4, "failed": 2}
    failed = {Path(item["source"]).name: item["error"] for item in report["items"] if item["status"] == "failed"}
    assert "no article text found" in failed["broken.html"] and "no such file" in failed["missing.md"]
    assert len(list(out.glob("*.mp3"))) == 4
    again = CliRunner().invoke(cli, args)
    report = json.loads((out / "articleaudio-report.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"up to date": 4, "failed": 2} and report["synthesized"] == 0
    assert again.output.count("up to date, kept") == 4


def test_cache_commands(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["convert", "--engine", "tone", "-q", str(SAMPLE), "-o", str(tmp_path / "o")]).exit_code == 0
    info = CliRunner().invoke(cli, ["cache", "info"])
    # the sample's 18 sentences (the voice's spelling probe is measured only for a clip that needs it)
    assert info.exit_code == 0 and ": 18 clips," in info.output
    cleared = CliRunner().invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0 and "18 clips deleted" in cleared.output
    assert ": 0 clips," in CliRunner().invoke(cli, ["cache", "info"]).output


def test_the_program_keeps_numpy_to_one_thread_unless_told_otherwise(tmp_path: Path) -> None:
    import subprocess
    import sys

    # The program's own entry point, stopped after its set-up: what threads does numpy then start?
    probe = (
        "import os, sys\n"
        "from articleaudio.batch import one_blas_thread\n"
        "one_blas_thread()\n"
        "import numpy\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    value, threads = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert value == "1" and threads == "1"
    told = subprocess.run(
        [sys.executable, "-c", probe], env={**env, "OPENBLAS_NUM_THREADS": "2"}, capture_output=True, text=True, check=True
    )
    assert told.stdout.split()[0] == "2"


def test_the_program_exits_with_the_commands_code(tmp_path: Path) -> None:
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-m", "articleaudio", "--version"], capture_output=True, text=True)
    assert ok.returncode == 0 and "articleaudio" in ok.stdout
    missing = subprocess.run([sys.executable, "-m", "articleaudio", "convert", str(tmp_path / "gone.txt"), "--engine", "tone"],
                             capture_output=True, text=True)  # fmt: skip
    assert missing.returncode != 0 and "gone.txt" in missing.stderr and "Traceback" not in missing.stderr


def test_sentences_are_made_as_synthesis_asks_for_them() -> None:
    from articleaudio.extract import extract_article
    from articleaudio.source.load import load_source
    from articleaudio.speech.script import LazySentences, iter_sentences, segment_article

    article = extract_article(load_source(str(SAMPLE), Settings()))
    whole = segment_article(article)
    assert list(iter_sentences(article)) == whole and len(whole) > 12

    made: list[int] = []

    def counted():  # type: ignore[no-untyped-def]
        for sentence in iter_sentences(article):
            made.append(sentence.index)
            yield sentence

    lazy = LazySentences(counted())
    pool = EnginePool("tone", 2)
    try:
        clips = synthesize_stream(lazy, pool, "low", 175, progress=lambda stage, done, total: None)
        first = next(clips)
        # the first clip came while most sentences were still to be made (a few are synthesized ahead)
        assert first is not None and 0 < len(made) < len(whole) and not lazy.complete
        later = len(made) + 1
        assert lazy[later] == whole[later] and len(made) == later + 1 and not lazy.complete
        assert len(lazy) == len(whole) and lazy.complete and list(lazy) == whole and lazy[-1] == whole[-1]
        assert sum(1 for _ in clips) == len(whole) - 1
    finally:
        pool.close()


def test_a_batch_hands_out_the_largest_files_first_and_reports_in_source_order(tmp_path: Path) -> None:
    from articleaudio.batch import longest_first

    sizes = {"short.md": 1, "long.md": 30, "middle.md": 10, "also-middle.md": 10}
    for letter, (name, sentences) in zip("ABCD", sizes.items(), strict=True):
        (tmp_path / name).write_text(f"# Story {letter}\n\n" + "Something happened in town today. " * sentences, encoding="utf-8")
    sources = [str(tmp_path / name) for name in sizes] + ["http://127.0.0.1:9/feed-item"]
    # a URL's size is unknown: it starts first; equal sizes keep their order
    assert [Path(sources[i]).name for i in longest_first(sources)] == ["feed-item", "long.md", "middle.md", "also-middle.md", "short.md"]
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", "--engine", "tone", "--jobs", "2", *sources[:4], "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "articleaudio-report.json").read_text(encoding="utf-8"))
    assert [Path(item["source"]).name for item in report["items"]] == list(sizes)
