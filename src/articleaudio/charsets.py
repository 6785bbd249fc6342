"""Decoding page and file bytes into text: byte-order mark, declared charset, UTF-8, then detection."""

from __future__ import annotations

import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode a document: BOM, then declared charset, then UTF-8, then detection."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    candidates = [charset] if charset else []
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for codec in candidates:
        try:
            return data.decode(_canonical_codec(codec))
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("utf-8", errors="replace")


def _canonical_codec(name: str) -> str:
    # Browsers read ISO-8859-1 and ASCII labels as windows-1252; so do we.
    lowered = name.strip().lower()
    if lowered in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
        return "cp1252"
    return lowered
