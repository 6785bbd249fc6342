"""Speech text: turn an article's words into text any engine reads aloud correctly."""

from __future__ import annotations

import re
import unicodedata

from ..models import primary_language
from .lexicon import Lexicon, builtin_lexicon
from .links import EMAIL_AT_WORDS, say_links
from .rules import NEUTRAL_RULES, RULES, WORD_RULES


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


INVISIBLE = "\u00ad\u200b\u2060\ufeff"
"""Characters with no look and no sound: the soft hyphen (where a line may break, "Vladi\xadmir"), the zero-width
space, the word joiner and a stray byte-order mark."""

_TYPOGRAPHY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "′": "'",
        "″": '"',
        "•": " ",
        "·": " ",
        "▪": " ",
        "►": " ",
        "…": "...",
        "\u2212": "-",  # the minus sign
    }
    | dict.fromkeys(INVISIBLE, "")
)


# Marks that set the direction of text; they have no sound (zero-width joiners, which some scripts need, stay).
_BIDI_MARKS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Every character that _is_emoji or _BIDI_MARKS may drop lies in these ranges.
_MAYBE_DROPPED = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Vulgar fractions, said before NFKC turns "4½" into "41⁄2".
_FRACTIONS = {"½": "a half", "⅓": "a third", "⅔": "two thirds", "¼": "a quarter", "¾": "three quarters", "⅛": "an eighth"}
_ENGLISH_SYMBOLS = (
    # "5 * 300", "4×4", "n × n", "n * m"; an asterisk between words is a list's bullet ("name * type")
    (re.compile(r"(?<=\d) ?[×*] ?(?=\d)|(?<=\w) × (?=\w)|(?<=\b\w) \* (?=\w\b)"), " times "),
    (re.compile(r"±\s?"), "plus or minus "),
    (re.compile(r"§\s?"), "section "),
)
_SILENT_MARKS = re.compile(r"[¶`]")  # a heading's anchor mark, code quotes


# A footnote marker glued to a word ("in 1998[17]", "said.[a]"): never read aloud.
FOOTNOTE = re.compile(r"(?<=\S)\[(?:\d{1,3}|[a-z])\]")


def clean_unicode(text: str, english: bool = True) -> str:
    """Make quotes, dashes, spaces and symbols harmless; drop emoji and markup leftovers.

    With ``english`` (the default), fractions and symbols such as "±" and "§" are also put into English
    words; text in another language keeps them for its own voice to read.
    """
    if english:
        text = re.sub(r"(\d)\s?([½⅓⅔¼¾⅛])", lambda m: f"{m.group(1)} and {_FRACTIONS[m.group(2)]}", text)
        text = re.sub(r"[½⅓⅔¼¾⅛]", lambda m: "half" if m.group(0) == "½" else _FRACTIONS[m.group(0)], text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TYPOGRAPHY)
    if _MAYBE_DROPPED.search(text):  # most text has none: the character-by-character pass is skipped
        text = "".join(ch for ch in text if not _is_emoji(ch) and ch not in _BIDI_MARKS)
    for pattern, spoken in _ENGLISH_SYMBOLS if english else ():
        text = pattern.sub(spoken, text)
    text = _SILENT_MARKS.sub("", text)
    text = re.sub(r"(?<=\d)\s*[–—]\s*(?=\d)", "-", text)  # numeric ranges use a plain hyphen from here on
    text = re.sub(r"\s*[—–]\s*|\s+--\s+", ", ", text)
    text = FOOTNOTE.sub("", text)
    text = re.sub(r"(?<=[^\W_])_(?=[^\W_])", " ", text)  # "storage_root" is two words, not "storageroot"
    text = re.sub(r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}", "", text)
    text = re.sub(r"(?<!\S)\*+(?!\S)", " ", text)  # a bullet or a rule of asterisks left in the text
    return text


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    pictograph = 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF  # symbols, dingbats, stars and arrows ("⭐", "⬇")
    return (0x1F000 <= cp <= 0x1FAFF) or (pictograph and unicodedata.category(ch) == "So") or cp in (0xFE0F, 0x200D)


# "@" set between words, in the languages whose word for a venue's "at" we know (else the English "at").
AT_WORDS = {"en": "at", "es": "en", "fr": "à", "de": "in", "it": "a", "pt": "em", "nl": "in", "ca": "a", "sv": "på", "da": "på", "no": "på"}
_BETWEEN_WORDS_AT = re.compile(r"(?<=[^\W\d_])\s+@\s+(?=[^\W_])")
_AT_SIGN = re.compile(r"\s*@\s*")


def normalize_text(text: str, lexicon: Lexicon | None = None, language: str | None = None, phonemes: bool = True) -> str:
    """Rewrite ``text`` so a speech engine says it as a newsreader would.

    The user lexicon applies first, then the built-in lexicon, then the number,
    date, money, abbreviation and acronym rules. The result never contains digits
    an engine could misread, and is empty only when ``text`` holds nothing speakable.

    Those rules are English. For text in another language (``language``, a BCP 47 tag such as ``es``)
    only the user lexicon and the clean-up of symbols, emoji and markup apply: numbers, dates and
    abbreviations are left to the voice of that language, which reads them in its own words ("5
    personas" as "cinco personas", not "five personas").

    Lexicon entries given as phonemes are put in last, as ``[[…]]``; with ``phonemes`` False (an engine that
    reads none) their respellings stand in.
    """
    code = primary_language(language) or "en"
    english = code == "en"
    text = clean_unicode(text, english)
    stripped = text.rstrip()
    ending = stripped[-1] if stripped and stripped[-1] in ".!?" else ""
    text = say_links(text, language)
    # "@" between words is where something happens ("Tampa @ Coral Sky"), in the article's language
    text = _BETWEEN_WORDS_AT.sub(f" {AT_WORDS.get(code, EMAIL_AT_WORDS.get(code, ','))} ", text)
    # any other "@" (a handle, a sign quoted in a specification) is said as the sign's name, or is a pause
    text = _AT_SIGN.sub(lambda m: f" {EMAIL_AT_WORDS[code]} " if code in EMAIL_AT_WORDS else ", ", text)
    # the user's entries win over the built-in ones for the same word (a respelling over built-in phonemes too)
    words = (lexicon.over(builtin_lexicon()) if lexicon is not None else builtin_lexicon()) if english else lexicon
    if words is not None:
        text = words.apply(text)
    for pattern, replace in RULES + WORD_RULES if english else NEUTRAL_RULES:
        text = pattern.sub(replace, text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?=[^\s\d\"')\]])", r"\1 ", text)
    text = re.sub(r",\s*,", ",", text)
    if words is not None:
        text = words.say_phonemes(text, phonemes)
    text = _ws(text)
    if ending and text and text[-1] not in ".!?\"')":
        text += ending
    return text


def speakable(text: str) -> bool:
    """True when ``text`` holds at least one letter or digit an engine can say."""
    return any(ch.isalnum() for ch in text)
