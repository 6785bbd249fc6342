"""Pronunciation lexicons: whole-word replacements applied before any other rule, or phonemes said as written."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import LexiconError


@dataclass(frozen=True)
class Entry:
    """Say ``say`` wherever ``text`` stands as a whole word or phrase, or, with ``phonemes``, say those."""

    text: str
    say: str
    case_sensitive: bool = False
    phonemes: str | None = None
    """espeak-ng's phoneme mnemonics (``k'i:jIv``), which the espeak, pyttsx3 and Piper engines all read:
    for a name no respelling gets right ("Keev" is heard as "key of")."""


_ESPEAK_ALPHABETS = {"x-espeak", "x-espeak-ng", "espeak", "espeak-ng"}
# Phonemes reach the engine in espeak-ng's own notation for them, [[…]], which Piper reads too.
_PHONEMES = re.compile(r"^[^\[\]\n]+$")
PHONEME_BLOCK = re.compile(r"\[\[([^\[\]]+)\]\]")
"""Phonemes in the speech text, as a lexicon entry put them."""


@dataclass
class Lexicon:
    """An ordered set of entries; longer phrases win over the words inside them."""

    entries: list[Entry] = field(default_factory=list)
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _over: tuple[Lexicon, Lexicon] | None = field(default=None, init=False, repr=False)

    def apply(self, text: str) -> str:
        """Replace every whole-word match of a respelling entry in ``text`` (phoneme entries: see :meth:`say_phonemes`)."""
        respelled = [e for e in self.entries if e.phonemes is None]
        if not respelled:
            return text
        if self._pattern is None:
            self._pattern = _pattern(respelled, possessive=False)
            self._exact = {e.text: e.say for e in respelled if e.case_sensitive}
            self._folded = {e.text.casefold(): e.say for e in respelled if not e.case_sensitive}

        def swap(m: re.Match[str]) -> str:
            found = m.group(0)
            return self._exact.get(found) or self._folded.get(found.casefold(), found)

        return self._pattern.sub(swap, text)

    def say_phonemes(self, text: str, phonemes: bool = True) -> str:
        """Put the phonemes of every phoneme entry where its word stands in ``text`` (as ``[[k'i:jIv]]``; a
        possessive ``'s`` becomes a final ``z``). Runs last, on the finished speech text, so no rule rewrites them.
        For an engine that reads no phonemes (``phonemes`` False) an entry's respelling stands in, when it has one."""
        sounded = [e for e in self.entries if e.phonemes is not None]
        if not sounded:
            return text
        pattern = _pattern(sounded, possessive=True)
        exact = {e.text: e.phonemes for e in sounded if e.case_sensitive}
        folded = {e.text.casefold(): e.phonemes for e in sounded if not e.case_sensitive}

        respelled = {(e.text if e.case_sensitive else e.text.casefold()): e.say for e in sounded if e.say}

        def swap(m: re.Match[str]) -> str:
            word = m.group("word")
            sounds = exact.get(word) or folded.get(word.casefold())
            if not phonemes:
                say = respelled.get(word) or respelled.get(word.casefold())
                return f"{say}{m.group('s') or ''}" if say else m.group(0)
            return f"[[{sounds}{'z' if m.group('s') else ''}]]" if sounds else m.group(0)

        return pattern.sub(swap, text)

    def over(self, base: Lexicon) -> Lexicon:
        """``base`` with this lexicon's entries winning for the same words (kept, so the patterns are built once)."""
        cached = self._over
        if cached is None or cached[0] is not base:
            cached = (base, base.merged(self))
            self._over = cached
        return cached[1]

    def merged(self, other: Lexicon) -> Lexicon:
        """Entries of both; those of ``other`` win for the same text (in any case)."""
        keys = {e.text.casefold() for e in other.entries}
        kept = [e for e in self.entries if e.text.casefold() not in keys]
        return Lexicon([*kept, *other.entries])


def _pattern(entries: list[Entry], possessive: bool) -> re.Pattern[str]:
    """One pattern for every entry's text as a whole word or phrase; longer phrases first, so they win."""
    ordered = sorted(entries, key=lambda e: len(e.text), reverse=True)
    parts = [f"(?{'' if e.case_sensitive else 'i'}:{re.escape(e.text)})" for e in ordered]
    tail = r"(?P<s>['’]s)?" if possessive else ""
    return re.compile(r"(?<![\w-])(?P<word>" + "|".join(parts) + r")" + tail + r"(?![\w-])")


def _checked_phonemes(value: object, where: str, name: str) -> str:
    if not isinstance(value, str) or not _PHONEMES.match(value.strip()):
        raise LexiconError(f"{where}: phonemes must be espeak-ng phoneme mnemonics on one line, without brackets", name)
    return value.strip()


def parse_toml(data: str, name: str = "<lexicon>") -> Lexicon:
    """Read ``[words]`` (respellings, case-insensitive), ``[phonemes]`` (espeak-ng phonemes, case-insensitive) and
    ``[[entry]]`` tables (``say`` or ``phonemes``, optionally ``case_sensitive``)."""
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
    sounds = doc.get("phonemes", {})
    if not isinstance(sounds, dict):
        raise LexiconError('[phonemes] must be a table of "word" = "phonemes"', name)
    for key, value in sounds.items():
        entries.append(Entry(key, "", phonemes=_checked_phonemes(value, f"[phonemes] entry {key!r}", name)))
    for item in doc.get("entry", []):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise LexiconError('each [[entry]] needs text = "…" and say = "…" or phonemes = "…"', name)
        phonemes = _checked_phonemes(item["phonemes"], f"entry {item['text']!r}", name) if "phonemes" in item else None
        if phonemes is None and not isinstance(item.get("say"), str):
            raise LexiconError('each [[entry]] needs text = "…" and say = "…" or phonemes = "…"', name)
        entries.append(Entry(item["text"], str(item.get("say", "")), bool(item.get("case_sensitive", False)), phonemes))
    return Lexicon(entries)


def parse_pls(data: str, name: str = "<lexicon>") -> Lexicon:
    """Read the entries of a W3C Pronunciation Lexicon (PLS) document: an ``<alias>`` is a respelling, a
    ``<phoneme>`` is said as phonemes in espeak-ng's alphabet (the lexicon's or the element's ``alphabet``:
    ``x-espeak``; IPA is refused with a message)."""
    from xml.etree import ElementTree as ET

    try:
        root = ET.fromstring(data)  # noqa: S314  # a local file the user chose, not untrusted network input
    except ET.ParseError as exc:
        raise LexiconError(f"invalid PLS XML ({exc})", name) from None
    ns = {"pls": "http://www.w3.org/2005/01/pronunciation-lexicon"}
    entries: list[Entry] = []
    default_alphabet = root.get("alphabet")
    for lexeme in [*root.iterfind(".//pls:lexeme", ns), *root.iterfind(".//lexeme")]:
        written = [(g.text or "").strip() for g in [*lexeme.iterfind("pls:grapheme", ns), *lexeme.iterfind("grapheme")]]
        # (an element with no children is false: "or" would skip a found one)
        alias = _first(lexeme.find("pls:alias", ns), lexeme.find("alias"))
        phoneme = _first(lexeme.find("pls:phoneme", ns), lexeme.find("phoneme"))
        if alias is not None and (alias.text or "").strip():
            entries += [Entry(w, (alias.text or "").strip(), case_sensitive=True) for w in written if w]
        elif phoneme is not None and (phoneme.text or "").strip():
            alphabet = (phoneme.get("alphabet") or default_alphabet or "x-espeak").lower()
            if alphabet not in _ESPEAK_ALPHABETS:
                raise LexiconError(
                    f'phonemes in the {alphabet!r} alphabet are not read; write them in espeak-ng\'s (alphabet="x-espeak")', name
                )
            sounds = _checked_phonemes(phoneme.text, f"lexeme {', '.join(written)!r}", name)
            entries += [Entry(w, "", case_sensitive=True, phonemes=sounds) for w in written if w]
    return Lexicon(entries)


def _first(*found: Any) -> Any:
    return next((element for element in found if element is not None), None)


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
