"""Decoding page and file bytes into text as a browser does.

Byte-order mark, the declared charset (read as the WHATWG Encoding Standard reads its label), strict UTF-8,
then a guess among the encodings the web uses, with windows-1252 the fallback for Latin text.
"""

from __future__ import annotations

import re
import unicodedata

# Han characters and kana: Chinese and Japanese are written without spaces, so their words are counted, timed,
# captioned and transliterated by character.
UNSPACED_LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
UNSPACED = re.compile(f"[{UNSPACED_LETTERS}]")
"""One character of a script written without spaces."""

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I
)

# Labels a browser reads as another, wider encoding (the WHATWG Encoding Standard's label table, in part).
_LABELS = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254", "l5": "cp1254",
    "iso-8859-11": "cp874", "tis-620": "cp874", "windows-874": "cp874", "gb2312": "gb18030", "gbk": "gb18030",
    "x-gbk": "gb18030", "gb_2312-80": "gb18030", "chinese": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
    "windows-949": "cp949", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932", "big5": "big5hkscs", "x-x-big5": "big5hkscs", "iso-8859-8-i": "iso8859-8",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-mac-roman": "mac-roman", "macintosh": "mac-roman",
}  # fmt: skip
# What the web writes in, besides UTF-8 (the guess chooses among these only: never a DOS code page).
_WEB_ENCODINGS = [
    "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "iso8859_2", "iso8859_4",
    "iso8859_5", "iso8859_7", "iso8859_8", "iso8859_13", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u", "cp874",
    "cp932", "shift_jis", "euc_jp", "iso2022_jp", "gb18030", "big5", "cp949", "euc_kr",
]  # fmt: skip
# Single-byte encodings of Latin script, windows-1252 first: a browser's fallback, and the winner of a tie.
_LATIN = ["cp1252", "cp1250", "iso8859_2", "cp1257", "cp1254", "iso8859_15", "iso8859_13", "iso8859_16", "iso8859_4"]
# The letters beyond ASCII of the languages written in those encodings.
_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿáíñóúãõåäöøßìò",  # the languages of windows-1252: French, Spanish, Portuguese, German, Dutch, Nordic ...
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "ăâîșşțţ",  # Romanian
    "čćđšž",  # Slovene, Croatian, Bosnian
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äöõüšž",  # Estonian
    "çğıöşüâîû",  # Turkish
    "áðéíóúýþæö",  # Icelandic
)
# Punctuation and signs these encodings carry that Latin text uses.
_TYPOGRAPHY = set("\u00a0\u00ad–—‘’‚“”„†‡•…‰‹›€«»°·×÷§©®™¿¡¢£¥µ¶±¼½¾")  # not ¹ ² ³: Polish ą and ł in the wrong code page


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode a document: BOM, then the declared charset, then strict UTF-8, then a guess among web encodings."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    candidates = [charset] if charset else []
    if meta := _META_CHARSET.search(data[:4096]):
        candidates.append((meta.group(1) or meta.group(2)).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for label in candidates:
        try:
            return data.decode(web_codec(label))
        except (LookupError, UnicodeDecodeError):
            continue
    return _guess(data)


# Compatibility forms that stand for ordinary letters: Latin and Hebrew ligatures and Arabic presentation forms
# (older Arabic sites write in them), and full-width Latin letters and digits. Full-width punctuation, which
# Chinese and Japanese text uses as its own, is left alone.
_COMPATIBILITY_LETTERS = re.compile(r"[\ufb00-\ufb4f\ufb50-\ufdff\ufe70-\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def compatibility_letters(text: str) -> str:
    """``text`` with presentation forms and full-width letters made the letters they show (NFKC), before anything
    reads it: a voice spelled an Arabic page in presentation forms glyph by glyph."""
    return _COMPATIBILITY_LETTERS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def web_codec(label: str) -> str:
    """The Python codec for a charset label, read as a browser reads it (ISO-8859-1 is windows-1252, GB2312 is
    GB18030, EUC-KR is windows-949 ...)."""
    lowered = label.strip().strip("\"'").lower()
    return _LABELS.get(lowered, lowered)


def _guess(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_WEB_ENCODINGS).best()
    if best is not None and best.encoding not in _LATIN:
        text = str(best)
        if best.encoding in ("cp949", "euc_kr") and _loose_jamo(text):
            try:  # EUC-JP's kana read as EUC-KR come out as loose jamo, which Korean text hardly uses
                return data.decode("euc_jp")
            except UnicodeDecodeError:
                pass
        letters = [c for c in text if c.isalpha()]
        if letters and sum(c.isascii() for c in letters) < 0.7 * len(letters):  # another script: the detector knows it
            return text
    return _latin(data, best.encoding if best is not None else None)


def _latin(data: bytes, detected: str | None) -> str:
    """Latin text in the single-byte encoding whose letters beyond ASCII all belong to one language's alphabet;
    windows-1252 on a tie, as browsers fall back to it (a French page is never read as a Baltic code page)."""
    order = _LATIN if detected not in _LATIN else ["cp1252", detected, *(e for e in _LATIN if e not in ("cp1252", detected))]
    scored: list[tuple[float, int, str]] = []
    for rank, codec in enumerate(order):
        text = data.decode(codec, errors="replace")
        beyond = [c.lower() for c in text if not c.isascii() and c not in _TYPOGRAPHY]
        share = max(sum(c in alphabet for c in beyond) / len(beyond) for alphabet in _ALPHABETS) if beyond else 1.0
        scored.append((share, -rank, text))
    return max(scored)[2]


def _loose_jamo(text: str) -> bool:
    """Whether a tenth or more of the Hangul in ``text`` is loose compatibility jamo (ㄱ, ㅏ) rather than syllables."""
    jamo = sum(0x3131 <= ord(c) <= 0x318E for c in text)
    syllables = sum(0xAC00 <= ord(c) <= 0xD7A3 for c in text)
    return jamo > 0.1 * (jamo + syllables)
