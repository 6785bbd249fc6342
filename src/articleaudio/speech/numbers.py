"""Numbers as a newsreader says them, built on num2words."""

from __future__ import annotations

import re

from num2words import num2words

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _tidy(words: str) -> str:
    # US news style: "two thousand five", not "two thousand and five"; no commas inside numbers.
    return re.sub(r"\s+", " ", words.replace(",", "").replace(" and ", " ")).strip()


def cardinal(value: int | float | str) -> str:
    """``1234`` → ``one thousand two hundred thirty-four``; decimals read digit by digit."""
    text = str(value).replace(",", "")
    negative = text.startswith(("-", "−"))
    text = text.lstrip("-−+")
    whole, _, frac = text.partition(".")
    words = _tidy(num2words(int(whole or "0")))
    if frac:
        words += " point " + " ".join(_tidy(num2words(int(d))) for d in frac)
    return ("minus " + words) if negative else words


def ordinal(value: int) -> str:
    """``21`` → ``twenty-first``."""
    return _tidy(num2words(value, to="ordinal"))


def year(value: int) -> str:
    """``1995`` → ``nineteen ninety-five``, ``2005`` → ``two thousand five``, ``2024`` → ``twenty twenty-four``."""
    if 2000 <= value <= 2009:
        return cardinal(value)
    words = _tidy(num2words(value, to="year"))
    return words.replace("oh-", "oh ")


def decade(value: int) -> str:
    """``1990`` → ``nineteen nineties``; ``2000`` → ``two thousands``."""
    words = year(value) if value >= 100 else cardinal(value)
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith("hundred") and value % 100 == 0 and value < 2000:
        return words + "s"
    return words + "s"


def digits(text: str) -> str:
    """``0800`` → ``zero eight zero zero``: for phone numbers and codes."""
    names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    return " ".join(names[int(d)] for d in text if d.isdigit())


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral (II–MMM), or None when ``text`` is not one."""
    if not text or not re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", text):
        return None
    total = 0
    for here, after in zip(text, [*text[1:], ""], strict=True):
        v = _ROMAN[here]
        total += -v if after and _ROMAN[after] > v else v
    return total or None
