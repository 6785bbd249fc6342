"""The tables of rewrite rules: a pattern and what it is said as, in the order they apply."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..extract.dates import MONTH_RE, WEEKDAYS
from ..extract.furniture import PHOTO_WORDS
from .acronyms import is_shouting, say_capitals
from .numbers import cardinal, digits, ordinal
from .spoken_forms import (
    NOT_NOUNS,
    RESOLUTIONS,
    say_abbreviated_amount,
    say_bare_degrees,
    say_clock,
    say_day_month,
    say_decade,
    say_doctor_or_drive,
    say_fraction,
    say_identifier,
    say_iso_date,
    say_money,
    say_month_day,
    say_pence,
    say_percent,
    say_phone,
    say_range,
    say_roman,
    say_saint_or_street,
    say_season,
    say_slash_date,
    say_title,
    say_unit,
    say_version,
    say_year_or_number,
)
from .words import ABBREVIATIONS, US_STATES

_WORDLIKE_STATES = frozenset({"OR", "OK", "IN", "ME", "HI", "ID"})


def say_state(m: re.Match[str]) -> str:
    """The state's name, unless its code is also an English word and words, not a stop, follow it."""
    code = m.group(2)
    if code in _WORDLIKE_STATES and m.group("zip") is None and m.group("stop") is None:
        return m.group(0)
    return m.group(1) + US_STATES[code]


def model_number(digits: str) -> str:
    """A model number as people say it: two digits as a number, three in two parts ("350" is "three fifty",
    "707" "seven oh seven", "135" "one thirty-five", "400" "four hundred")."""
    if len(digits) < 3:
        return cardinal(int(digits))
    head, tail = cardinal(int(digits[0])), digits[1:]
    if tail == "00":
        return f"{head} hundred"
    return f"{head} oh {cardinal(int(tail[1]))}" if tail[0] == "0" else f"{head} {cardinal(int(tail))}"


def say_boeing(m: re.Match[str]) -> str:
    """Boeing's jets: "787-9" is "seven eighty-seven nine", "737-800" "seven thirty-seven eight hundred", "777X"
    "triple seven X"."""
    family = "triple seven" if m.group("family") == "777" else model_number(m.group("family"))
    variant = f" {model_number(m.group('variant'))}" if m.group("variant") else ""
    letters = f" {' '.join(m.group('letters').upper())}" if m.group("letters") else ""
    return family + variant + letters


class _BoeingMatch:
    """The groups of whichever alternative of the Boeing pattern matched, under one set of names."""

    def __init__(self, m: re.Match[str]) -> None:
        self.values = {
            "family": m.group("family") or m.group("family2") or m.group("family3"),
            "variant": m.group("variant") or m.group("variant2"),
            "letters": m.group("letters") or m.group("letters2") or m.group("x"),
        }

    def group(self, name: str) -> str | None:
        return self.values[name]


def _boeing_groups(m: re.Match[str]) -> Any:
    return _BoeingMatch(m)


def say_model(m: re.Match[str]) -> str:
    """A model named by letters and a number: "A350" is "A three fifty", "F-35" "F thirty-five", "C-130" "C one thirty"."""
    suffix = m.group("suffix") or ""
    spoken_suffix = f" {suffix}" if suffix.islower() else f" {' '.join(suffix)}" if suffix else ""
    return f"{m.group('letters')} {model_number(m.group('number'))}{spoken_suffix}"


_AIRCRAFT_WORDS = (
    r"Max|MAX|Dreamliner|jets?|jetliners?|aircraft|airliners?|planes?|freighters?|fleets?|family|models?|orders?|crash|"
    r"fuselages?|engines?|cockpits?|pilots?|deliveries|production"
)


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
"""A pattern and what a match of it is said as."""
# A written number: "1,234" or "1234", with decimals.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"

_NUMBER_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
_NUMBER_WORD += r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"

