"""Watching feeds: a local server on 127.0.0.1 whose feed and pages change between polls."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from articleaudio.cli import cli
from articleaudio.watch import WatchError, parse_feed, watch_lock

from .conftest import LocalServer

PARAGRAPHS = {
    "harbour": ["The harbour plan was approved by the council on Tuesday evening.", "Work on the new quay starts in spring."],
    "tram": ["The new tram line opened to riders on Monday morning.", "Trams run every ten minutes until midnight."],
    "school": ["The school on Mill Road will get a new roof this summer.", "Pupils move to the annex for six weeks."],
}


class Site:
    """A news site whose feed and pages the test edits; it counts requests and answers conditional ones."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.stories = {"harbour": list(PARAGRAPHS["harbour"]), "tram": list(PARAGRAPHS["tram"])}
        self.requests: dict[str, int] = {}
        self.feed_status = 200
        self.feed_headers: dict[str, str] = {}
        self.feed_body: bytes | None = None
        for slug in PARAGRAPHS:
            server.routes[f"/news/{slug}.html"] = self._page(slug)
        server.routes["/feed.xml"] = self._feed

    def _count(self, path: str) -> None:
        self.requests[path] = self.requests.get(path, 0) + 1

    def _rss(self) -> bytes:
        items = "".join(
            f"<item><title>{slug.title()} news</title><link>{self.server.base}/news/{slug}.html</link>"
            f"<guid>{self.server.base}/news/{slug}.html</guid>"
            f"<pubDate>{format_datetime(datetime(2026, 11, 20 + n, tzinfo=UTC))}</pubDate></item>"
            for n, slug in enumerate(self.stories)
        )
        head = f"<title>Example Gazette</title><link>{self.server.base}</link><description>News</description>"
        return f"<?xml version='1.0'?><rss version='2.0'><channel>{head}{items}</channel></rss>".encode()

    def _feed(self, handler: BaseHTTPRequestHandler) -> None:
        self._count("/feed.xml")
        body = self.feed_body if self.feed_body is not None else self._rss()
        etag = '"' + str(abs(hash(body))) + '"'
        if self.feed_status == 200 and handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return
        handler.send_response(self.feed_status)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("ETag", etag)
        for key, value in self.feed_headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _page(self, slug: str):  # type: ignore[no-untyped-def]
        def route(handler: BaseHTTPRequestHandler) -> None:
            self._count(f"/news/{slug}.html")
            if slug not in self.stories:
                handler.send_error(404, "Not Found")
                return
            body = "".join(f"<p>{p}</p>" for p in self.stories[slug])
            page = (f"<html lang='en'><head><title>{slug.title()} news</title>"
                    f"<link rel='canonical' href='{self.server.base}/news/{slug}.html'>"
                    f"</head><body><article><h1>{slug.title()} news</h1>{body}</article></body></html>").encode()  # fmt: skip
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(len(page)))
            handler.end_headers()
            handler.wfile.write(page)

        return route


def _watch(site: Site, out: Path, *extra: str, feeds: list[str] | None = None) -> tuple[int, str, dict]:  # type: ignore[type-arg]
    args = ["watch", *(feeds or [site.server.base + "/feed.xml"]), "-o", str(out), "--base-url", "https://cdn.example/audio",
            "--once", "--engine", "tone", "--page-delay", "0", *extra]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    report = json.loads((out / "articleaudio-report.json").read_text()) if (out / "articleaudio-report.json").exists() else {}
    return result.exit_code, result.output, report


