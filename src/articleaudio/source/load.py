"""Stage 1: read a source (URL, file or stdin) into bytes with its kind and charset."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import BinaryIO

from ..errors import SourceError
from ..models import Source
from ..settings import Settings

LOGGER = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
_MAX_REDIRECTS = 5
_HTML_SNIFF = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.I | re.S)
_USER_AGENT = "articleaudio (offline article narration; +https://pypi.org/project/articleaudio/)"


def is_url(name: str) -> bool:
    """True when ``name`` is an http(s) URL rather than a path."""
    return name.lower().startswith(("http://", "https://"))


def load_source(name: str, settings: Settings | None = None, stdin: BinaryIO | None = None) -> Source:
    """Read ``name`` (URL, path or ``-``) and say what kind of document it is."""
    settings = settings or Settings()
    if name == "-":
        return _load_stream(stdin or sys.stdin.buffer, settings)
    if is_url(name):
        return _load_url(name, settings)
    return _load_file(name, settings)


def sniff_kind(data: bytes, name: str = "") -> str:
    """Guess ``html``, ``markdown`` or ``text`` from a file name and the first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if suffix in {".md", ".markdown"}:
        return "markdown"
    if _HTML_SNIFF.match(data[:2048]):
        return "html"
    if suffix in {".txt", ".text"}:
        return "text"
    head = data[:4096].decode("utf-8", errors="ignore")
    if re.search(r"^#{1,6} \S", head, re.M):
        return "markdown"
    return "text"


def _check_content(data: bytes, name: str) -> None:
    if not data.strip():
        raise SourceError("is empty", name)
    sample = data[:8192]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("is a binary file, not HTML or text", name)
    if sample.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"ID3")):
        raise SourceError("is a binary file (PDF, image, archive or audio), not HTML or text", name)


def _load_file(name: str, settings: Settings) -> Source:
    path = Path(name)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise SourceError("is a folder, not a file", name)
        if size > settings.max_bytes:
            raise SourceError(f"is {size:,} bytes, over the {settings.max_bytes:,}-byte limit", name)
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", name) from None
    except PermissionError:
        raise SourceError("permission denied", name) from None
    except IsADirectoryError:
        raise SourceError("is a folder, not a file", name) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror or exc})", name) from None
    _check_content(data, name)
    return Source(name=name, data=data, kind=sniff_kind(data, name))


def _load_stream(stream: BinaryIO, settings: Settings) -> Source:
    data = stream.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise SourceError(f"is over the {settings.max_bytes:,}-byte limit", "-")
    _check_content(data, "-")
    return Source(name="-", data=data, kind=sniff_kind(data))


def _load_url(url: str, settings: Settings) -> Source:
    import httpx

    timeout = httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0))
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=_MAX_REDIRECTS,
                timeout=timeout,
                headers={"User-Agent": _USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise SourceError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip(), url)
            ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype and ctype not in _HTML_TYPES + _TEXT_TYPES:
                raise SourceError(f"serves {ctype}, not HTML or text", url)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                raise SourceError(f"is {int(declared):,} bytes, over the {settings.max_bytes:,}-byte limit", url)
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > settings.max_bytes:
                    raise SourceError(f"is over the {settings.max_bytes:,}-byte limit", url)
                chunks.append(chunk)
            final_url = str(response.url)
            charset = response.charset_encoding
    except httpx.TooManyRedirects:
        raise SourceError(f"more than {_MAX_REDIRECTS} redirects", url) from None
    except httpx.TimeoutException:
        raise SourceError(f"timed out after {settings.timeout:g} s", url) from None
    except httpx.InvalidURL as exc:
        raise SourceError(f"invalid URL ({exc})", url) from None
    except httpx.HTTPError as exc:
        raise SourceError(f"cannot be fetched ({type(exc).__name__}: {exc})", url) from None
    data = b"".join(chunks)
    _check_content(data, url)
    if ctype in _HTML_TYPES:
        kind = "html"
    elif ctype in ("text/markdown", "text/x-markdown"):
        kind = "markdown"
    else:
        kind = sniff_kind(data, url.split("?")[0])
    LOGGER.debug("fetched %s (%d bytes, %s)", final_url, len(data), ctype)
    return Source(name=url, data=data, kind=kind, url=final_url, charset=charset)
