"""The read-along player in a real browser (system Chromium driven by Playwright), opened from disk and served."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from articleaudio.cli import cli

from .conftest import SAMPLE

# `make test` installs Debian's chromium; a missing browser fails these tests rather than skipping them.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
SLUG = "wang-yi-tells-blinken-china-does-not-help-russias-war-effort"
SECOND = "# Bridge closes for repairs\n\nThe old bridge closes on Monday for three weeks of repairs to its deck.\n"
AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with byte ranges, as any web server serving audio offers (seeking needs them)."""

    def send_head(self):  # type: ignore[no-untyped-def]
        header = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        if not header or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start_text, _, end_text = header.removeprefix("bytes=").partition("-")
        start = int(start_text or 0)
        end = min(int(end_text) if end_text else size - 1, size - 1)
        handle = path.open("rb")
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.range_left = end - start + 1
        return handle

    def copyfile(self, source, outputfile):  # type: ignore[no-untyped-def]
        left = getattr(self, "range_left", None)
        if left is None:
            return super().copyfile(source, outputfile)
        while left > 0:
            chunk = source.read(min(65536, left))
            if not chunk:
                break
            outputfile.write(chunk)
            left -= len(chunk)
        return None

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def narration(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("player")
    result = CliRunner().invoke(cli, ["convert", "--engine", "espeak", "-q", str(SAMPLE), "-o", str(folder)])
    assert result.exit_code == 0, result.output
    # a second episode, from the default engine (whose word times come from espeak-ng's word events)
    second = folder / "second-story.md"
    second.write_text(SECOND, encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "-q", str(second), "-o", str(folder)])
    assert result.exit_code == 0, result.output
    second.unlink()
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield instance
        instance.close()


