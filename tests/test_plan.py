"""``articleaudio plan``: the estimate of a run, from a real calibration on this machine."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from articleaudio.cli import cli

from .conftest import LocalServer

ROOT = Path(__file__).resolve().parent.parent
BATCH = sorted((ROOT / "bench" / "texts" / "batch").glob("*.txt"))


def test_a_plan_scales_a_real_calibration_to_the_words_of_the_run(tmp_path: Path) -> None:
    sources = [str(p) for p in BATCH[:6]]
    result = CliRunner().invoke(cli, ["plan", *sources, "--engines", "espeak", "--workers", "3", "--format", "json", "--sample", "3"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["sources"]["total"] == 6 and plan["sources"]["read"] == 3  # a sample, scaled to the whole
    body_words = sum(len(Path(s).read_text().split()) for s in sources)
    assert 0.8 * body_words < plan["words"] < 1.3 * body_words
    (espeak,) = plan["engines"]
    # espeak-ng speaks about 175 words a minute; it costs a small share of a CPU per second of audio
    assert 0.7 < espeak["audio_hours"] * 3600 / (plan["words"] * 60 / 175) < 1.4
    assert 0 < espeak["cpu_hours"] < espeak["audio_hours"]
    assert abs(espeak["wall_hours"] - espeak["cpu_hours"] / 3) < 1e-9
    # 64 kbit/s: 28.8 MB per hour of audio
    assert abs(espeak["mp3_gigabytes"] / espeak["audio_hours"] - 0.0288) < 0.004


def test_a_feed_is_planned_by_the_pages_it_lists(server: LocalServer) -> None:
    for n in range(3):
        server.add(
            f"/story{n}.html",
            f"<html><body><article><h1>Story {n}</h1><p>{'The council met and agreed. ' * 30}</p></article></body></html>".encode(),
        )
    items = "".join(f"<item><title>S{n}</title><link>{server.base}/story{n}.html</link></item>" for n in range(3))
    feed = server.add("/feed.xml", f"<rss version='2.0'><channel><title>T</title>{items}</channel></rss>".encode(), "application/rss+xml")
    result = CliRunner().invoke(cli, ["plan", feed, "--engines", "espeak", "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["sources"] == {"read": 3, "failed": 0, "words": plan["sources"]["words"], "total": 3, "first_error": None}
    assert plan["words"] > 3 * 150


def test_a_plan_with_nothing_readable_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["plan", str(tmp_path / "missing.html"), "--engines", "espeak"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "no source could be read" in result.output and "missing.html: no such file" in result.output
