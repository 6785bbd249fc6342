"""Pronunciation lexicons: whole-word replacements applied before any other rule."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import LexiconError


@dataclass(frozen=True)
class Entry:
    """Say ``say`` wherever ``text`` stands as a whole word or phrase."""

    text: str
    say: str
    case_sensitive: bool = False


@dataclass
class Lexicon:
    """An ordered set of entries; longer phrases win over the words inside them."""

    entries: list[Entry] = field(default_factory=list)
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    def apply(self, text: str) -> str:
        """Replace every whole-word match in ``text``."""
        if not self.entries:
            return text
        if self._pattern is None:
            ordered = sorted(self.entries, key=lambda e: len(e.text), reverse=True)
            parts = [f"(?{'' if e.case_sensitive else 'i'}:{re.escape(e.text)})" for e in ordered]
            self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")
            self._exact = {e.text: e.say for e in self.entries if e.case_sensitive}
            self._folded = {e.text.casefold(): e.say for e in self.entries if not e.case_sensitive}

        def swap(m: re.Match[str]) -> str:
            found = m.group(0)
            return self._exact.get(found) or self._folded.get(found.casefold(), found)

        return self._pattern.sub(swap, text)

    def merged(self, other: Lexicon) -> Lexicon:
        """Entries of both; those of ``other`` win for the same text."""
        keys = {(e.text if e.case_sensitive else e.text.casefold()) for e in other.entries}
        kept = [e for e in self.entries if (e.text if e.case_sensitive else e.text.casefold()) not in keys]
        return Lexicon([*kept, *other.entries])


def parse_toml(data: str, name: str = "<lexicon>") -> Lexicon:
    """Read ``[words]`` (case-insensitive) and ``[[entry]]`` tables."""
    try:
        doc = tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"invalid TOML ({exc})", name) from None
    entries: list[Entry] = []
    words = doc.get("words", {})
    if not isinstance(words, dict):
        raise LexiconError('[words] must be a table of "word" = "what to say"', name)
    for key, value in words.items():
        if not isinstance(value, str) or not key.strip():
            raise LexiconError(f"[words] entry {key!r} must map to a string", name)
        entries.append(Entry(key, value))
    for item in doc.get("entry", []):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not isinstance(item.get("say"), str):
            raise LexiconError('each [[entry]] needs text = "…" and say = "…"', name)
        entries.append(Entry(item["text"], item["say"], bool(item.get("case_sensitive", False))))
    return Lexicon(entries)


def parse_pls(data: str, name: str = "<lexicon>") -> Lexicon:
    """Read the ``<alias>`` entries of a W3C Pronunciation Lexicon (PLS) document."""
    from xml.etree import ElementTree as ET

    try:
        root = ET.fromstring(data)  # noqa: S314  # a local file the user chose, not untrusted network input
    except ET.ParseError as exc:
        raise LexiconError(f"invalid PLS XML ({exc})", name) from None
    ns = {"pls": "http://www.w3.org/2005/01/pronunciation-lexicon"}
    entries: list[Entry] = []
    for lexeme in root.iterfind(".//pls:lexeme", ns) or root.iterfind(".//lexeme"):
        alias = lexeme.find("pls:alias", ns) or lexeme.find("alias")
        if alias is None or not (alias.text or "").strip():
            continue
        for grapheme in [*lexeme.iterfind("pls:grapheme", ns), *lexeme.iterfind("grapheme")]:
            written = (grapheme.text or "").strip()
            if written:
                entries.append(Entry(written, (alias.text or "").strip(), case_sensitive=True))
    return Lexicon(entries)


def load_lexicon(path: str | Path) -> Lexicon:
    """Load a TOML or PLS lexicon file."""
    path = Path(path)
    try:
        data = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError("no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"cannot be read ({exc})", str(path)) from None
    if path.suffix.lower() in {".pls", ".xml"} or data.lstrip().startswith("<"):
        return parse_pls(data, str(path))
    return parse_toml(data, str(path))


@cache
def builtin_lexicon() -> Lexicon:
    """The small English lexicon shipped with articleaudio."""
    text = resources.files("articleaudio").joinpath("data/lexicon_en.toml").read_text(encoding="utf-8")
    return parse_toml(text, "articleaudio/data/lexicon_en.toml")
