"""How amounts, dates, times, ranges, units, titles, addresses and numerals are said in English."""

from __future__ import annotations

import re

from ..extract.dates import MONTH_ABBR, MONTHS
from .numbers import cardinal, decade, digits, ordinal, roman_value, year
from .words import CURRENCIES, SCALES, SINGULAR_UNITS, TITLES, UNITS


def say_money(m: re.Match[str]) -> str:
    symbol = m.group("cur")
    one, many, sub_one, sub_many = CURRENCIES.get(symbol, CURRENCIES["$"])
    amount = m.group("amt").replace(",", "")
    high = m.group("hi")
    scale = (m.group("scale") or "").lower()
    scale_word = SCALES.get(scale, "")
    if high:
        spoken = f"{cardinal(amount)} to {cardinal(high.replace(',', ''))}"
    else:
        whole, _, cents = amount.partition(".")
        if cents and not scale_word and len(cents) == 2:
            w = int(whole)
            parts = [f"{cardinal(w)} {one if w == 1 else many}"] if w else []
            if int(cents):
                parts.append(f"{cardinal(int(cents))} {sub_one if int(cents) == 1 else sub_many}")
            return " and ".join(parts) or f"zero {many}"
        spoken = cardinal(amount)
    if scale_word:
        return f"{spoken} {scale_word} {many}"
    return f"{spoken} {one if (amount in {'1', '1.0'} and not high) else many}"


def say_pence(m: re.Match[str]) -> str:
    n = int(m.group(1))
    return f"{cardinal(n)} {'penny' if n == 1 else 'pence'}"


def say_percent(m: re.Match[str]) -> str:
    low, high = m.group(1), m.group(2)
    return f"{cardinal(low)} to {cardinal(high)} percent" if high else f"{cardinal(low)} percent"


def say_month(name: str) -> str:
    return MONTH_ABBR.get(name.rstrip(".").lower()[:4] if name.lower().startswith("sept") else name.rstrip(".").lower()[:3], name)


def say_month_day(m: re.Match[str]) -> str:
    text = f"{say_month(m.group('mon'))} {ordinal(int(m.group('day')))}"
    if m.group("end"):
        text += f" to {ordinal(int(m.group('end')))}"  # "Nov. 3-5"
    if m.group("yr"):
        text += f", {year(int(m.group('yr')))}"
    return text


def say_day_month(m: re.Match[str]) -> str:
    text = f"the {ordinal(int(m.group('day')))} of {say_month(m.group('mon'))}"
    if m.group("yr"):
        text += f", {year(int(m.group('yr')))}"
    return text


def say_iso_date(m: re.Match[str]) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m.group(0)
    return f"{MONTHS[mo - 1]} {ordinal(d)}, {year(y)}"


def say_slash_date(m: re.Match[str]) -> str:
    a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y < 100:
        y += 2000 if y < 50 else 1900
    month, day = (a, b) if a <= 12 else (b, a)  # US order unless the first part cannot be a month
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0)
    return f"{MONTHS[month - 1]} {ordinal(day)}, {year(y)}"


def say_clock(m: re.Match[str]) -> str:
    h, mi = int(m.group(1)), int(m.group(2))
    suffix = (m.group(3) or "").replace(".", "").replace(" ", "").lower()
    if h > 23 or mi > 59:
        return m.group(0)
    if not suffix and (h >= 13 or m.group(1).startswith("0")):
        hours = cardinal(h) if h else "zero"
        return f"{hours} hundred" if mi == 0 else f"{hours} {('oh ' + cardinal(mi)) if mi < 10 else cardinal(mi)}"
    minutes = "" if mi == 0 else (f" oh {cardinal(mi)}" if mi < 10 else f" {cardinal(mi)}")
    hour_word = cardinal(h % 12 or 12) if suffix else cardinal(h)
    if not minutes and not suffix:
        minutes = " o'clock"
    return f"{hour_word}{minutes}" + (f" {' '.join(suffix.upper())}" if suffix else "")


