"""The command line end to end: outputs, summaries, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from articleaudio.cli import cli

from .conftest import CLUTTER, SAMPLE, LocalServer, decode_mp3, probe

SLUG = "wang-yi-tells-blinken-china-does-not-help-russias-war-effort"


def run(*args: str, input: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.output


def convert_tone(*args: str, input: bytes | None = None) -> tuple[int, str]:
    return run("convert", "--engine", "tone", "-q", *args, input=input)


def test_convert_sample_with_tone_engine_writes_mp3_and_sidecars(tmp_path: Path) -> None:
    code, out = run("convert", "--engine", "tone", str(SAMPLE), "-o", str(tmp_path))
    assert code == 0, out
    mp3 = tmp_path / f"{SLUG}.mp3"
    assert f"{mp3}: " in out and "18 sentences (18 synthesized), tone (low)" in out
    manifest = json.loads((tmp_path / f"{SLUG}.json").read_text(encoding="utf-8"))
    samples, rate = decode_mp3(mp3)
    assert abs(len(samples) / rate - manifest["audio"]["duration_ms"] / 1000) < 0.12
    body = [s for s in manifest["sentences"] if s["kind"] == "body"]
    assert len({s["paragraph"] for s in body}) == 11
    transcript = ID3(mp3).getall("USLT")[0].text
    assert transcript.count("\n\n") == 10
    for clutter in CLUTTER:
        assert clutter.lower() not in transcript.lower()
    for suffix in (".vtt", ".srt", ".chapters.json"):
        assert (tmp_path / f"{SLUG}{suffix}").exists()
    assert not list(tmp_path.glob("*.part"))


def test_default_output_folder_is_audio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = convert_tone(str(SAMPLE))
    assert code == 0, out
    assert (tmp_path / "audio" / f"{SLUG}.mp3").exists()


def test_mp3_file_name_and_stdin(tmp_path: Path) -> None:
    target = tmp_path / "story.mp3"
    code, out = convert_tone("-", "-o", str(target), input=b"A title\n\nFirst paragraph of the story.\n")
    assert code == 0, out
    assert str(ID3(target)["TIT2"]) == "A title"


def test_up_to_date_output_is_kept_and_out_of_date_output_is_replaced(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    assert convert_tone(str(SAMPLE), "-o", str(out_dir))[0] == 0
    mp3 = out_dir / f"{SLUG}.mp3"
    before = mp3.read_bytes()
    code, out = run("convert", "--engine", "tone", str(SAMPLE), "-o", str(out_dir))
    assert code == 0 and "up to date, kept (use --force" in out
    assert mp3.read_bytes() == before
    code, out = run("convert", "--engine", "tone", str(SAMPLE), "-o", str(out_dir), "--force")
    assert code == 0 and "(0 synthesized, 18 from cache)" in out  # forced, and every clip reused
    code, out = run("convert", "--engine", "tone", str(SAMPLE), "-o", str(out_dir), "--voice", "high")
    assert code == 0 and "(18 synthesized)" in out  # other settings: out of date, narrated again
    assert mp3.read_bytes() != before
    assert sorted(p.name for p in out_dir.glob("*.mp3")) == [f"{SLUG}.mp3"]


def test_a_file_that_is_not_this_narration_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "mine.mp3"
    target.write_bytes(b"ID3 someone else's file")
    code, out = run("convert", "--engine", "tone", str(SAMPLE), "-o", str(target))
    assert code == 0 and "is not a narration of" in out and "kept (use --force" in out
    assert target.read_bytes() == b"ID3 someone else's file"


def test_another_article_with_the_same_title_does_not_clobber(tmp_path: Path) -> None:
    first = tmp_path / "a.md"
    second = tmp_path / "b.md"
    first.write_text("# Same title\n\nThe first article body.\n", encoding="utf-8")
    second.write_text("# Same title\n\nA different article body.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert convert_tone(str(first), "-o", str(out))[0] == 0
    assert convert_tone(str(second), "-o", str(out))[0] == 0
    assert sorted(p.name for p in out.glob("*.mp3")) == ["same-title-2.mp3", "same-title.mp3"]


def test_failed_run_leaves_earlier_output_untouched_and_nothing_half_written(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    assert convert_tone(str(SAMPLE), "-o", str(out_dir))[0] == 0
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    code, out = convert_tone(str(SAMPLE), "-o", str(out_dir), "--force", "--bitrate", "65")
    assert code != 0
    assert "unsupported MP3 bitrate 65" in out and "Traceback" not in out
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before


def test_several_sources_one_failing(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Good title\n\nA perfectly fine paragraph.\n", encoding="utf-8")
    code, out = convert_tone(str(tmp_path / "missing.html"), str(good), "-o", str(tmp_path / "out"))
    assert code == 1
    assert "missing.html: no such file" in out
    assert "1 of 2 sources failed" in out
    assert (tmp_path / "out" / "good-title.mp3").exists()


def _one_line_error(code: int, out: str, *needles: str) -> None:
    assert code != 0
    assert "Traceback" not in out
    errors = [line for line in out.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, out
    for needle in needles:
        assert needle in errors[0], (needle, out)


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("missing.html", None, "no such file"),
        ("empty.txt", b"", "is empty"),
        ("binary.bin", b"\x00\x01\x02\x03" * 100, "binary file"),
        ("menu.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text found"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: bytes | None, needle: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out = convert_tone(str(path), "-o", str(tmp_path / "out"))
    _one_line_error(code, out, str(path), needle)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    ("route", "ctype", "status", "delay", "extra", "needle"),
    [
        ("/gone", "text/html", 404, 0.0, [], "HTTP 404"),
        ("/slow", "text/html", 200, 3.0, ["--timeout", "1"], "timed out"),
        ("/paper.pdf", "application/pdf", 200, 0.0, [], "serves application/pdf"),
        ("/image", "image/png", 200, 0.0, [], "serves image/png"),
        ("/huge", "text/html", 200, 0.0, ["--max-size", "0.001"], "over the 1,000-byte limit"),
    ],
)
def test_bad_urls(
    server: LocalServer, tmp_path: Path, route: str, ctype: str, status: int, delay: float, extra: list[str], needle: str
) -> None:
    url = server.add(route, b"<p>" + b"x" * 2000 + b"</p>", ctype, status=status, delay=delay)
    code, out = convert_tone(url, "-o", str(tmp_path / "out"), *extra)
    _one_line_error(code, out, url, needle)
    assert not (tmp_path / "out").exists()


def test_url_is_converted(server: LocalServer, tmp_path: Path) -> None:
    url = server.add("/story", SAMPLE.read_bytes())
    code, out = convert_tone(url, "-o", str(tmp_path))
    assert code == 0, out
    assert (tmp_path / f"{SLUG}.mp3").exists()


@pytest.mark.parametrize("sources", [1, 2])
def test_unknown_engine(tmp_path: Path, sources: int) -> None:
    # one source is converted in this process, several by workers: both check the engine before any work
    other = tmp_path / "other.txt"
    other.write_text("A second story.\n", encoding="utf-8")
    code, out = run("convert", "--engine", "nope", *[str(SAMPLE), str(other)][:sources], "-o", str(tmp_path / "out"))
    _one_line_error(code, out, "unknown engine 'nope'")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("engine", ["tone", "espeak", "pyttsx3"])
def test_unknown_voice(tmp_path: Path, engine: str) -> None:
    code, out = run("convert", "--engine", engine, "--voice", "xx-nonexistent", str(SAMPLE), "-o", str(tmp_path / "out"))
    _one_line_error(code, out, "unknown voice 'xx-nonexistent'")
    assert not (tmp_path / "out").exists()


def test_espeak_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    code, out = run("convert", "--engine", "espeak", str(SAMPLE), "-o", str(tmp_path))
    _one_line_error(code, out, "espeak-ng is not installed", "apt-get install espeak-ng")


def test_output_folder_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out = convert_tone(str(SAMPLE), "-o", str(blocker / "sub"))
    _one_line_error(code, out, str(blocker / "sub"), "cannot be written")


def test_voices_lists_every_engine() -> None:
    code, out = run("voices")
    assert code == 0
    assert "pyttsx3 (default):" in out and "espeak:" in out and "tone:" in out
    assert "en-us" in out


def test_help_for_every_command() -> None:
    for command in cli.commands.values():
        assert command.help, command.name
        code, out = run(command.name or "", "--help")
        assert code == 0 and "Usage:" in out


@pytest.mark.slow
def test_sample_with_espeak_sounds_right(tmp_path: Path) -> None:
    code, out = run("convert", "--engine", "espeak", str(SAMPLE), "-o", str(tmp_path), "-q")
    assert code == 0, out
    mp3 = tmp_path / f"{SLUG}.mp3"
    info = probe(mp3)
    duration = float(info["format"]["duration"])
    assert 120 <= duration <= 360
    assert info["format"]["tags"]["title"].startswith("Wang Yi")
    assert info["streams"][0]["sample_rate"] == "22050" and info["streams"][0]["channels"] == 1
    manifest = json.loads((tmp_path / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert manifest["voice"]["engine"] == "espeak"
    last = manifest["sentences"][-1]
    assert last["end_ms"] <= duration * 1000


def test_headlines_in_every_script_name_their_files(tmp_path: Path) -> None:
    # issue 19: Korean, Chinese, Arabic and Russian headlines gave article.mp3, article-2.mp3, article-3.mp3
    headlines = {
        "ko.md": ("지하철 새 노선 가을 개통", "jihacheol-sae-noseon-gaeul-gaetong.mp3"),
        "zh.md": ("地铁新线秋季开通", "de-tie-xin-xian-qiu-ji-kai-tong.mp3"),
        "ar.md": ("مترو جديد في المدينة", "mtrw-jdyd-fy-lmdynh.mp3"),
        "ru.md": ("Новая линия метро откроется осенью", "novaya-liniya-metro-otkroetsya-osenyu.mp3"),
        "de.md": ("Die Straße über den Fluss", "die-strasse-uber-den-fluss.mp3"),
    }
    for name, (headline, _) in headlines.items():
        (tmp_path / name).write_text(f"# {headline}\n\n{headline}. {headline}.\n", encoding="utf-8")
    code, out = convert_tone(*(str(tmp_path / n) for n in headlines), "-o", str(tmp_path / "out"), "--no-player")
    assert code == 0, out
    files = sorted(p.name for p in (tmp_path / "out").glob("*.mp3"))
    assert files == sorted(expected for _, expected in headlines.values())
    assert all(f.isascii() for f in files)
