"""Files a publisher ships: timings heard in the MP3, captions, chapters, manifest, cover art, feed, embed."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import feedparser
import numpy as np
import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from articleaudio.cli import cli

from .conftest import SAMPLE, LocalServer, decode_mp3, ebur128, probe

SLUG = "wang-yi-tells-blinken-china-does-not-help-russias-war-effort"


def convert(*args: str) -> str:
    result = CliRunner().invoke(cli, ["convert", "-q", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def tone_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tone")
    convert("--engine", "tone", str(SAMPLE), "-o", str(folder))
    return folder


def _onsets(samples: np.ndarray, rate: int) -> list[float]:
    """Start times (ms) of sound after at least 200 ms of silence."""
    window = rate // 200  # 5 ms
    usable = samples[: len(samples) // window * window].astype(np.float64)
    loud = np.sqrt((usable.reshape(-1, window) ** 2).mean(axis=1)) > 300
    onsets, quiet = [], 999
    for i, flag in enumerate(loud):
        if flag and quiet >= 40:
            onsets.append(i * window * 1000 / rate)
        quiet = 0 if flag else quiet + 1
    return onsets


def test_cue_times_are_where_the_sentences_are_heard_in_the_mp3(tone_run: Path) -> None:
    sentences = json.loads((tone_run / f"{SLUG}.json").read_text(encoding="utf-8"))["sentences"]
    samples, rate = decode_mp3(tone_run / f"{SLUG}.mp3")
    heard = _onsets(samples, rate)
    assert len(heard) == len(sentences)
    for sentence, onset in zip(sentences, heard, strict=True):
        # the tone fades in over 5 ms, so it crosses the threshold a little after its start
        assert abs(onset - sentence["start_ms"]) <= 26, (sentence["id"], onset, sentence["start_ms"])


def test_webvtt_and_srt_cues_are_in_order_and_inside_the_audio(tone_run: Path) -> None:
    duration_ms = float(probe(tone_run / f"{SLUG}.mp3")["format"]["duration"]) * 1000
    vtt = (tone_run / f"{SLUG}.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n")
    blocks = [b.splitlines() for b in vtt.split("\n\n")[1:] if b.strip()]
    manifest = json.loads((tone_run / f"{SLUG}.json").read_text(encoding="utf-8"))
    sentences = {s["id"]: s for s in manifest["sentences"]}
    # every sentence has its cue, and long ones continue in more: s3, s3-2, s3-3 …
    assert [b[0] for b in blocks if "-" not in b[0]] == list(sentences)
    assert len(blocks) > len(sentences)
    previous_end = 0.0
    shown: dict[str, list[str]] = {}
    for ident, timing, *lines in blocks:
        start, end = (_ms(t) for t in timing.split(" --> "))
        assert previous_end <= start < end <= duration_ms
        assert end - start <= 7000, (ident, end - start)
        assert 1 <= len(lines) <= 2 and all(len(line) <= 42 for line in lines), lines
        previous_end = end
        sentence = sentences[ident.split("-")[0]]
        shown.setdefault(sentence["id"], []).extend(" ".join(lines).split())
        # the cue is shown while its words are heard
        first = next(w for w in sentence["words"] if w["text"] == lines[0].split()[0] and w["start_ms"] >= start - 1)
        assert abs(first["start_ms"] - start) <= 1 or ident == sentence["id"]
    for ident, words in shown.items():
        assert words == sentences[ident]["text"].split()
    srt = (tone_run / f"{SLUG}.srt").read_text(encoding="utf-8")
    assert srt.startswith("1\n00:00:00,")
    assert srt.count(" --> ") == len(blocks)


def _ms(stamp: str) -> int:
    h, m, rest = stamp.split(":")
    s, ms = rest.split(".")
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def test_manifest_schema(tone_run: Path) -> None:
    manifest = json.loads((tone_run / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert manifest["manifest_version"] == 1
    assert manifest["audio"]["file"] == f"{SLUG}.mp3"
    assert manifest["audio"]["bytes"] == (tone_run / f"{SLUG}.mp3").stat().st_size
    assert manifest["voice"] == {"engine": "tone", "engine_version": "tone 2", "voice": "low", "rate_wpm": 175, "synthetic": True,
                                 "quote_voice": None, "word_timing": "engine"}  # fmt: skip
    assert len(manifest["hashes"]["article_text_sha256"]) == 64
    first = manifest["sentences"][0]
    assert set(first) == {"id", "start_ms", "end_ms", "text", "spoken", "kind", "paragraph", "section", "word_timing", "words"}
    assert first["kind"] == "intro" and first["text"].startswith("Wang Yi tells Blinken")
    # the tone engine gives every character 60 ms and marks where each word begins: the words are heard there
    assert first["word_timing"] == "engine" and first["text"] == first["spoken"]
    assert [w["text"] for w in first["words"]] == first["text"].split()
    offsets = [m.start() for m in re.finditer(r"\S+", first["text"])]
    for word, offset in zip(first["words"], offsets, strict=True):
        assert abs(word["start_ms"] - (first["start_ms"] + offset * 60)) <= 1, word
    assert first["words"][-1]["end_ms"] == first["end_ms"]
    body = next(s for s in manifest["sentences"] if s["kind"] == "body")
    assert body["text"].endswith("on July 27 that Beijing denies allegations of helping Russia's war effort in Ukraine.")
    assert "July twenty-seventh" in body["spoken"] and "U S Secretary" in body["spoken"]


def test_chapters_json_and_id3_chapters_agree(tone_run: Path) -> None:
    chapters = json.loads((tone_run / f"{SLUG}.chapters.json").read_text(encoding="utf-8"))
    assert chapters["version"] == "1.2.0"
    titles = [c["title"] for c in chapters["chapters"]]
    assert titles == ["Introduction", "Wang Yi tells Blinken China does not help Russia's war effort"]
    listed = probe(tone_run / f"{SLUG}.mp3")["chapters"]
    assert [c["tags"]["title"] for c in listed] == titles
    assert [round(float(c["start_time"]), 3) for c in listed] == [c["startTime"] for c in chapters["chapters"]]


def test_headings_become_chapters_in_order(tmp_path: Path) -> None:
    source = tmp_path / "report.md"
    source.write_text(
        "# Annual report\n\nOpening words.\n\n## Schools\n\nSchools did well.\n\n## Roads\n\nRoads were mended.\n\n"
        "## A much longer heading about the health service\n\nHospitals coped.\n",
        encoding="utf-8",
    )
    convert("--engine", "tone", "--no-intro", str(source), "-o", str(tmp_path))
    listed = probe(tmp_path / "annual-report.mp3")["chapters"]
    assert [c["tags"]["title"] for c in listed] == ["Annual report", "Schools", "Roads", "A much longer heading about the health service"]
    starts = [float(c["start_time"]) for c in listed]
    assert starts == sorted(starts) and starts[0] == 0.0


def test_intro_and_outro_are_spoken(tmp_path: Path) -> None:
    convert("--engine", "tone", "--outro", str(SAMPLE), "-o", str(tmp_path))
    sentences = json.loads((tmp_path / f"{SLUG}.json").read_text(encoding="utf-8"))["sentences"]
    intro = [s["text"] for s in sentences if s["kind"] == "intro"]
    assert intro == [
        "Wang Yi tells Blinken China does not help Russia's war effort.",
        "By Martin Fornusek.",
        "Published by The Kyiv Independent.",
        "This narration uses a synthetic voice.",
    ]
    assert sentences[-1]["kind"] == "outro" and "The Kyiv Independent" in sentences[-1]["text"]
    convert("--engine", "tone", "--no-intro", "--force", str(SAMPLE), "-o", str(tmp_path))
    sentences = json.loads((tmp_path / f"{SLUG}.json").read_text(encoding="utf-8"))["sentences"]
    assert sentences[0]["kind"] == "body"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_lead_image_of_a_web_article_becomes_the_front_cover(server: LocalServer, tmp_path: Path) -> None:
    server.add("/img/lead.png", _png(), "image/png")
    page = SAMPLE.read_text(encoding="utf-8").replace("https://kyivindependent.example/content/images/xi-putin-moscow.jpg", "/img/lead.png")
    url = server.add("/story", page.encode("utf-8"))
    convert("--engine", "tone", url, "-o", str(tmp_path))
    pictures = ID3(tmp_path / f"{SLUG}.mp3").getall("APIC")
    assert len(pictures) == 1 and pictures[0].type == 3 and pictures[0].mime == "image/png"
    assert pictures[0].data == _png()


def test_missing_cover_never_fails_the_conversion(server: LocalServer, tmp_path: Path) -> None:
    page = SAMPLE.read_text(encoding="utf-8").replace("https://kyivindependent.example/content/images/xi-putin-moscow.jpg", "/img/gone.png")
    url = server.add("/story", page.encode("utf-8"))
    convert("--engine", "tone", url, "-o", str(tmp_path))
    assert ID3(tmp_path / f"{SLUG}.mp3").getall("APIC") == []


def test_explicit_cover_file_and_sylt(tmp_path: Path) -> None:
    cover = tmp_path / "cover.png"
    cover.write_bytes(_png())
    convert("--engine", "tone", "--cover", str(cover), "--sylt", str(SAMPLE), "-o", str(tmp_path / "out"))
    tag = ID3(tmp_path / "out" / f"{SLUG}.mp3")
    assert tag.getall("APIC")[0].data == _png()
    sylt = tag.getall("SYLT")[0]
    manifest = json.loads((tmp_path / "out" / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert [t for _, t in sylt.text] == [s["start_ms"] for s in manifest["sentences"]]


def test_feed_lists_every_narration_completely_and_keeps_guids(tmp_path: Path) -> None:
    other = tmp_path / "other.md"
    other.write_text("---\ndate: 2024-08-01\nurl: https://news.example/other\n---\n# Another story\n\nIt happened.\n", encoding="utf-8")
    out = tmp_path / "site"
    convert("--engine", "tone", str(SAMPLE), str(other), "-o", str(out))
    args = [
        "feed",
        str(out),
        "--base-url",
        "https://cdn.example/audio",
        "--title",
        "Narrated news",
        "--image",
        "https://cdn.example/logo.png",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "Narrated news"
    assert len(parsed.entries) == 2
    for entry in parsed.entries:
        assert entry.title and entry.description and entry.published and entry.id.startswith("urn:articleaudio:")
        enclosure = entry.enclosures[0]
        name = enclosure.href.rsplit("/", 1)[1].split("?v=")[0]
        assert enclosure.type == "audio/mpeg" and int(enclosure.length) == (out / name).stat().st_size
        assert re.fullmatch(r"\d\d:\d\d:\d\d", entry.itunes_duration)
    xml = (out / "feed.xml").read_text(encoding="utf-8")
    assert xml.count("<podcast:transcript ") == 2 and 'type="text/vtt"' in xml
    assert xml.count("<podcast:chapters ") == 2  # introduction + story, even without headings
    guids = [e.id for e in parsed.entries]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert [e.id for e in feedparser.parse((out / "feed.xml").read_bytes()).entries] == guids
    assert parsed.entries[0].published.startswith("Sat, 27 Jul 2024")


def test_feed_of_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["feed", str(tmp_path), "--base-url", "https://x.example", "--title", "T"])
    assert result.exit_code != 0 and "holds no narrations" in result.output


def test_embed_prints_a_snippet(tone_run: Path) -> None:
    result = CliRunner().invoke(cli, ["embed", str(tone_run / SLUG), "--base-url", "https://cdn.example/a/", "--plain"])
    assert result.exit_code == 0
    assert f'src="https://cdn.example/a/{SLUG}.mp3"' in result.output
    assert f'src="https://cdn.example/a/{SLUG}.vtt"' in result.output
    assert "synthetic voice" in result.output


def test_embed_prints_a_widget_and_says_which_file_is_missing(tone_run: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["embed", str(tone_run / SLUG), "--base-url", "https://cdn.example/a/"])
    assert result.exit_code == 0, result.output
    widget = result.output
    assert widget.startswith('<div class="articleaudio-widget"') and widget.rstrip().endswith("</div>")
    # every address in it is one of the narration's own files under the base URL
    addresses = set(re.findall(r'(?:src|href)="([^"]+)"', widget)) | set(re.findall(r'"(https?://[^"]+)"', widget))
    assert addresses == {f"https://cdn.example/a/{SLUG}.{ext}" for ext in ("mp3", "vtt", "html")}
    assert str(tone_run) not in widget
    chapters = json.loads((tone_run / f"{SLUG}.chapters.json").read_text(encoding="utf-8"))["chapters"]
    assert all(json.dumps(c["title"], ensure_ascii=False) in widget for c in chapters)
    # a stem without its manifest: the widget says which file is missing; --plain still works
    lone = tmp_path / "lone.mp3"
    lone.write_bytes((tone_run / f"{SLUG}.mp3").read_bytes())
    missing = CliRunner().invoke(cli, ["embed", str(tmp_path / "lone")])
    assert missing.exit_code != 0 and "lone.json: missing" in missing.output and len(missing.output.strip().splitlines()) == 1
    plain = CliRunner().invoke(cli, ["embed", str(tmp_path / "lone"), "--plain"])
    assert plain.exit_code == 0 and '<audio controls preload="metadata" src="lone.mp3">' in plain.output
    nothing = CliRunner().invoke(cli, ["embed", str(tmp_path / "none")])
    assert nothing.exit_code != 0 and "none.mp3: missing" in nothing.output


@pytest.mark.slow
def test_sample_loudness_and_true_peak_with_espeak(tmp_path: Path) -> None:
    convert("--engine", "espeak", str(SAMPLE), "-o", str(tmp_path))
    lufs, peak = ebur128(tmp_path / f"{SLUG}.mp3")
    assert abs(lufs + 16) <= 1.0
    assert peak <= -1.0
    convert("--engine", "espeak", "--loudness", "-19", "--force", str(SAMPLE), "-o", str(tmp_path))
    lufs, _ = ebur128(tmp_path / f"{SLUG}.mp3")
    assert abs(lufs + 19) <= 1.0


def test_published_files_never_name_the_folders_of_the_machine(tmp_path: Path) -> None:
    # issue 15: a local source, lexicon and cover named by their folders; a Piper voice by its install path
    private = tmp_path / "home-of-jane" / "private-drafts"
    private.mkdir(parents=True)
    story = private / "news.md"
    story.write_text("# Council budget\n\nThe council met on Tuesday and agreed the budget. It passed.\n", encoding="utf-8")
    (private / "words.toml").write_text('[words]\ncouncil = "council"\n', encoding="utf-8")
    (private / "cover.png").write_bytes(_png())
    out = tmp_path / "site"
    convert("--engine", "tone", "--lexicon", str(private / "words.toml"), "--cover", str(private / "cover.png"), str(story), "-o", str(out))
    convert("--engine", "tone", str(story), "-o", str(tmp_path / "site2"), "--source-url", "https://news.example/budget")
    feed = [sys.executable, "-m", "articleaudio", "feed", str(out), "--base-url", "https://cdn.example/a", "--title", "N"]
    subprocess.run(feed, check=True, capture_output=True)
    published = [p for p in [*out.iterdir(), *(tmp_path / "site2").iterdir()] if p.suffix in {".mp3", ".json", ".html", ".xml", ".vtt"}]
    assert {p.suffix for p in published} >= {".mp3", ".json", ".html", ".xml"}
    for path in published:
        if path.name == "articleaudio-report.json":
            continue  # the run report is the operator's, not published
        data = path.read_bytes()
        for secret in ("home-of-jane", "private-drafts", str(tmp_path)):
            assert secret.encode() not in data and secret.encode("utf-16-le") not in data, (path.name, secret)
    manifest = json.loads((out / "council-budget.json").read_text(encoding="utf-8"))
    assert manifest["article"]["source"] == "news.md" and manifest["settings"]["lexicon"] == "words.toml"
    assert json.loads((tmp_path / "site2" / "council-budget.json").read_text())["article"]["url"] == "https://news.example/budget"


def test_a_piper_voice_is_published_by_its_id() -> None:
    from articleaudio.models import public_voice

    assert public_voice("/home/jane/.venv/lib/site-packages/voices/en_US-joe-medium.onnx") == "en_US-joe-medium"
    assert public_voice("en-us+f3") == "en-us+f3"


def test_the_feed_meets_what_podcast_directories_require(tmp_path: Path) -> None:
    # issue 15: raw markup and double-escaped entities in descriptions; no artwork, owner, self link, podcast:guid
    # or podcast:locked on the channel. Checked against Apple Podcasts' and the Podcast Index's published rules.
    from lxml import etree
    from PIL import Image

    stories = {
        "one.md": ("Harbour plan", "Jane Roe", "Politics", "The team&amp;#8217;s plan [<a class='read-more' href='/x'>more</a>]"),
        "two.md": ("Tram line opens", "John Doe", "Transport", "Riders &lt;b&gt;cheered&lt;/b&gt; the first tram."),
        "three.md": ("Budget passed", "Jane Roe", "Politics", "A long night at the council."),
    }
    for name, (title, author, section, description) in stories.items():
        front = f'---\nauthor: {author}\nsection: {section}\ndescription: "{description}"\nurl: https://news.example/{name[:-3]}\n---\n'
        (tmp_path / name).write_text(f"{front}# {title}\n\n{title} was reported today. More follows.\n", encoding="utf-8")
    out = tmp_path / "site"
    convert("--engine", "tone", *(str(tmp_path / n) for n in stories), "-o", str(out))
    args = ["feed", str(out), "--base-url", "https://cdn.example/audio", "--title", "Example News Audio", "--email", "audio@news.example",
            "--by", "author"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    ns = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": "https://podcastindex.org/namespace/1.0",
          "atom": "http://www.w3.org/2005/Atom"}  # fmt: skip
    root = etree.fromstring((out / "feed.xml").read_bytes())
    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    for tag in ("title", "link", "description", "language"):
        assert (channel.findtext(tag) or "").strip(), tag
    assert channel.find("itunes:category", ns).get("text") and channel.findtext("itunes:explicit", namespaces=ns) in {
        "no",
        "false",
        "true",
        "yes",
    }
    assert (
        channel.findtext("itunes:author", namespaces=ns)
        and channel.findtext("itunes:owner/itunes:email", namespaces=ns) == "audio@news.example"
    )
    assert channel.find("atom:link[@rel='self']", ns).get("href") == "https://cdn.example/audio/feed.xml"
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", channel.findtext("podcast:guid", namespaces=ns))
    assert channel.findtext("podcast:locked", namespaces=ns) == "yes"
    # artwork: a square JPEG or PNG of 1400 to 3000 pixels, made from the title when none is given
    artwork = channel.find("itunes:image", ns).get("href")
    assert artwork == "https://cdn.example/audio/feed-cover.png"
    with Image.open(out / "feed-cover.png") as cover:
        assert cover.format == "PNG" and cover.mode == "RGB" and cover.size[0] == cover.size[1] and 1400 <= cover.size[0] <= 3000
    items = channel.findall("item")
    assert len(items) == 3
    for item in items:
        assert item.findtext("title") and item.findtext("guid") and item.findtext("pubDate")
        enclosure = item.find("enclosure")
        assert enclosure.get("type") == "audio/mpeg" and int(enclosure.get("length")) > 0 and enclosure.get("url").startswith("https://")
        assert re.fullmatch(r"\d\d:\d\d:\d\d", item.findtext("itunes:duration", namespaces=ns))
        text = item.findtext("description")
        assert "<" not in text and "&" not in text and "more]" not in text, text
    descriptions = " ".join(item.findtext("description") for item in items)
    assert "The team\u2019s plan" in descriptions and "Riders cheered the first tram." in descriptions
    # one feed per author beside the main one
    jane = etree.fromstring((out / "feed-author-jane-roe.xml").read_bytes()).find("channel")
    assert jane.findtext("title") == "Example News Audio: Jane Roe" and len(jane.findall("item")) == 2
    assert jane.find("atom:link[@rel='self']", ns).get("href") == "https://cdn.example/audio/feed-author-jane-roe.xml"
    assert jane.findtext("podcast:guid", namespaces=ns) != channel.findtext("podcast:guid", namespaces=ns)
    assert len(etree.fromstring((out / "feed-author-john-doe.xml").read_bytes()).find("channel").findall("item")) == 1
    by_section = CliRunner().invoke(cli, [*args[:-1], "section"])
    assert by_section.exit_code == 0 and (out / "feed-section-politics.xml").is_file() and (out / "feed-section-transport.xml").is_file()


def test_a_renarrated_story_stays_the_same_episode_with_new_audio(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text("---\nurl: https://news.example/story\n---\n# Budget\n\nThe council met. It agreed.\n", encoding="utf-8")
    out = tmp_path / "site"
    feed_args = ["feed", str(out), "--base-url", "https://cdn.example/a", "--title", "T"]

    def item() -> tuple[str, str]:
        assert CliRunner().invoke(cli, feed_args).exit_code == 0
        entry = feedparser.parse((out / "feed.xml").read_bytes()).entries[0]
        return entry.id, entry.enclosures[0].href

    convert("--engine", "tone", str(story), "-o", str(out))
    guid, enclosure = item()
    story.write_text("---\nurl: https://news.example/story\n---\n# Budget\n\nThe council met. It agreed, late.\n", encoding="utf-8")
    convert("--engine", "tone", str(story), "-o", str(out))
    new_guid, new_enclosure = item()
    assert new_guid == guid and new_enclosure != enclosure and new_enclosure.split("?")[0] == enclosure.split("?")[0]
    assert "<dcterms:modified>" in (out / "feed.xml").read_text()
