"""Loading sources: files, stdin, and URLs from a local server (no test reaches the internet)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from articleaudio.errors import SourceError
from articleaudio.settings import Settings
from articleaudio.source.load import load_source

from .conftest import SAMPLE, LocalServer


def test_html_file_is_html() -> None:
    assert load_source(str(SAMPLE)).kind == "html"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (None, "missing.html", "no such file"),
        (b"", "empty.txt", "is empty"),
        (b"   \n\n", "blank.txt", "is empty"),
        (b"\x00\x01\x02binary\x00", "blob.txt", "binary file"),
        (b"%PDF-1.7\n...", "doc.html", "binary file"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes | None, name: str, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        load_source(str(path))
    assert str(path) in str(info.value)


def test_file_over_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    with pytest.raises(SourceError, match="over the 100-byte limit"):
        load_source(str(path), Settings(max_bytes=100))


def test_stdin_html_and_text_are_detected() -> None:
    assert load_source("-", stdin=io.BytesIO(b"<!doctype html><html><body><p>Hi</p></body></html>")).kind == "html"
    assert load_source("-", stdin=io.BytesIO(b"Just some words.\n")).kind == "text"


def test_url_is_fetched_with_its_charset(server: LocalServer) -> None:
    body = "<html><body><p>Привет, мир — это тест.</p></body></html>".encode("windows-1251")
    url = server.add("/ru", body, "text/html; charset=windows-1251")
    source = load_source(url)
    assert source.kind == "html" and source.url == url
    assert "Привет, мир" in source.text()


def test_meta_charset_is_used_when_the_header_has_none(server: LocalServer) -> None:
    body = '<html><head><meta charset="shift_jis"></head><body><p>日本語の記事です。</p></body></html>'.encode("shift_jis")
    url = server.add("/jp", body, "text/html")
    assert "日本語の記事です" in load_source(url).text()


def test_redirects_are_followed_up_to_five(server: LocalServer) -> None:
    final = server.add("/final", b"<html><body><p>ok</p></body></html>")
    server.redirect("/r1", final)
    assert load_source(server.base + "/r1").url == final
    target = final
    for i in range(6, 0, -1):
        target = server.redirect(f"/loop{i}", target)
    with pytest.raises(SourceError, match="more than 5 redirects"):
        load_source(server.base + "/loop1")


@pytest.mark.parametrize(
    ("path", "ctype", "status", "message"),
    [
        ("/missing", "text/html", 404, "HTTP 404"),
        ("/doc.pdf", "application/pdf", 200, "serves application/pdf, not HTML or text"),
        ("/photo", "image/jpeg", 200, "serves image/jpeg"),
    ],
)
def test_http_errors_and_wrong_types(server: LocalServer, path: str, ctype: str, status: int, message: str) -> None:
    url = server.add(path, b"%PDF-1.4 or JPEG bytes", ctype, status=status)
    with pytest.raises(SourceError, match=message) as info:
        load_source(url)
    assert url in str(info.value)


def test_page_over_the_size_cap(server: LocalServer) -> None:
    url = server.add("/big", b"<p>" + b"x" * 5000 + b"</p>")
    with pytest.raises(SourceError, match="over the 1,000-byte limit"):
        load_source(url, Settings(max_bytes=1000))


def test_slow_server_times_out(server: LocalServer) -> None:
    url = server.add("/slow", b"<p>late</p>", delay=3.0)
    with pytest.raises(SourceError, match="timed out"):
        load_source(url, Settings(timeout=1.0))


def test_connection_refused_is_one_clear_error() -> None:
    with pytest.raises(SourceError, match="cannot be fetched"):
        load_source("http://127.0.0.1:9/nothing-listens-here")
