"""Watching a site's feeds: every new story narrated, a changed one narrated again, the podcast feed kept current.

Feeds are RSS 2.0, Atom, JSON Feed or sitemaps (Google News sitemaps and sitemap indexes too). What the
watcher knows lives in the output folder, in a SQLite database (``.articleaudio-watch.sqlite``): each feed's
validators (ETag, Last-Modified), where it moved to and whether it is gone; each item's page, the hash of its
article text, its narration and its last error. A restarted watcher picks up where it stopped. It is a polite
client: conditional requests, ``Retry-After`` honoured on 429 and 503, a feed that answers 410 never asked
again, permanent redirects followed and remembered, and its page fetches spaced.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import io
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from .batch import run_batch, write_report
from .errors import ArticleAudioError
from .models import Source
from .settings import Settings
from .tasks import ItemResult

STATE_NAME = ".articleaudio-watch.sqlite"
LOCK_NAME = ".articleaudio-watch.lock"
# A sitemap holds at most 50,000 URLs and a sitemap index 50,000 sitemaps (sitemaps.org); we follow at most 50 of them.
MAX_ENTRIES = 50_000
MAX_CHILD_SITEMAPS = 50
# A failing item waits this long before its next try, doubled with each failure, up to a day.
FIRST_RETRY_SECONDS = 60.0
LONGEST_RETRY_SECONDS = 86_400.0
_USER_AGENT = "articleaudio-watch (+https://pypi.org/project/articleaudio/)"
_SCHEMA = """
create table if not exists feeds (url text primary key, location text, etag text, last_modified text,
    gone integer default 0, retry_at real default 0, title text, last_error text);
create table if not exists items (id text primary key, feed text, url text, title text, published text,
    text_sha256 text, mp3 text, status text, last_error text, failures integer default 0, next_try real default 0,
    first_seen real, updated real);
"""


@dataclass(frozen=True)
class FeedItem:
    """One story a feed lists."""

    id: str
    url: str
    title: str = ""
    published: str | None = None
    """ISO 8601 date-time, when the feed gives one."""


@dataclass(frozen=True)
class WatchOptions:
    """What bounds a poll."""

    max_items: int | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    since: str | None = None
    page_delay: float = 1.0
    """Seconds between two page fetches from one watcher."""


@dataclass(frozen=True)
class PollResult:
    """What one poll did."""

    items: list[ItemResult]
    feeds_checked: int
    synthesized: int


class WatchError(ArticleAudioError):
    """A feed that cannot be read."""


# --- the state -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def watch_lock(folder: Path, wait: bool = False) -> Iterator[None]:
    """Hold the folder's watcher lock; a second watcher waits for it (``wait``) or stops with a one-line error."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_NAME).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise WatchError("another watcher is working on this folder (pass --wait to wait for it)", str(folder)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_state(folder: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(folder / STATE_NAME)
    connection.row_factory = sqlite3.Row
    connection.executescript(_SCHEMA)
    return connection


# --- reading feeds -------------------------------------------------------------------------------------


def parse_feed(data: bytes, location: str) -> tuple[str, list[FeedItem], list[str]]:
    """The feed's title, its items and (for a sitemap index) the sitemaps it lists."""
    head = data[:2048].lstrip()
    if head.startswith(b"\x1f\x8b"):
        raise WatchError("is compressed; serve it uncompressed or as Content-Encoding: gzip", location)
    if re.search(rb"<!ENTITY", data[:65536], re.I):
        raise WatchError("declares XML entities, which a feed never needs (an entity bomb?)", location)
    if head.startswith((b"{", b"[")):
        return _json_feed(data, location)
    if re.search(rb"<(?:\w+:)?(?:urlset|sitemapindex)\b", data[:4096]):
        return _sitemap(data, location)
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version"):  # feedparser names the format it recognized ("rss20", "atom10" ...)
        raise WatchError("is not a feed (RSS, Atom, JSON Feed or sitemap)", location)
    items = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        url = entry.get("link") or ""
        if not url:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(when[0], when[1], when[2], when[3], when[4], when[5], tzinfo=UTC).isoformat() if when else None
        items.append(FeedItem(entry.get("id") or url, url, entry.get("title") or "", published))
    return parsed.feed.get("title") or "", items, []