@contextmanager
def _serving(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 for as long as the block runs; its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def served(narration: Path) -> Iterator[str]:
    with _serving(narration) as url:
        yield url


def _cues(narration: Path) -> list[dict]:
    return json.loads((narration / f"{SLUG}.json").read_text(encoding="utf-8"))["sentences"]


def _open(browser: object, url: str, reduced: bool = False) -> tuple[object, list[str]]:
    context = browser.new_context(reduced_motion="reduce" if reduced else "no-preference")  # type: ignore[attr-defined]
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_function("document.getElementById('aa-audio').readyState >= 1", timeout=15000)
    return page, requests


def _seek_and_read(page: object, seconds: float, expected: str) -> str:
    """Seek, give the page up to 5 s to move its highlight to ``expected``, and report where it is."""
    page.evaluate(f"(() => {{ const a = document.getElementById('aa-audio'); a.currentTime = {seconds}; }})()")  # type: ignore[attr-defined]
    page.wait_for_function(f"Math.abs(document.getElementById('aa-audio').currentTime - {seconds}) < 0.05", timeout=10000)  # type: ignore[attr-defined]
    highlighted = "document.querySelector('.aa-s.aa-current') ? document.querySelector('.aa-s.aa-current').id : ''"
    try:
        page.wait_for_function(f"({highlighted}) === {expected!r}", timeout=5000)  # type: ignore[attr-defined]
    except Exception:  # the assertion below reports what was highlighted instead
        pass
    return page.evaluate(highlighted)  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("where", ["disk", "served"])
def test_highlight_follows_the_audio(browser: object, narration: Path, served: str, where: str) -> None:
    url = (narration / f"{SLUG}.html").as_uri() if where == "disk" else f"{served}/{SLUG}.html"
    page, requests = _open(browser, url)
    cues = _cues(narration)
    duration = page.evaluate("document.getElementById('aa-audio').duration")  # type: ignore[attr-defined]
    assert abs(duration * 1000 - cues[-1]["end_ms"]) < 1500
    for cue in (cues[1], cues[6], cues[12], cues[-1]):
        middle = (cue["start_ms"] + cue["end_ms"]) / 2000
        assert _seek_and_read(page, middle, cue["id"]) == cue["id"]
    # In the pause after a sentence, that sentence stays highlighted until the next begins.
    gap = (cues[5]["end_ms"] + cues[6]["start_ms"]) / 2000
    assert _seek_and_read(page, gap, cues[5]["id"]) == cues[5]["id"]
    origin = "file://" if where == "disk" else served
    assert all(r.startswith(origin) for r in requests), [r for r in requests if not r.startswith(origin)]
    page.context.close()  # type: ignore[attr-defined]


def test_click_and_keyboard_seek_and_playback_advances(browser: object, narration: Path, served: str) -> None:
    page, _ = _open(browser, f"{served}/{SLUG}.html")
    cues = _cues(narration)
    page.click(f"#{cues[8]['id']}")  # type: ignore[attr-defined]
    page.wait_for_function("!document.getElementById('aa-audio').paused", timeout=10000)  # type: ignore[attr-defined]
    start = cues[8]["start_ms"] / 1000
    page.wait_for_function(f"document.getElementById('aa-audio').currentTime > {start + 0.5}", timeout=10000)  # type: ignore[attr-defined]
    assert page.evaluate("document.body.dataset.currentSentence") == cues[8]["id"]  # type: ignore[attr-defined]
    page.evaluate("document.getElementById('aa-audio').pause()")  # type: ignore[attr-defined]
    page.focus(f"#{cues[3]['id']}")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    position = page.evaluate("document.getElementById('aa-audio').currentTime")  # type: ignore[attr-defined]
    assert abs(position - cues[3]["start_ms"] / 1000) < 0.3
    assert page.get_attribute(f"#{cues[3]['id']}", "aria-current") == "true"  # type: ignore[attr-defined]
    assert page.get_attribute(f"#{cues[3]['id']}", "tabindex") == "0"  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


def test_reduced_motion_turns_transitions_off(browser: object, narration: Path) -> None:
    page, _ = _open(browser, (narration / f"{SLUG}.html").as_uri(), reduced=True)
    transition = page.evaluate("getComputedStyle(document.querySelector('.aa-s')).transitionDuration")  # type: ignore[attr-defined]
    assert transition == "0s"
    page.context.close()  # type: ignore[attr-defined]
    page, _ = _open(browser, (narration / f"{SLUG}.html").as_uri(), reduced=False)
    assert page.evaluate("getComputedStyle(document.querySelector('.aa-s')).transitionDuration") == "0.2s"  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


def _axe(page: object) -> list[str]:
    """axe-core's violations on the page (rule id and how many elements break it)."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    return page.evaluate(  # type: ignore[attr-defined, no-any-return]
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => v.id + ': '"
        " + v.nodes.map(n => n.target.join(' ') + ' (' + n.failureSummary + ')').join('; ')))"
    )


def _page(context: object, url: str) -> object:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(url)
    page.wait_for_function("document.getElementById('aa-audio').readyState >= 1", timeout=15000)
    return page


def _time(page: object) -> float:
    return page.evaluate("document.getElementById('aa-audio').currentTime")  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_player_has_no_accessibility_violations(browser: object, served: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)  # type: ignore[attr-defined]
    page = _page(context, f"{served}/{SLUG}.html")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")  # type: ignore[attr-defined]
    # with a sentence and a word highlighted and a chapter marked, as while listening
    page.evaluate("document.getElementById('aa-audio').currentTime = 12")  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('.aa-w.aa-word') !== null", timeout=5000)  # type: ignore[attr-defined]
    assert _axe(page) == []
    context.close()  # type: ignore[attr-defined]


def test_speed_is_labelled_and_remembered_across_episodes(browser: object, served: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = _page(context, f"{served}/{SLUG}.html")
    speed = page.locator("select[aria-label]")  # type: ignore[attr-defined]
    assert "speed" in speed.get_attribute("aria-label").lower()
    assert speed.evaluate("s => [...s.options].map(o => Number(o.value))") == [0.75, 1, 1.25, 1.5, 1.75, 2]
    speed.select_option("1.5")
    assert page.evaluate("document.getElementById('aa-audio').playbackRate") == 1.5  # type: ignore[attr-defined]
    other = _page(context, f"{served}/bridge-closes-for-repairs.html")
    assert other.evaluate("document.getElementById('aa-audio').playbackRate") == 1.5  # type: ignore[attr-defined]
    assert other.locator("select[aria-label]").input_value() == "1.5"  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]


def test_the_player_resumes_where_the_listener_left_off(browser: object, served: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = _page(context, f"{served}/{SLUG}.html")
    assert page.is_hidden("#aa-resumed")  # type: ignore[attr-defined]
    page.evaluate("(() => { const a = document.getElementById('aa-audio'); a.currentTime = 21.5; a.pause(); })()")  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    # the other episode keeps its own place
    other = _page(context, f"{served}/bridge-closes-for-repairs.html")
    assert _time(other) < 0.5 and other.is_hidden("#aa-resumed")  # type: ignore[attr-defined]
    page = _page(context, f"{served}/{SLUG}.html")
    page.wait_for_function("document.getElementById('aa-audio').currentTime > 21", timeout=5000)  # type: ignore[attr-defined]
    assert abs(_time(page) - 21.5) < 0.2
    assert page.is_visible("#aa-resumed") and "0:21" in page.inner_text("#aa-resumed")  # type: ignore[attr-defined]
    page.click("#aa-restart")  # type: ignore[attr-defined]
    assert _time(page) < 1.0
    page.evaluate("document.getElementById('aa-audio').pause()")  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    page = _page(context, f"{served}/{SLUG}.html")
    assert _time(page) < 1.0 and page.is_hidden("#aa-resumed")  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]


def test_chapters_skips_and_keys(browser: object, narration: Path, served: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = _page(context, f"{served}/{SLUG}.html")
    chapters = json.loads((narration / f"{SLUG}.json").read_text(encoding="utf-8"))["chapters"]
    assert len(chapters) >= 2
    buttons = page.locator("nav.aa-chapters button")  # type: ignore[attr-defined]
    assert buttons.count() == len(chapters)
    assert buttons.nth(1).inner_text().startswith(chapters[1]["title"])
    buttons.nth(1).click()
    assert abs(_time(page) - chapters[1]["start_ms"] / 1000) < 0.3
    page.wait_for_function("document.querySelectorAll('nav.aa-chapters button')[1].getAttribute('aria-current') === 'true'")  # type: ignore[attr-defined]
    assert buttons.nth(0).get_attribute("aria-current") is None
    page.evaluate("(() => { const a = document.getElementById('aa-audio'); a.pause(); a.currentTime = 40; })()")  # type: ignore[attr-defined]
    page.click("#aa-forward")  # type: ignore[attr-defined]
    assert abs(_time(page) - 70) < 0.3
    page.click("#aa-back")  # type: ignore[attr-defined]
    assert abs(_time(page) - 55) < 0.3
    # keys, with nothing focused: arrows skip, space plays and pauses
    page.evaluate("document.activeElement.blur()")  # type: ignore[attr-defined]
    page.keyboard.press("ArrowLeft")  # type: ignore[attr-defined]
    assert abs(_time(page) - 40) < 0.3
    page.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    assert abs(_time(page) - 70) < 0.3
    page.keyboard.press(" ")  # type: ignore[attr-defined]
    page.wait_for_function("!document.getElementById('aa-audio').paused", timeout=5000)  # type: ignore[attr-defined]
    page.keyboard.press(" ")  # type: ignore[attr-defined]
    page.wait_for_function("document.getElementById('aa-audio').paused", timeout=5000)  # type: ignore[attr-defined]
    # the page's own fields keep their keys
    page.evaluate("(() => { const i = document.createElement('input'); i.id = 'field'; document.body.prepend(i); })()")  # type: ignore[attr-defined]
    before = _time(page)
    page.focus("#field")  # type: ignore[attr-defined]
    page.keyboard.press("ArrowLeft")  # type: ignore[attr-defined]
    page.keyboard.press(" ")  # type: ignore[attr-defined]
    assert page.input_value("#field") == " " and abs(_time(page) - before) < 0.01  # type: ignore[attr-defined]
    assert page.evaluate("document.getElementById('aa-audio').paused")  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("slug", [SLUG, "bridge-closes-for-repairs"])
def test_the_word_being_said_is_highlighted(browser: object, narration: Path, served: str, slug: str) -> None:
    context = browser.new_context(reduced_motion="reduce")  # type: ignore[attr-defined]
    page = _page(context, f"{served}/{slug}.html")
    sentences = json.loads((narration / f"{slug}.json").read_text(encoding="utf-8"))["sentences"]
    sentence = next(s for s in sentences if s["kind"] == "body")
    for number in (1, 3, len(sentence["words"])):
        word = sentence["words"][number - 1]
        seconds = (word["start_ms"] + word["end_ms"]) / 2000
        page.evaluate(f"document.getElementById('aa-audio').currentTime = {seconds}")  # type: ignore[attr-defined]
        expected = f"{sentence['id']}.{number}"
        page.wait_for_function(f"document.body.dataset.currentWord === {expected!r}", timeout=5000)  # type: ignore[attr-defined]
        assert page.inner_text(".aa-w.aa-word") == word["text"]  # type: ignore[attr-defined]
    # reduced motion: the word highlight does not animate
    assert page.evaluate("getComputedStyle(document.querySelector('.aa-w.aa-word')).transitionDuration") == "0s"  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]


HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Local news</title>
<style>button { color: rgb(200, 0, 0); } p { margin: 0; }</style>
<script>var play = "the page's own"; var clicks = 0; document.addEventListener("click", function () { clicks += 1; });</script>
</head><body><main><h1>Local news</h1><button type="button" id="own">The page's own button</button>
<article><h2>First story</h2>WIDGET1<p>The story's text.</p></article>
<article><h2>Second story</h2>WIDGET2<p>Another story's text.</p></article></main></body></html>"""


@pytest.fixture
def host(narration: Path, served: str, tmp_path: Path) -> Iterator[str]:
    """A publisher's page on its own origin, with two widgets whose files are served from ``served``."""
    widgets = []
    for stem in (SLUG, "bridge-closes-for-repairs"):
        result = CliRunner().invoke(cli, ["embed", str(narration / stem), "--base-url", f"{served}/"])
        assert result.exit_code == 0, result.output
        widgets.append(result.output)
    (tmp_path / "index.html").write_text(HOST_PAGE.replace("WIDGET1", widgets[0]).replace("WIDGET2", widgets[1]), encoding="utf-8")
    with _serving(tmp_path) as url:
        yield url


def _widget(page: object, number: int, selector: str) -> object:
    return page.locator(".articleaudio-widget").nth(number).locator(selector)  # type: ignore[attr-defined]


def _audio(page: object, number: int, expression: str) -> object:
    return page.evaluate(f"document.querySelectorAll('.articleaudio-widget audio')[{number}].{expression}")  # type: ignore[attr-defined]


def test_the_widget_plays_beside_the_story_and_leaves_the_page_alone(browser: object, narration: Path, served: str, host: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{host}/index.html")
    page.wait_for_function("[...document.querySelectorAll('.articleaudio-widget audio')].every(a => a.readyState >= 1)", timeout=15000)
    assert page.evaluate("[...document.querySelectorAll('.articleaudio-widget')].every(w => w.shadowRoot !== null)")
    play = _widget(page, 0, "button[aria-label]").first
    assert "play" in play.get_attribute("aria-label").lower()
    play.click()
    page.wait_for_function("document.querySelectorAll('.articleaudio-widget audio')[0].currentTime > 0.5", timeout=10000)
    assert _audio(page, 1, "paused") is True and _audio(page, 1, "currentTime") == 0
    assert "pause" in play.get_attribute("aria-label").lower()
    play.click()
    assert _audio(page, 0, "paused") is True
    # the speed applies to its own widget only
    _widget(page, 0, "select[aria-label]").select_option("1.25")
    assert "speed" in _widget(page, 0, "select[aria-label]").get_attribute("aria-label").lower()
    assert _audio(page, 0, "playbackRate") == 1.25 and _audio(page, 1, "playbackRate") == 1
    # chapters from <stem>.chapters.json seek
    chapters = json.loads((narration / f"{SLUG}.chapters.json").read_text(encoding="utf-8"))["chapters"]
    buttons = _widget(page, 0, "ol button")
    assert buttons.count() == len(chapters) >= 2
    buttons.nth(1).click()
    assert abs(_audio(page, 0, "currentTime") - chapters[1]["startTime"]) < 0.3
    first = "document.querySelectorAll('.articleaudio-widget')[0].shadowRoot"
    page.wait_for_function(f"{first}.querySelectorAll('ol button')[1].getAttribute('aria-current') === 'true'")
    page.evaluate("document.querySelectorAll('.articleaudio-widget audio')[0].pause()")
    # the seek bar moves the audio, and shows the time
    seek = _widget(page, 0, "input[type=range]")
    seek.evaluate("s => { s.value = '20'; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }")
    assert abs(_audio(page, 0, "currentTime") - 20) < 0.3
    page.wait_for_function(f"{first}.querySelector('.time').textContent.startsWith('0:20 / ')")
    # transcript and download links point at the narration's own files
    links = _widget(page, 0, ".links a")
    assert links.nth(0).inner_text() == "Transcript" and links.nth(0).get_attribute("href") == f"{served}/{SLUG}.html"
    assert links.nth(1).get_attribute("download") is not None and links.nth(1).get_attribute("href") == f"{served}/{SLUG}.mp3"
    # the page's own styles and scripts are untouched, and its styles do not reach into the widget
    # the page still hears its clicks: play, pause and a chapter
    assert page.evaluate("play") == "the page's own" and page.evaluate("clicks") == 3
    assert page.evaluate("getComputedStyle(document.getElementById('own')).color") == "rgb(200, 0, 0)"
    assert play.evaluate("b => getComputedStyle(b).color") != "rgb(200, 0, 0)"
    # no request anywhere but the page's origin and the narration's files
    allowed = (f"{host}/", f"{served}/bridge-closes-for-repairs.", f"{served}/{SLUG}.")
    assert all(r.startswith(allowed) for r in requests), requests
    assert any(r.endswith(".mp3") for r in requests)
    context.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_widget_has_no_accessibility_violations(browser: object, host: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)  # type: ignore[attr-defined]
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{host}/index.html")
    page.wait_for_function("[...document.querySelectorAll('.articleaudio-widget')].every(w => w.shadowRoot !== null)", timeout=15000)
    assert _axe(page) == []
    context.close()  # type: ignore[attr-defined]


def test_the_widget_without_javascript_is_the_audio_element_with_captions(browser: object, served: str, host: str) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{host}/index.html")
    audio = page.locator(".articleaudio-widget audio").first
    assert audio.is_visible() and audio.get_attribute("controls") is not None
    assert audio.locator("track").get_attribute("src") == f"{served}/{SLUG}.vtt"
    assert page.locator(".articleaudio-widget").first.locator("a[download]").is_visible()
    assert page.evaluate("document.querySelector('.articleaudio-widget').shadowRoot") is None
    context.close()  # type: ignore[attr-defined]