# Brackets and other marks no voice should name, whatever the language.
_BRACKETS: Rule = (re.compile(r"[<>{}\[\]|~^\\=]"), lambda m: " ")
# A photo credit inside a paragraph, in brackets or fastened with "=" as Korean news sets it: "[사진=JTBC]",
# "(Foto: dpa)", "사진=연합뉴스". A credit on a line of its own is left out at extraction.
_CREDIT: Rule = (
    re.compile(rf"[\[(]\s*{PHOTO_WORDS}\s*[=:/][^\])\n]{{1,80}}[\])]|(?<![\w=]){PHOTO_WORDS}\s*=\s*[^\s,.;:)\]]+"),
    lambda m: " ",
)
NEUTRAL_RULES: tuple[Rule, ...] = (_CREDIT, _BRACKETS)
_COMPARISONS = {">": "greater than", "<": "less than", ">=": "at least", "<=": "at most"}


RULES: tuple[Rule, ...] = (
    _CREDIT,
    # Aircraft and other models, before numbers and ranges: a Boeing family after "Boeing", before a word about
    # aircraft, or with its variant or X ("787-9" is no range); an Airbus; letters joined to a number ("F-35").
    (
        re.compile(
            rf"(?:(?<=Boeing )|(?<=Boeing's ))(?P<family>7[0-8]7)(?:-(?P<variant>[1-9]00|10|\d))?(?P<letters>[xX]|ER|LR)?\b"
            rf"|\b(?P<family2>7[0-8]7)(?:(?:-(?P<variant2>[1-9]00|10|\d))(?P<letters2>ER|LR)?|(?P<x>[xX]))\b"
            rf"|\b(?P<family3>7[0-8]7)(?=s?\s(?:{_AIRCRAFT_WORDS})\b)"
        ),
        lambda m: say_boeing(_boeing_groups(m)),
    ),
    (re.compile(r"\b(?P<letters>A)(?P<number>[23]\d0|321|319|318)(?P<suffix>neo|XLR|LR|XWB)?\b"), say_model),
    (re.compile(r"\b(?P<letters>[A-Z]{1,3}|MiG|Su|Tu|Yak|Il)-(?P<number>\d{1,3})(?P<suffix>[A-Z]{1,2})?\b(?!-\d)"), say_model),
    # A minus sign before a number, before any rule that reads the number ("-25.6 °C" is "minus twenty-five …").
    (re.compile(r"(?<![\w.%-])-(?=\d)"), lambda m: "minus "),
    (re.compile(r"(?<![\w$])\+?(?:\d{1,3}[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"), say_phone),
    # Digit groups that are codes, said group by group: a number dialled with its leading zero
    # ("0937-141993", never a range), an ISBN or a part number of four groups or more ("978-1-55608-010-4").
    (re.compile(r"(?<![\w.-])(?:0\d{1,4}-\d{3,}(?:-\d+)*|\d{1,5}(?:-\d{1,7}){3,})(?![\w-])"), say_phone),
    # A version of three parts or more ("4.2.3", "v1.10.2"), before the numbers in it are read one by one.
    (re.compile(r"(?<![\w.])(?:(v)(\d+(?:\.\d+)+)|()(\d+(?:\.\d+){2,}))(?![\w]|\.\d)"), say_version),
    # A long number after the word that says it names something: digits, not "one million six hundred ...".
    (
        re.compile(r"\b((?:[Bb]ug|[Ii]ssue|[Tt]icket|PR|[Pp]ull request|[Cc]ommit|[Bb]uild)\s#?|#)(\d{5,})\b"),
        say_identifier,
    ),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), say_iso_date),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b"), say_slash_date),
    # An hour with am or pm and no minutes ("9am", "5 p.m.").
    (
        re.compile(r"(?<![:.\d])\b(\d{1,2})\s?([ap])\.?m\b\.?(?=\W|$)", re.I),
        lambda m: f"{cardinal(int(m.group(1)))} {m.group(2).upper()} M" if 1 <= int(m.group(1)) <= 12 else m.group(0),
    ),
    # A time written with a dot ("10.30am", British style) only with am or pm after it; "10.30" is a number.
    (re.compile(r"\b(\d{1,2})\.(\d{2})(\s?[ap]\.?m\b\.?)", re.I), say_clock),
    (
        re.compile(r"\b(\d{1,2}):(\d{2})(?::\d{2})?(\s*[ap]\.?\s?m(?:\.(?=\s+(?-i:[a-z0-9])|[,;:]))?(?=\W|$)|\s*[AP]\.?\s?M\b)?", re.I),
        say_clock,
    ),
    (
        re.compile(
            rf"(?P<cur>US\$|C\$|A\$|[$£€¥₴₹])\s?(?P<amt>{NUMBER})(?:\s?-\s?(?:[$£€¥])?(?P<hi>{NUMBER}))?(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|[kmbt])\b)?",
            re.I,
        ),
        say_money,
    ),
    (re.compile(r"(?<![\w.-])(-?\d{1,3}(?:\.\d)?)(C|F)\b"), say_bare_degrees),
    (re.compile(r"\b(\d{4})/(\d{2})\b"), say_season),
    (re.compile(r"(?<=\b\d)\s?x\s?(?=\d\b)|(?<=\b\d\d)\s?x\s?(?=\d\d?\b)"), lambda m: " by "),  # "3 x 4", "4x4": a size
    (re.compile(r"\b(\d{1,2})p\b"), say_pence),
    # Screen resolutions, said the way people say them ("1080p" is "ten eighty p").
    (re.compile(r"(?<![\w.])(720|1,?080|1,?440|2,?160|4,?320)p\b"), lambda m: f"{RESOLUTIONS[m.group(1).replace(',', '')]} p"),
    # "50x the average", "2x faster": times.
    (
        re.compile(r"\b(\d+(?:\.\d+)?)x(?=\s+(?:the|more|faster|slower|as|higher|lower|bigger|smaller|larger|longer)\b)"),
        lambda m: f"{cardinal(m.group(1))} times",
    ),
    # Numbers in the plural: "in her 30s" (thirties), "500s" (five hundreds); years have their own rule.
    (re.compile(r"(?<![\w.'’])([1-9]0)s\b"), lambda m: cardinal(m.group(1))[:-1] + "ies"),
    (re.compile(r"(?<![\w.'’])(\d00)s\b"), lambda m: cardinal(m.group(1)) + "s"),
    # "1.5m people", "2bn", "40k" (money took its own first); "m" before a noun in the plural is million.
    (
        re.compile(rf"\b(\d+(?:\.\d+)?(?=m|bn|tn)|(?:\d{{2,}}|\d+\.\d+)(?=k))(m|bn|k|tn)\b(\s+(?!{NOT_NOUNS}\b)[a-z]+\b)"),
        say_abbreviated_amount,
    ),
    # The emergency number after the word for calling it ("called 911"), not the Porsche or the date.
    (
        re.compile(r"\b((?:[Cc]all|[Cc]alled|[Cc]alling|[Dd]ial|[Dd]ialed|[Dd]ialled|[Dd]ialling)\s)(911|999|112)\b"),
        lambda m: f"{m.group(1)}{digits(m.group(2))}",
    ),
    (re.compile(r"(?<=\d)%\s?[-–]\s?(?=\d)"), lambda m: "% to "),  # "5%-7%"
    (re.compile(rf"(-?{NUMBER})(?:\s?-\s?({NUMBER}))?\s?(?:%|\s(?:percent|per cent)\b)"), say_percent),
    (
        re.compile(
            rf"\b(?P<mon>{MONTH_RE})\s(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:[-–](?P<end>\d{{1,2}})(?:st|nd|rd|th)?\b)?"
            rf"(?:,?\s(?P<yr>\d{{4}})\b)?"
        ),
        say_month_day,
    ),
    (re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s(?P<mon>{MONTH_RE})(?:\s(?P<yr>\d{{4}})\b)?"), say_day_month),
    (re.compile(r"\b(\d{4})s\b|'(\d0)s\b"), say_decade),
    (re.compile(rf"(?<![\d,.])({NUMBER})-({NUMBER})(?![\d,-])"), say_range),
    (re.compile(r"\b(\d+)(?:st|nd|rd|th)\b"), lambda m: ordinal(int(m.group(1)))),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})\b"), say_fraction),
    (
        re.compile(
            rf"(?<![\w.])({NUMBER})\s?(sq km|sq ft|sq m|km/h|°C|°F|kWh|km2|km|cm|mm|kg|mg|lbs?|oz|mph|kph|ft|mi|MW|GW|kW|GB|MB|TB|ha"
            r"|GHz|Ghz|MHz|kHz|Hz|mAh|V)(?![\w/])"
        ),
        say_unit,
    ),
)
WORD_RULES: tuple[Rule, ...] = (
    # A state's postal code after a place and a comma is the state ("West Palm Beach, FL" is "..., Florida"); a code
    # that is also an English word (OR, OK, IN, ME, HI, ID) only where a stop, the end or a ZIP code follows it.
    (
        re.compile(
            r"(\b[A-Z][a-z]+, )(" + "|".join(US_STATES) + r")\b(?![.'’-]\w)"
            r"(?=(?P<zip>\s*\d{5}\b)|(?P<stop>\s*[.,;:!?)\]\"”]|$)|\s+\S)"
        ),
        say_state,
    ),
    (re.compile(r"\b(Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Maj|Adm|Cmdr|Pres|Rev|Hon|Supt|Insp|Cpl|Pvt)\.\s*"), say_title),
    (re.compile(r"(?:\b([A-Za-z]\w*)\s)?\bDr\.(?:\s+([A-Za-z]\w*))?"), say_doctor_or_drive),
    (re.compile(r"(?:\b([A-Za-z0-9]\w*)\s)?\bSt\.(?:\s+([A-Za-z]\w*)(\s+[A-Z]\w*)?)?"), say_saint_or_street),
    (
        re.compile(r"\b(Mr|Mrs|Ms|Dr)\s(?=[A-Z][a-z])"),
        lambda m: {"Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor"}[m.group(1)] + " ",
    ),
    (re.compile(r"\bNo\.\s?(?=\d)"), lambda m: "number "),
    (re.compile(r"\bNos\.\s?(?=\d)"), lambda m: "numbers "),
    (
        re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?!\w)"),
        lambda m: ABBREVIATIONS[m.group(0)],
    ),
    (re.compile(r"\b(Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.(?=\s|,|$)"), lambda m: WEEKDAYS[m.group(1).lower()]),
    (re.compile(r"\b((?:World )?War|[A-Z][a-z]+)\s([IVXLC]{1,6})\b(?!\.\w)"), say_roman),
    (re.compile(rf"\b({NUMBER})\b"), lambda m: say_year_or_number(m) if re.fullmatch(r"\d{4}", m.group(1)) else cardinal(m.group(1))),
    (re.compile(r"\b(?:[A-Z]\.){2,}(?=\s|$|[,;:!?)'\"])"), lambda m: " ".join(m.group(0).replace(".", ""))),
    (re.compile(r"\b[A-Z]{2,10}s?\b"), lambda m: say_capitals(m.group(0), is_shouting(m.string))),
    (re.compile(r"&"), lambda m: " and "),
    (re.compile(r"(?<!\w)#(\w+)"), lambda m: m.group(1)),
    # A range whose ends were written out ("10am-2pm", "$5bn-$6bn", "5%-7%"): the dash is "to".
    (re.compile(rf"\b([AP] M|dollars|pounds|euros|percent)\s?[-–]\s?(?={_NUMBER_WORD}\b)"), lambda m: f"{m.group(1)} to "),
    # A slash between two words in lower case is "or" ("and/or", "want/need"); "I/O" and "TCP/IP" are names.
    (re.compile(r"\b(dollars|pounds|euros|cents|pence)/([a-z]+)\b"), lambda m: f"{m.group(1)} per {m.group(2)}"),
    (
        re.compile(r"\band/or\b|(?<![/\w])([a-z]{2,})/([a-z]{2,})\b(?!/)"),
        lambda m: f"{m.group(1)} or {m.group(2)}" if m.group(1) else "and or",
    ),
    (re.compile(r"\s?\+\s?"), lambda m: " plus "),
    (re.compile(r"(?<=\w)\s*=\s*(?=\w)"), lambda m: " equals "),
    # A comparison between words or numbers ("if a > b"); angle brackets around a name ("<host>") are dropped.
    (re.compile(r"(?<=\w)\s(>=|<=|>|<)\s(?=\w)"), lambda m: f" {_COMPARISONS[m.group(1)]} "),
    _BRACKETS,
)