def _json_feed(data: bytes, location: str) -> tuple[str, list[FeedItem], list[str]]:
    try:
        feed = json.loads(data)
    except ValueError:
        raise WatchError("is not a feed (it looks like JSON, but is not valid JSON)", location) from None
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise WatchError("is JSON but not a JSON Feed", location)
    items = []
    for entry in feed.get("items", [])[:MAX_ENTRIES]:
        if isinstance(entry, dict) and (url := entry.get("url") or entry.get("external_url")):
            items.append(FeedItem(str(entry.get("id") or url), url, entry.get("title") or "", entry.get("date_published")))
    return str(feed.get("title") or ""), items, []


def _sitemap(data: bytes, location: str) -> tuple[str, list[FeedItem], list[str]]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise WatchError(f"is not a valid sitemap ({exc})", location) from None
    local = etree.QName(root).localname
    locations = [
        (element.findtext("{*}loc") or "").strip()
        for element in root
        if isinstance(element.tag, str) and etree.QName(element).localname in ("url", "sitemap")
    ]
    if len(locations) > MAX_ENTRIES:
        raise WatchError(f"lists {len(locations):,} entries, over the {MAX_ENTRIES:,} a sitemap may hold", location)
    if local == "sitemapindex":
        return "", [], [loc for loc in locations if loc][:MAX_CHILD_SITEMAPS]
    items = []
    for element in root:
        if not isinstance(element.tag, str) or etree.QName(element).localname != "url":
            continue
        url = (element.findtext("{*}loc") or "").strip()
        if not url:
            continue
        news = element.find("{*}news")
        title = (news.findtext("{*}title") or "") if news is not None else ""
        published = (news.findtext("{*}publication_date") if news is not None else None) or element.findtext("{*}lastmod")
        items.append(FeedItem(url, url, title.strip(), published.strip() if published else None))
    return "", items, []


class _Fetcher:
    """HTTP for one poll: conditional feed requests and spaced page fetches."""

    def __init__(self, settings: Settings, page_delay: float) -> None:
        import httpx

        self.settings = settings
        self.page_delay = page_delay
        self.last_page = 0.0
        timeout = httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0))
        self.client = httpx.Client(follow_redirects=False, timeout=timeout, headers={"User-Agent": _USER_AGENT})

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[Any, str, bool]:
        """The response after following redirects (at most 5), its URL, and whether every redirect was permanent."""
        import httpx

        permanent = True
        for _ in range(6):
            try:
                with self.client.stream("GET", url, headers=headers or {}) as response:
                    if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                        permanent = permanent and response.status_code in (301, 308)
                        url = str(response.url.join(response.headers["location"]))
                        continue
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > self.settings.max_bytes:
                            raise WatchError(f"is over the {self.settings.max_bytes:,}-byte limit", url)
                    response._content = bytes(body)  # read in full within the limit
                    return response, url, permanent
            except httpx.TimeoutException:
                raise WatchError(f"timed out after {self.settings.timeout:g} s", url) from None
            except httpx.HTTPError as exc:
                raise WatchError(f"cannot be fetched ({type(exc).__name__}: {exc})", url) from None
        raise WatchError("more than 5 redirects", url)

    def page(self, url: str) -> Source:
        """An article page, fetched at least ``page_delay`` seconds after the previous one."""
        from .source.load import load_source

        wait = self.last_page + self.page_delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            return load_source(url, self.settings)
        finally:
            self.last_page = time.monotonic()