RESOLUTIONS = {
    "720": "seven twenty",
    "1080": "ten eighty",
    "1440": "fourteen forty",
    "2160": "twenty-one sixty",
    "4320": "forty-three twenty",
}

# Races and strokes measured in meters ("the 100m sprint", "400m hurdles").
_RACES = r"sprint|sprints|dash|hurdles|race|races|final|finals|heat|heats|relay|freestyle|butterfly|backstroke|breaststroke|medley"
# Words after "5m" that say nothing of what is counted ("grew 5m in May" stays as written).
NOT_NOUNS = r"(?:in|at|on|to|and|or|the|a|an|is|was|are|were|by|for|with|this|that|as|than|per|each|more|less)"


def say_bare_degrees(m: re.Match[str]) -> str:
    """``40C`` after a word about the weather in the same clause ("temperatures hit 40C") is degrees; elsewhere
    ("seat 40C") it is left alone."""
    before = re.split(r"[.;!?]", m.string[max(0, m.start() - 60) : m.start()])[-1].lower()  # this clause only
    if not re.search(r"temperature|heat|degrees|warm|hot|cold|freez|weather|high of|low of|thermometer", before):
        return m.group(0)
    unit = "degrees Celsius" if m.group(2) == "C" else "degrees Fahrenheit"
    return f"{m.group(1)} {unit}"


def say_season(m: re.Match[str]) -> str:
    """``2023/24`` (a season, a financial year) → ``twenty twenty-three to twenty-four``."""
    first, second = int(m.group(1)), int(m.group(2))
    if second != (first + 1) % 100:
        return m.group(0)
    return f"{year(first)} to {cardinal(second)}"


def say_abbreviated_amount(m: re.Match[str]) -> str:
    """``1.5m people`` → ``one point five million people``, ``2bn`` → ``two billion``, ``40k`` → ``forty thousand``;
    ``2m tall`` is two meters; ``a 5m drop`` is left as written (a count or a length)."""
    number, suffix, after = m.group(1), m.group(2).lower(), m.group(3)
    if suffix == "m" and re.match(rf"\s+(tall|long|high|wide|deep|away|above|below|of|from|down|up|under|{_RACES})\b", after):
        unit = "meter" if number in {"1", "1.0"} else "meters"
        return f"{cardinal(number)} {unit}{after}"
    noun = after.split()[-1]
    counted = "." in number or noun in {"people", "children", "men", "women"} or (noun.endswith("s") and not noun.endswith("ss"))
    if suffix == "m" and not counted:
        return m.group(0)  # "a 5m drop": meters or millions, the text does not say
    scale = {"m": "million", "bn": "billion", "k": "thousand", "tn": "trillion"}[suffix]
    return f"{cardinal(number)} {scale}{after}"


def say_range(m: re.Match[str]) -> str:
    a, b = m.group(1), m.group(2)
    if a == b:
        return f"{cardinal(a)}-{cardinal(b)}"  # "a 50-50 chance" is even, not a range
    if "." in a + b or "," in a + b:
        return f"{cardinal(a)} to {cardinal(b)}"
    ia, ib = int(a), int(b)
    if len(a) == 4 and 1000 <= ia <= 2099:
        if len(b) == 2:
            ib = ia // 100 * 100 + ib
        if ib > ia:
            return f"{year(ia)} to {year(ib)}"
    return f"{cardinal(ia)} to {cardinal(ib)}"


def say_decade(m: re.Match[str]) -> str:
    if m.group(1):
        return decade(int(m.group(1)))
    return decade(int(m.group(2))).split()[-1]


def say_fraction(m: re.Match[str]) -> str:
    num, den = int(m.group(1)), int(m.group(2))
    if num >= den or (den > 10 and num != 1):
        return f"{cardinal(num)} {cardinal(den)}"  # a name, not a share: "9/11", "24/7"
    names = {2: ("half", "halves"), 4: ("quarter", "quarters")}
    noun = names[den][0 if num == 1 else 1] if den in names else ordinal(den) + ("" if num == 1 else "s")
    return f"{cardinal(num)} {noun}" if num != 1 else f"one {noun}"


