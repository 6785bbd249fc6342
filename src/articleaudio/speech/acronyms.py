"""How to say a word written in capitals: as a word (NATO), letter by letter (FBI), or as plain English (MAY)."""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import cache
from pathlib import Path

# Acronyms said as words even though the rules below would spell them, or the reverse.
SPOKEN_ACRONYMS = frozenset(
    """
    NATO ASEAN UNESCO UNICEF NASA OPEC COVID AIDS FEMA OSHA FIFA UEFA NAFTA INTERPOL EUROPOL SWAT LASER RADAR SONAR
    SCOTUS POTUS FLOTUS MERCOSUR BRICS ISIS OFAC ICE DARPA NOAA CERN UNIFIL UNRWA AUKUS SEATO EFTA ECOWAS
    PIN GIF JPEG NIMBY SARS MERS SIM ZIP NASDAQ AIPAC ANZUS SERP SERPS
    """.split()  # noqa: SIM905  # a word list reads better as text
)
# Always spelled, whatever the rules would do ("WHO" is the World Health Organization, not the pronoun).
SPELLED_OUT = {"WHO": "W H O", "US": "U S", "UK": "U K", "UN": "U N", "EU": "E U", "USA": "U S A", "UAE": "U A E",
               "OSCE": "O S C E", "USDA": "U S D A", "ACLU": "A C L U", "NAACP": "N double A C P",
               "IAEA": "I A E A", "OK": "okay"}  # fmt: skip
# Short English words that headlines and legal text put in capitals; said as words.
_SHORT_WORDS = frozenset(
    """
    A AN AS AT BE BY DO GO HE IF IN IS ME MY NO OF ON OR SO TO UP WE ALL AND ANY ARE BUT CAN DAY FOR GET HAS HAD HER
    HIM HIS HOW ITS LET MAY NEW NOT NOW OFF OLD ONE OUR OUT OWN PUT SAY SEE SHE THE TOO TWO USE WAS WAY WHY YES YET
    YOU BIG END FEW MAN MEN TOP WAR WIN RUN ASK BAD BOX CAR CUT DIE EYE FAR FUN GOT HOT JOB KEY LAW LOW MUST NOR
    """.split()  # noqa: SIM905  # a word list reads better as text
)
# Consonant clusters English words begin and end with; others make letters that are spelled out.
_ONSETS = frozenset(
    """
    BL BR CH CL CR DR DW FL FR GL GR KL KN KR PH PL PR QU SC SCH SCR SH SHR SK SL SM SN SP SPL SPR ST STR SW TH
    THR TR TW WH WR
    """.split()  # noqa: SIM905  # a list of clusters reads better as text
)
_CODAS = frozenset(
    """
    CH CK CT DS FT GH GS GHT KS LD LF LK LL LM LP LS LT MP MS ND NG NK NS NT NZ PS PT RB RC RD RF RG RK RL RM RN RP
    RS RT SH SK SP SS ST TH TS WN WS XT
    """.split()  # noqa: SIM905  # a list of clusters reads better as text
)
_VOWELS = set("AEIOU")
# Initialisms are short; a word this long in capitals that no list names ("MIDFLORIDA") is a name read as a word.
WORD_LENGTH = 6


def pronounceable(word: str) -> bool:
    """True when capital letters spell something English readers say as a word (NATO, ASEAN, FROM, UPDATE)."""
    if len(word) < 4 or not any(c in _VOWELS for c in word) or all(c in _VOWELS for c in word):
        return False
    parts = re.findall(r"[AEIOUY]+|[^AEIOUY]+", word)
    if parts[0][0] not in _VOWELS and parts[0][0] != "Y":
        onset = parts[0]
        if len(onset) > 1 and onset not in _ONSETS:
            return False
    if parts[-1][0] not in _VOWELS and parts[-1][0] != "Y" and len(parts[-1]) > 1 and parts[-1] not in _CODAS:
        return False
    return all(len(p) <= 2 for p in parts[1:-1] if p[0] not in _VOWELS)


# The system's English word list (Debian's wamerican, /usr/share/dict/words elsewhere).
WORD_LISTS = ("/usr/share/dict/american-english", "/usr/share/dict/words", "/usr/share/dict/british-english")


@cache
def dictionary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The word list's ordinary words, its names ("Washington") and its abbreviations ("FBI"); empty without one."""
    for path in WORD_LISTS:
        try:
            entries = Path(path).read_text(encoding="utf-8", errors="replace").split()
        except OSError:
            continue
        entries = [w for w in entries if w.isalpha()]
        return (frozenset(w for w in entries if w.islower()), frozenset(w for w in entries if w[0].isupper() and w[1:].islower()),
                frozenset(w for w in entries if len(w) > 1 and w.isupper()))  # fmt: skip
    return frozenset(), frozenset(), frozenset()


def dictionary_word(word: str) -> str | None:
    """A word in capitals of four letters or more as a word ("INSTEAD" → "Instead", "WASHINGTON" → "Washington"),
    when the word list has it as a word or a name and not as an abbreviation ("NASA", "NCAA" → None)."""
    if len(word) < 4:
        return None
    words, names, abbreviations = dictionary()
    if word in abbreviations:
        return None
    return word.capitalize() if word.lower() in words or word.capitalize() in names else None


# Words the article being read also writes in ordinary case ("Burns said"): set for the length of one article.
ORDINARY_WORDS: ContextVar[frozenset[str]] = ContextVar("ordinary_words", default=frozenset())


def say_capitals(word: str, shouting: bool = False) -> str:
    """What to say for a word in capitals (a trailing lowercase ``s`` marks a plural acronym)."""
    plural = len(word) > 2 and word.endswith("s") and word[:-1].isupper()
    core = word[:-1] if plural else word
    if core not in SPELLED_OUT and len(core) >= 3 and core.casefold() in ORDINARY_WORDS.get():
        # "By Robert BURNS" in a story that says "Burns said": a name set in capitals, read as the word
        return core.capitalize() + ("s" if plural else "")
    if core in SPELLED_OUT:
        return SPELLED_OUT[core] + ("s" if plural else "")
    if core in SPOKEN_ACRONYMS:
        return core.capitalize() + ("s" if plural else "")
    if core in _SHORT_WORDS or (shouting and pronounceable(core)):
        return core.lower() + ("s" if plural else "")
    if (written := dictionary_word(core)) is not None:
        # "using honey INSTEAD of sugar", "WASHINGTON —": an English word or name set in capitals, not an initialism
        return written + ("s" if plural else "")
    if pronounceable(core) or len(core) >= WORD_LENGTH:
        return core.capitalize() + ("s" if plural else "")
    return " ".join(core) + ("'s" if plural else "")


_FUNCTION_WORDS = frozenset(["A", "AN", "THE", "AND", "OF", "TO", "IN", "ON", "FOR", "IS", "ARE", "WITH", "AT", "BY", "FROM", "AS", "NEW"])


def is_shouting(text: str) -> bool:
    """True when ``text`` is prose written in capitals (a headline or a label), not a list of acronyms."""
    words = re.findall(r"[A-Za-z]+", text)
    caps = [w for w in words if (w.isupper() and len(w) > 1) or w in {"A", "I"}]
    return len(words) >= 3 and len(caps) > 0.6 * len(words) and any(w in _FUNCTION_WORDS for w in caps)