def _retry_after(value: str | None) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); a minute when it says nothing usable."""
    if value:
        if value.strip().isdigit():
            return float(value.strip())
        with contextlib.suppress(TypeError, ValueError):
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    return 60.0


def read_feed(fetcher: _Fetcher, state: sqlite3.Connection, url: str) -> tuple[list[FeedItem], str | None]:
    """The items of the feed at ``url`` (none when it has not changed, is gone or asked us to wait), and a note."""
    row = state.execute("select * from feeds where url = ?", (url,)).fetchone()
    if row is None:
        state.execute("insert into feeds (url, location) values (?, ?)", (url, url))
        row = state.execute("select * from feeds where url = ?", (url,)).fetchone()
    if row["gone"]:
        return [], "gone (HTTP 410); not asked again"
    if row["retry_at"] and row["retry_at"] > time.time():
        return [], f"asked to wait until {datetime.fromtimestamp(row['retry_at'], tz=UTC).isoformat(timespec='seconds')}"
    location = row["location"] or url
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5"}
    if row["etag"]:
        headers["If-None-Match"] = row["etag"]
    if row["last_modified"]:
        headers["If-Modified-Since"] = row["last_modified"]
    response, final, permanent = fetcher.get(location, headers)
    if permanent and final != location:
        state.execute("update feeds set location = ? where url = ?", (final, url))
    if response.status_code == 304:
        return [], "not modified"
    if response.status_code == 410:
        state.execute("update feeds set gone = 1 where url = ?", (url,))
        return [], "gone (HTTP 410); not asked again"
    if response.status_code in (429, 503):
        wait = _retry_after(response.headers.get("retry-after"))
        state.execute("update feeds set retry_at = ? where url = ?", (time.time() + wait, url))
        return [], f"HTTP {response.status_code}; asked again in {wait:.0f} s"
    if response.status_code >= 400:
        raise WatchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip(), url)
    title, items, children = parse_feed(response.content, url)
    for child in children:
        child_response, child_url, _ = fetcher.get(child)
        if child_response.status_code >= 400:
            raise WatchError(f"lists a sitemap that answers HTTP {child_response.status_code}", child_url)
        data = child_response.content
        if child_url.endswith(".gz") and data[:2] == b"\x1f\x8b":
            data = _gunzip(data, fetcher.settings.max_bytes, child_url)
        items.extend(parse_feed(data, child_url)[1])
    state.execute(
        "update feeds set etag = ?, last_modified = ?, title = ?, last_error = null, retry_at = 0 where url = ?",
        (response.headers.get("etag"), response.headers.get("last-modified"), title or row["title"], url),
    )
    return items, None


def _gunzip(data: bytes, limit: int, location: str) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        out = stream.read(limit + 1)
    if len(out) > limit:
        raise WatchError(f"unpacks to over the {limit:,}-byte limit (a sitemap bomb?)", location)
    return out


# --- a poll --------------------------------------------------------------------------------------------


def _wanted(items: list[FeedItem], options: WatchOptions) -> list[FeedItem]:
    def matches(item: FeedItem, words: tuple[str, ...]) -> bool:
        text = f"{item.title} {item.url}".casefold()
        return any(word.casefold() in text for word in words)

    chosen = [i for i in items if (not options.include or matches(i, options.include)) and not matches(i, options.exclude)]
    if options.since:
        chosen = [i for i in chosen if i.published is None or i.published[:10] >= options.since[:10]]
    chosen.sort(key=lambda i: i.published or "", reverse=True)  # newest first, when bounded
    seen: set[str] = set()
    unique = [i for i in chosen if not (i.id in seen or seen.add(i.id))]  # type: ignore[func-returns-value]
    return unique[: options.max_items] if options.max_items else unique


def poll(
    feeds: list[str], folder: Path, settings: Settings, options: WatchOptions,
    on_result: Callable[[ItemResult], None] | None = None, on_note: Callable[[str], None] | None = None,
) -> PollResult:  # fmt: skip
    """Poll every feed once: narrate new items, narrate changed ones again, leave the others; the report and the
    state are written before it returns."""
    from .extract import extract_article

    started = time.time()
    settings = settings.with_(output=str(folder))
    state = open_state(folder)
    fetcher = _Fetcher(settings, options.page_delay)
    results: list[ItemResult] = []
    to_narrate: list[tuple[FeedItem, Source, str, bool]] = []
    try:
        for feed_url in feeds:
            try:
                items, note = read_feed(fetcher, state, feed_url)
            except ArticleAudioError as exc:
                message = str(exc) if exc.path else f"{feed_url}: {exc}"
                state.execute("update feeds set last_error = ? where url = ?", (message, feed_url))
                results.append(ItemResult(feed_url, "failed", error=message))
                if on_result:
                    on_result(results[-1])
                continue
            finally:
                state.commit()
            if note and on_note:
                on_note(f"{feed_url}: {note}")
            for item in _wanted(items, options):
                row = state.execute("select * from items where id = ?", (item.id,)).fetchone()
                if row is not None and row["next_try"] and row["next_try"] > time.time():
                    continue  # failed lately; its next try is later
                try:
                    page = fetcher.page(item.url)
                    article = extract_article(page, include_tables=settings.include_tables)
                except ArticleAudioError as exc:
                    _failed(state, item, feed_url, row, str(exc) if exc.path else f"{item.url}: {exc}")
                    results.append(ItemResult(item.url, "failed", error=_last_error(state, item.id)))
                    if on_result:
                        on_result(results[-1])
                    continue
                text_hash = hashlib.sha256("\n\n".join(article.paragraphs).encode("utf-8")).hexdigest()
                if row is not None and row["text_sha256"] == text_hash and row["mp3"] and (folder / row["mp3"]).exists():
                    results.append(ItemResult(item.url, "up to date", mp3=str(folder / row["mp3"])))
                    if on_result:
                        on_result(results[-1])
                    continue
                to_narrate.append((item, page, text_hash, row is not None and bool(row["mp3"])))
    finally:
        fetcher.close()
    narrated = run_batch([page for _, page, _, _ in to_narrate], settings.with_(force=True), on_result=None) if to_narrate else []
    synthesized = 0
    for (item, _, text_hash, known), result in zip(to_narrate, narrated, strict=True):
        if result.status == "failed":
            _failed(state, item, "", state.execute("select * from items where id = ?", (item.id,)).fetchone(), result.error or "")
        else:
            result = replace(result, status="updated" if known else "converted", source=item.url)
            synthesized += result.synthesized
            _record(state, item, text_hash, Path(result.mp3).name if result.mp3 else None)  # the state names files, not folders
        results.append(result)
        if on_result:
            on_result(result)
    state.commit()
    state.close()
    write_report(folder / "articleaudio-report.json", results, settings, started)
    return PollResult(results, len(feeds), synthesized)


def _record(state: sqlite3.Connection, item: FeedItem, text_hash: str, mp3: str | None) -> None:
    now = time.time()
    state.execute(
        "insert into items (id, url, title, published, text_sha256, mp3, status, failures, next_try, first_seen, updated) "
        "values (?, ?, ?, ?, ?, ?, 'narrated', 0, 0, ?, ?) on conflict(id) do update set url = excluded.url, "
        "title = excluded.title, text_sha256 = excluded.text_sha256, mp3 = excluded.mp3, status = 'narrated', "
        "last_error = null, failures = 0, next_try = 0, updated = excluded.updated",
        (item.id, item.url, item.title, item.published, text_hash, mp3, now, now),
    )


def _failed(state: sqlite3.Connection, item: FeedItem, feed: str, row: Any, error: str) -> None:
    failures = (row["failures"] if row is not None else 0) + 1
    delay = min(FIRST_RETRY_SECONDS * 2 ** (failures - 1), LONGEST_RETRY_SECONDS)
    state.execute(
        "insert into items (id, feed, url, title, status, last_error, failures, next_try, first_seen) "
        "values (?, ?, ?, ?, 'failed', ?, ?, ?, ?) on conflict(id) do update set last_error = excluded.last_error, "
        "failures = excluded.failures, next_try = excluded.next_try, status = case when items.mp3 is null then 'failed' "
        "else items.status end",
        (item.id, feed, item.url, item.title, error, failures, time.time() + delay, time.time()),
    )


def _last_error(state: sqlite3.Connection, item_id: str) -> str:
    row = state.execute("select last_error from items where id = ?", (item_id,)).fetchone()
    return str(row["last_error"]) if row else ""


def feed_title(folder: Path, feeds: list[str]) -> str:
    """The title the watched feeds give themselves (the first that has one), for our podcast feed."""
    state = open_state(folder)
    try:
        for url in feeds:
            row = state.execute("select title from feeds where url = ?", (url,)).fetchone()
            if row and row["title"]:
                return str(row["title"])
    finally:
        state.close()
    return "Narrated articles"
