"""Shared fixtures: a local web server, paths to the sample, and audio readers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-article.html"
SEED_PARAGRAPHS = [
    "China's Foreign Minister Wang Yi told U.S. Secretary of State Antony Blinken on July 27",
    "During their meeting in Laos, Wang Yi also emphasized",
    "The two diplomats met on the sidelines of a meeting of the Association of Southeast Asian Nations (ASEAN).",
    "China's already robust economic, diplomatic, and military ties with Russia",
    "China has accused the United States and other Western nations",
    'NATO has labeled Beijing a "decisive enabler" of the conflict.',
    "The U.S. has imposed sanctions on Chinese companies",
    '"The U.S. should stop indiscriminate unilateral sanctions',
    '"China is opposed to being smeared',
    "China has never condemned Russia's invasion of Ukraine",
    "“China’s position on the Ukrainian issue is candid".replace("“", '"'),
]
CLUTTER = [
    "become a member",
    "Gift membership",
    "Skip to content",
    "Photo for illustrative purposes",
    "Sergei Ilnitskii",
    "created with AI assistance",
    "taking measures",
    "Millions read the Kyiv Independent",
    "News Feed",
    "Crimean Tatar",
    "Ali Charinskiy",
    "MORE NEWS",
    "Editors' Picks",
    "indicates required",
    "Subscribe",
    "Explaining Ukraine",
    "confirmation email",
    "visa masterCard",
]


def pytest_configure(config: pytest.Config) -> None:
    # The CLI re-raises unexpected exceptions under tests instead of hiding them.
    sys._called_from_test = True  # type: ignore[attr-defined]


# Environment variables through which a developer's own set-up could reach a test.
_USER_VARIABLES = (
    "ARTICLEAUDIO_CONFIG_DIR",
    "ARTICLEAUDIO_CACHE_DIR",
    "ARTICLEAUDIO_ENGINE",
    "ARTICLEAUDIO_LEXICON",
    "ARTICLEAUDIO_CLUSTER",
)


@pytest.fixture(scope="session", autouse=True)
def isolated_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty config folder and clip cache for the whole run, set before any fixture of any scope runs.

    Module-scoped fixtures (a conversion shared by a module's tests) run before function-scoped ones,
    so the per-test isolation below comes too late for them; this one comes first.
    """
    home = tmp_path_factory.mktemp("session-home")
    saved = {name: os.environ.get(name) for name in _USER_VARIABLES}
    for name in _USER_VARIABLES:
        os.environ.pop(name, None)
    os.environ["ARTICLEAUDIO_CONFIG_DIR"] = str(home / "config")
    os.environ["ARTICLEAUDIO_CACHE_DIR"] = str(home / "clip-cache")
    (home / "config").mkdir()
    try:
        yield home
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def line_events(call: Callable[[], object]) -> int:
    """How many lines of articleaudio's own code ``call`` executes: a measure of work that a loaded machine cannot change."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Callable[..., object] | None:
        nonlocal count
        if "articleaudio" not in frame.f_code.co_filename:
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty config folder: a developer's own settings never leak in."""
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("ARTICLEAUDIO_CONFIG_DIR", str(folder))
    monkeypatch.setenv("ARTICLEAUDIO_CACHE_DIR", str(tmp_path / "clip-cache"))
    return folder


Route = Callable[[BaseHTTPRequestHandler], None]


class LocalServer:
    """An HTTP server on 127.0.0.1 whose routes the test declares."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                route(self)

            def log_message(self, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(
        self,
        path: str,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> str:
        def route(handler: BaseHTTPRequestHandler) -> None:
            if delay:
                time.sleep(delay)
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                handler.send_header(key, value)
            handler.end_headers()
            try:
                handler.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        self.routes[path] = route
        return self.base + path

    def redirect(self, path: str, to: str) -> str:
        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(302)
            handler.send_header("Location", to)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = route
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    try:
        yield srv
    finally:
        srv.close()


def decode_mp3(path: Path | str) -> tuple[np.ndarray, int]:
    """Decode an MP3 with ffmpeg (independent of our encoder) into mono int16 samples."""
    rate = int(probe(path)["streams"][0]["sample_rate"])
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(out, dtype="<i2"), rate


def probe(path: Path | str) -> dict:
    """ffprobe's view of a media file, chapters included."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def ebur128(path: Path | str) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's EBU R128 filter measures them."""
    err = subprocess.run(
        ["ffmpeg", "-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True, check=True
    ).stderr
    summary = err[err.rindex("Summary:") :]
    lufs = float(summary.split("I:")[1].split("LUFS")[0])
    peak = float(summary.split("Peak:")[1].split("dBFS")[0])
    return lufs, peak