def _statuses(report: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {item["source"].rsplit("/", 1)[-1]: item["status"] for item in report.get("items", [])}


def test_new_changed_and_removed_stories_across_polls(server: LocalServer, tmp_path: Path) -> None:
    site = Site(server)
    out = tmp_path / "site"
    code, output, report = _watch(site, out)
    assert code == 0, output
    assert _statuses(report) == {"harbour.html": "converted", "tram.html": "converted"}
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.feed.title == "Example Gazette" and len(feed.entries) == 2
    guids = {e.link: e.id for e in feed.entries}
    # unchanged feed: a conditional request answered 304, and no page is fetched again
    pages_before = site.requests["/news/harbour.html"]
    code, output, report = _watch(site, out)
    assert code == 0 and "not modified" in output and _statuses(report) == {}
    assert site.requests["/news/harbour.html"] == pages_before
    # one paragraph edited, one story added, one removed from the feed
    site.stories["harbour"][1] = "Work on the new quay starts in the autumn instead."
    site.stories["school"] = list(PARAGRAPHS["school"])
    del site.stories["tram"]
    code, output, report = _watch(site, out)
    assert code == 0, output
    assert _statuses(report) == {"harbour.html": "updated", "school.html": "converted"}
    harbour = next(i for i in report["items"] if i["source"].endswith("harbour.html"))
    assert harbour["synthesized"] == 1 and harbour["cached"] >= 3  # only the edited sentence is spoken again
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert len(feed.entries) == 3  # the removed story stays in our feed
    assert {e.link: e.id for e in feed.entries if e.link in guids} == guids  # the updated story keeps its guid
    assert len(list(out.glob("*.mp3"))) == 3
    # the folder is published: neither the report nor the state names the machine's folders
    for kept in (out / "articleaudio-report.json", out / ".articleaudio-watch.sqlite"):
        assert str(tmp_path).encode() not in kept.read_bytes(), kept.name
    # a changed feed (its ETag too): the story whose text is the same is left alone, the edited one narrated again
    site.stories["school"].append("The annex has a new playground.")
    site.feed_body = site._rss() + b"\n"
    code, output, report = _watch(site, out)
    assert _statuses(report) == {"harbour.html": "up to date", "school.html": "updated"}


def test_a_polite_client(server: LocalServer, tmp_path: Path) -> None:
    site = Site(server)
    out = tmp_path / "site"

    # a permanent redirect is followed, and remembered
    def moved(handler: BaseHTTPRequestHandler) -> None:
        site._count("/old-feed")
        handler.send_response(301)
        handler.send_header("Location", "/feed.xml")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server.routes["/old-feed"] = moved
    feeds = [server.base + "/old-feed"]
    assert _watch(site, out, feeds=feeds)[0] == 0
    site.stories["school"] = list(PARAGRAPHS["school"])
    assert _watch(site, out, feeds=feeds)[0] == 0
    assert site.requests["/old-feed"] == 1 and site.requests["/feed.xml"] == 2
    # 429 with Retry-After: not asked again before the time it gave
    site.feed_status, site.feed_headers = 429, {"Retry-After": "3600"}
    code, output, _ = _watch(site, out, feeds=feeds)
    assert code == 0 and "HTTP 429; asked again in 3600 s" in output
    asked = site.requests["/feed.xml"]
    code, output, _ = _watch(site, out, feeds=feeds)
    assert site.requests["/feed.xml"] == asked and "asked to wait until" in output
    # 410: gone, never asked again
    out2 = tmp_path / "site2"
    site.feed_status, site.feed_headers = 410, {}
    assert _watch(site, out2)[0] == 0
    asked = site.requests["/feed.xml"]
    code, output, _ = _watch(site, out2)
    assert site.requests["/feed.xml"] == asked and "gone (HTTP 410)" in output


def test_a_failing_feed_or_page_never_stops_the_others(server: LocalServer, tmp_path: Path) -> None:
    site = Site(server)
    server.add("/broken.xml", b"<html><body>This is a web page, not a feed.</body></html>", "text/html")
    out = tmp_path / "site"
    site.feed_body = site._rss().replace(
        b"</channel>", f"<item><title>Gone</title><link>{server.base}/news/missing.html</link></item></channel>".encode()
    )
    code, output, report = _watch(site, out, feeds=[server.base + "/broken.xml", server.base + "/feed.xml"])
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("articleaudio: error:")]
    assert len(errors) == 2
    assert any("/broken.xml" in e and "is not a feed" in e for e in errors)
    assert any("/news/missing.html" in e and "404" in e for e in errors)
    statuses = _statuses(report)
    assert statuses["harbour.html"] == "converted" and statuses["tram.html"] == "converted" and statuses["missing.html"] == "failed"
    # the failed page is tried again only after a growing delay
    with sqlite3.connect(out / ".articleaudio-watch.sqlite") as state:
        failures, next_try = state.execute("select failures, next_try from items where url like '%missing.html'").fetchone()
    assert failures == 1 and next_try > datetime.now(tz=UTC).timestamp() + 30
    site.feed_body = site.feed_body + b" "  # the feed changes, the failed item is still listed
    _watch(site, out, feeds=[server.base + "/feed.xml"])
    with sqlite3.connect(out / ".articleaudio-watch.sqlite") as state:
        assert state.execute("select failures from items where url like '%missing.html'").fetchone()[0] == 1  # not fetched again


def test_a_second_watcher_on_the_folder_stops_with_one_line(tmp_path: Path) -> None:
    with watch_lock(tmp_path):
        result = CliRunner().invoke(cli, ["watch", "http://127.0.0.1:9/feed.xml", "-o", str(tmp_path), "--base-url", "https://x", "--once"])
    assert result.exit_code != 0 and "another watcher is working on this folder" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_feed_formats_and_bombs() -> None:
    atom = b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>A</title><entry><id>urn:1</id><title>One</title><link href='https://n.example/1'/><updated>2026-11-30T10:00:00Z</updated></entry></feed>"
    title, items, _ = parse_feed(atom, "atom")
    assert title == "A" and [(i.id, i.url, i.published[:10]) for i in items] == [("urn:1", "https://n.example/1", "2026-11-30")]
    jsonfeed = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "J",
            "items": [{"id": "7", "url": "https://n.example/7", "title": "Seven"}],
        }
    ).encode()
    assert [(i.id, i.title) for i in parse_feed(jsonfeed, "json")[1]] == [("7", "Seven")]
    news = (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>"
            b"<url><loc>https://n.example/a</loc><news:news><news:publication_date>2026-11-29</news:publication_date>"
            b"<news:title>Alpha</news:title></news:news></url></urlset>")  # fmt: skip
    assert [(i.url, i.title, i.published) for i in parse_feed(news, "sitemap")[1]] == [("https://n.example/a", "Alpha", "2026-11-29")]
    index = b"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><sitemap><loc>https://n.example/s1.xml</loc></sitemap></sitemapindex>"
    assert parse_feed(index, "index")[2] == ["https://n.example/s1.xml"]
    bomb = (
        b"<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
        b"<rss version='2.0'><channel><title>&b;</title></channel></rss>"
    )
    with pytest.raises(WatchError, match="declares XML entities"):
        parse_feed(bomb, "bomb")
    huge = (
        b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        + b"<url><loc>https://n.example/x</loc></url>" * 50_001
        + b"</urlset>"
    )
    with pytest.raises(WatchError, match="over the 50,000"):
        parse_feed(huge, "huge")
    with pytest.raises(WatchError, match="is not a feed"):
        parse_feed(b"<html><body><p>Hello</p></body></html>", "page")