def say_unit(m: re.Match[str]) -> str:
    number, unit = m.group(1), m.group(2)
    word = UNITS.get(unit) or UNITS.get(unit.lower(), unit)
    if number.replace(",", "") in {"1", "1.0"}:
        word = SINGULAR_UNITS.get(word, word[:-1] if word.endswith("s") else word)
    return f"{cardinal(number)} {word}"


def say_title(m: re.Match[str]) -> str:
    return TITLES[m.group(1)] + " "


def say_doctor_or_drive(m: re.Match[str]) -> str:
    before, after = m.group(1), m.group(2)
    # "Dr. Smith" is a doctor; "Elm Dr." or "Mulholland Dr. in" is a drive.
    if before and before[0].isupper() and not (after and after[0].isupper()):
        return f"{before} Drive{' ' if after else ''}{after or ''}"
    return f"{before + ' ' if before else ''}Doctor {after or ''}".rstrip() + (" " if not after else "")


def say_saint_or_street(m: re.Match[str]) -> str:
    before, after = m.group(1), m.group(2)
    if (
        before
        and (before[0].isupper() or before[0].isdigit())
        and not (after and after[0].isupper() and after not in {"In", "On", "At", "The"})
    ):
        return f"{before} Street{' ' + after if after else ''}"
    if before and before[0].isupper() and after and after[0].isupper() and m.group(3):
        return f"{before} Street {after}"
    return f"{before + ' ' if before else ''}Saint {after or ''}".rstrip()


_SERIES_WORDS = frozenset(
    "War Part Chapter Vol Volume Act Phase Title Super Book Round Stage Type Class Category Article Section Appendix".split()  # noqa: SIM905  # a word list reads better as text
)


def say_roman(m: re.Match[str]) -> str:
    name, numeral = m.group(1), m.group(2)
    value = roman_value(numeral)
    series = name.split()[-1] in _SERIES_WORDS
    # A lone letter (the "X" of "One X", the "I" of "I think") is a numeral only after a series word.
    if value is None or (len(numeral) == 1 and not series):
        return m.group(0)
    if series:
        return f"{name} {cardinal(value)}"
    return f"{name} the {ordinal(value)}"


def say_phone(m: re.Match[str]) -> str:
    groups = [g for g in re.split(r"[\s().-]+", m.group(0)) if g]
    spoken = ", ".join(digits(g) for g in groups)
    return ("plus " if m.group(0).startswith("+") else "") + spoken


def say_version(m: re.Match[str]) -> str:
    """``4.2.3`` → ``four point two point three``; ``v1.10`` → ``version one point ten``.

    Four parts of at most 255 are a network address: ``192.168.0.1`` is said with "dot".
    """
    prefixed = bool(m.group(1))
    parts = [int(part) for part in (m.group(2) if prefixed else m.group(4)).split(".")]
    joint = " dot " if len(parts) == 4 and max(parts) <= 255 and not prefixed else " point "
    spoken = joint.join(cardinal(part) for part in parts)
    return f"version {spoken}" if prefixed else spoken


def say_identifier(m: re.Match[str]) -> str:
    """A long number that names a thing (``Bug 1677080``, ``#45210``) is said digit by digit."""
    return f"{m.group(1)}{digits(m.group(2))}"


def say_year_or_number(m: re.Match[str]) -> str:
    value = int(m.group(1))
    following = m.string[m.end() : m.end() + 20]
    plural_noun = re.match(r"\s+[a-z]+s\b", following) and not re.match(r"\s+(was|has|is|as|this|its|his|hers|years?)\b", following)
    if 1100 <= value <= 2099 and not plural_noun:
        return year(value)
    return cardinal(value)
