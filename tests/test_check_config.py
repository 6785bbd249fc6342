"""`articleaudio check`, the user's config folder and its default lexicon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from articleaudio.cli import cli

from .conftest import SAMPLE


def test_check_shows_spoken_text_and_tokens_to_review(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text("# Budget\n\nThe XQZT board met on 3/4 of the days in 2024. Officers counted 1850 at the gate.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(story)])
    assert result.exit_code == 0, result.output
    assert "-> The X Q Z T board met on three quarters of the days in twenty twenty-four." in result.output
    assert "? 'XQZT': unknown acronym, spelled out as \"X Q Z T\"" in result.output
    assert "? '3/4': read as a fraction; could be a date or a score" in result.output
    assert "'2024'" not in result.output  # "in 2024" is surely a year
    assert "? '1850': read as a year; could be a number" in result.output
    assert "2 sentences, 2 read differently from how they are written, 3 tokens to review" in result.output


def test_check_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(SAMPLE)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    first = data["sentences"][0]
    assert first["changed"] is True and "July twenty-seventh" in first["spoken"]
    assert {"id", "text", "spoken", "changed", "unsure"} <= set(first)


def test_check_bad_source_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope.html")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nope.html'}: no such file"


def test_default_lexicon_from_the_config_folder(tmp_path: Path, config_dir: Path) -> None:
    (config_dir / "lexicon.toml").write_text('[words]\n"Wang Yi" = "Wahng Yee"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "--engine", "tone", "-q", str(SAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    assert any("Wahng Yee" in s["spoken"] for s in manifest["sentences"])
    checked = CliRunner().invoke(cli, ["check", str(SAMPLE)])
    assert "Wahng Yee" in checked.output


def test_config_file_sets_convert_defaults(tmp_path: Path, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text('engine = "tone"\nrate = 200\nintro = false\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "-q", str(SAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    assert manifest["voice"]["engine"] == "tone" and manifest["voice"]["rate_wpm"] == 200
    assert manifest["sentences"][0]["kind"] == "body"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("rate = 'fast'\n", "setting 'rate' has the wrong type"),
        ("colour = 'red'\n", "unknown setting 'colour'"),
        ("rate = \n", "invalid configuration"),
    ],
)
def test_bad_config_is_one_clear_error(config_dir: Path, content: str, message: str) -> None:
    (config_dir / "config.toml").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["voices"])
    assert result.exit_code == 1
    assert message in result.output and str(config_dir / "config.toml") in result.output
