"""The public API as a library user calls it, and the manifest against its published JSON Schema."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

import articleaudio
from articleaudio import (
    Article,
    ArticleAudioError,
    Episode,
    Settings,
    SourceError,
    convert,
    extract_article,
    load_source,
    normalize_text,
    segment_article,
    split_sentences,
)

from .conftest import ROOT, SAMPLE, SEED_PARAGRAPHS, decode_mp3, ebur128

SCHEMA = json.loads((ROOT / "docs" / "manifest.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def isolation_seen_by_a_module_fixture() -> dict[str, str | None]:
    """What a module-scoped fixture sees: it runs before any function-scoped fixture."""
    return {name: os.environ.get(name) for name in ("ARTICLEAUDIO_CONFIG_DIR", "ARTICLEAUDIO_CACHE_DIR", "ARTICLEAUDIO_ENGINE")}


def test_module_fixtures_never_see_the_developers_config(isolation_seen_by_a_module_fixture: dict[str, str | None]) -> None:
    from articleaudio.userconfig import config_dir

    seen = isolation_seen_by_a_module_fixture
    assert seen["ARTICLEAUDIO_CONFIG_DIR"] and "session-home" in seen["ARTICLEAUDIO_CONFIG_DIR"]
    assert seen["ARTICLEAUDIO_CACHE_DIR"] and "session-home" in seen["ARTICLEAUDIO_CACHE_DIR"]
    assert seen["ARTICLEAUDIO_ENGINE"] is None
    assert config_dir() != Path.home() / ".config" / "articleaudio"


def test_every_public_name_resolves() -> None:
    for name in articleaudio.__all__:
        assert getattr(articleaudio, name) is not None, name
    with pytest.raises(AttributeError):
        articleaudio.no_such_name  # noqa: B018  # the lookup is the test


def test_convert_from_python(tmp_path: Path) -> None:
    episode = convert(str(SAMPLE), Settings(engine="tone", output=str(tmp_path)))
    assert isinstance(episode, Episode) and episode.status == "converted"
    mp3 = Path(episode.mp3_path)
    samples, rate = decode_mp3(mp3)
    assert abs(len(samples) / rate - episode.duration) < 0.06
    assert len(episode.cues) == len(episode.sentences) > 10
    assert all(a.end_ms <= b.start_ms for a, b in zip(episode.cues, episode.cues[1:], strict=False))
    lufs, peak = ebur128(mp3)
    assert abs(lufs - -16) <= 0.5 and peak <= -1.0
    assert sorted(Path(p).suffix for p in episode.sidecars) == [".html", ".json", ".json", ".srt", ".vtt"]
    again = convert(str(SAMPLE), Settings(engine="tone", output=str(tmp_path)))
    assert again.status == "up to date" and again.skipped


def test_convert_reports_progress_by_stage(tmp_path: Path) -> None:
    stages: list[str] = []
    convert(str(SAMPLE), Settings(engine="tone", output=str(tmp_path)), progress=lambda stage, done, total: stages.append(stage))
    assert stages[0] == "load" and stages[-1] == "done"
    assert {"synthesize", "encode"} <= set(stages)


def test_a_bad_source_raises_an_error_naming_it(tmp_path: Path) -> None:
    missing, out = tmp_path / "nowhere.html", tmp_path / "out"
    with pytest.raises(SourceError) as caught:
        convert(str(missing), Settings(engine="tone", output=str(out)))
    assert isinstance(caught.value, ArticleAudioError)
    assert str(missing) in str(caught.value)
    assert not out.exists()


def test_the_stages_one_by_one() -> None:
    article = extract_article(load_source(str(SAMPLE)))
    assert isinstance(article, Article)
    assert article.paragraphs[0].startswith(SEED_PARAGRAPHS[0])
    sentences = segment_article(article)
    assert sentences[0].kind == "intro" and any(s.kind == "body" for s in sentences)
    assert all(s.spoken and not any(ch.isdigit() for ch in s.spoken) for s in sentences)
    assert normalize_text("$4.5 million on 3/4/2024") == "four point five million dollars on March fourth, twenty twenty-four"
    assert split_sentences("Dr. Smith arrived. He sat down.") == ["Dr. Smith arrived.", "He sat down."]


@pytest.mark.slow
def test_real_manifests_follow_the_published_schema(tmp_path: Path) -> None:
    episode = convert(str(SAMPLE), Settings(engine="espeak", output=str(tmp_path)))
    manifest = json.loads(Path(episode.mp3_path).with_suffix(".json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, SCHEMA)
    markdown = tmp_path / "note.md"
    markdown.write_text("# A note\n\nThe board met on Tuesday. It agreed the plan.\n\n## Next\n\nVotes follow in May.\n", encoding="utf-8")
    episode = convert(str(markdown), Settings(engine="tone", output=str(tmp_path), intro=False))
    jsonschema.validate(json.loads(Path(episode.mp3_path).with_suffix(".json").read_text(encoding="utf-8")), SCHEMA)


def test_the_schema_rejects_a_manifest_that_breaks_it(tmp_path: Path) -> None:
    episode = convert(str(SAMPLE), Settings(engine="tone", output=str(tmp_path)))
    manifest = json.loads(Path(episode.mp3_path).with_suffix(".json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, SCHEMA)
    broken = {**manifest, "sentences": [{**manifest["sentences"][0], "start_ms": "0"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in manifest.items() if k != "voice"}, SCHEMA)
