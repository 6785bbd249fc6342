"""The benchmark tooling: the quality gate's floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench.gate import _keep_higher


def test_updating_the_quality_floors_never_lowers_one() -> None:
    pinned = {"pages": {"precision": 0.98, "recall": 0.89}, "title": 0.95, "inputs": "a"}
    now = {"pages": {"precision": 0.9799, "recall": 0.90}, "title": 0.96, "inputs": "b"}
    assert _keep_higher(now, pinned) == {"pages": {"precision": 0.98, "recall": 0.90}, "title": 0.96, "inputs": "b"}


def _case(root, name: str, page: str, truth: str) -> None:  # type: ignore[no-untyped-def]
    import json

    folder = root / name
    folder.mkdir()
    (folder / "page.html").write_text(page, encoding="utf-8")
    (folder / "truth.json").write_text(json.dumps({"id": name, "body": truth, "english": True, "kind": "page"}), encoding="utf-8")


def test_missing_recall_is_told_by_reason(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from bench.misses import ISSUE_RULES, NOT_ARTICLE, bound, case_misses, main

    story = [f"The council met on day {n} and agreed the budget for the harbour and the tram line number {n}." for n in range(6)]
    table = "<table><tr><td>Harbour works</td><td>cost twelve million</td><td>due in spring</td></tr></table>"
    comments = "<ol class='comment-list'><li><p>Reader one wrote that the tram is late again this winter.</p></li></ol>"
    page = f"<html><body><article>{''.join(f'<p>{s}</p>' for s in story)}{table}</article>{comments}</body></html>"
    truth = "\n".join(
        [*story, "Harbour works cost twelve million due in spring", "Reader one wrote that the tram is late again this winter."]
    )
    predicted = "\n".join(story)
    misses = case_misses("c", page, truth, predicted)
    assert misses.missing == {"table": 8, "comments": 11}
    assert misses.tokens == sum(len(s.split()) for s in story) + 19
    recall_rules, _ = bound([misses], ISSUE_RULES)
    recall_article, f1 = bound([misses], ISSUE_RULES | NOT_ARTICLE)
    assert recall_rules == pytest.approx(1 - 8 / misses.tokens)  # the table is left out, the comments read
    assert recall_article == pytest.approx(1 - 19 / misses.tokens)  # both left out
    assert f1 == pytest.approx(2 * recall_article / (1 + recall_article))
    # the command reads a corpus folder and prints the table
    _case(tmp_path, "c", page, truth)
    assert main(["--corpus", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "table  (issue rule)" in out and "comments  (not the article)" in out
    assert main(["--corpus", str(tmp_path / "none")]) == 2
    assert "no such corpus folder" in capsys.readouterr().err


def test_the_corpus_narration_check_finds_debris_and_long_sentences(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from bench.narrate_corpus import main

    clean = "<p>The council met on Tuesday and agreed the budget for the harbour.</p><p>The tram line opens in spring.</p>"
    listing = "<p>" + "; ".join(f"stop {n} at the harbour road near the old market hall" for n in range(12)) + ". And more.</p>"
    for name, body in {"clean": clean, "long": clean + listing}.items():
        _case(tmp_path, name, f"<html lang='en'><head><title>{name} story</title></head><body><article>{body}</article></body></html>", "")
    _case(tmp_path, "fixture", "<html><body><p>Test</p></body></html>", "Test")
    (tmp_path / "fixture" / "truth.json").write_text(json.dumps({"id": "fixture", "body": "Test", "kind": "fixture"}))
    assert main(["--corpus", str(tmp_path), "--keep", str(tmp_path / "out"), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "articles narrated: 2   failed: 0" in out  # the fixture is not an article page
    assert "sentences skipped: 0" in out and "spoken sentences with link: 0" in out
    assert "spoken sentences over 400 characters: 1 (0 the page did not write as one)" in out
    assert len(list((tmp_path / "out").glob("*.mp3"))) == 2


@pytest.mark.parametrize(
    ("spoken", "kind"),
    [
        ("See https: //goo.gl/abc now", "link"),
        ("Visit www.example.com", "link"),
        ("Highlights pic.twitter.com/BUPgYtgHaY", "link"),
        ("West Palm Beach, F L @ Coral Sky", "@"),
        ("사진=JTBC", "="),
        ("button link is [big]", "bracket"),
        ("read &amp; listen", "markup"),
    ],
)
def test_debris_in_spoken_text_is_counted(spoken: str, kind: str) -> None:
    from bench.narrate_corpus import Findings

    found = Findings()
    found.sentence("case", spoken, spoken, "body")
    found.sentence("case", "Snopes dot com said so.", "Snopes dot com said so.", "body")  # a host as a newsreader says it
    assert [(case, text) for case, text in found.debris[kind]] == [("case", spoken)]


def test_the_speed_bench_sums_memory_over_the_process_tree() -> None:
    import subprocess
    import sys
    import time
    from pathlib import Path

    from bench.speed import _tree_rss_kb

    child = "x = bytearray(60_000_000); x[::4096] = b'1' * len(x[::4096]); import time; time.sleep(20)"
    # a shell whose child holds 60 MB: the shell alone is a few MB, the tree more than 60
    shell = subprocess.Popen(["sh", "-c", f'"{sys.executable}" -c "{child}"; true'])
    try:
        deadline = time.monotonic() + 15
        while _tree_rss_kb(shell.pid) < 60_000 and time.monotonic() < deadline:
            time.sleep(0.1)
        total = _tree_rss_kb(shell.pid)
        status = Path(f"/proc/{shell.pid}/status").read_text()
        own = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
        assert own < 20_000 and 60_000 <= total < 60_000 + own + 40_000
    finally:
        subprocess.run(["pkill", "-P", str(shell.pid)], check=False)
        shell.kill()
        shell.wait()


def test_the_speed_bench_counts_a_copy_of_a_process_once() -> None:
    import subprocess
    import sys
    import time

    from bench.speed import _tree_rss_kb

    # a process holding 60 MB forks a child that never runs another program: the child's memory is its parent's
    parent = (
        "import os, time; x = bytearray(60_000_000); x[::4096] = b'1' * len(x[::4096]); pid = os.fork(); "
        "time.sleep(20); os._exit(0) if pid == 0 else None"
    )
    process = subprocess.Popen([sys.executable, "-c", parent])
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            children = [c for t in Path(f"/proc/{process.pid}/task").iterdir() for c in (t / "children").read_text().split()]
            if children and _tree_rss_kb(process.pid) >= 60_000:
                break
            time.sleep(0.1)
        assert children
        own = int(
            next(line.split()[1] for line in Path(f"/proc/{process.pid}/status").read_text().splitlines() if line.startswith("VmRSS:"))
        )
        total = _tree_rss_kb(process.pid)
        assert own >= 60_000 and total < own + 10_000
    finally:
        subprocess.run(["pkill", "-P", str(process.pid)], check=False)
        process.kill()
        process.wait()


def test_word_errors_are_told_by_the_word_they_fall_on() -> None:
    from bench.wer import error_kinds

    # "Mnangagwa" is no English word; "said" is; "in" was heard where nothing was said
    kinds = error_kinds("Mnangagwa said it was 12 days.", "Emerson set it was 12 days in")
    assert kinds == {"other": 1, "ordinary": 1, "extra": 1}
    assert not error_kinds("It cost $4.5 million.", "it cost four point five million dollars")
    # a homophone heard is no error, and is counted apart so the bench can say what it took off
    assert error_kinds("Voters there back him.", "voters their back him") == {"homophones": 1}
