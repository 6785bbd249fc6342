"""The read-along player in a real browser (system Chromium driven by Playwright), opened from disk and served."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
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


@pytest.fixture
def served(narration: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(narration)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


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
