"""Stage 3: turn an article's words into text any engine reads aloud correctly."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .acronyms import is_shouting, say_capitals
from .lexicon import Lexicon, builtin_lexicon
from .models import primary_language
from .numbers import cardinal, decade, digits, ordinal, roman_value, year
from .vocabulary import ABBREVIATIONS, CURRENCIES, MONTH_ABBR, MONTH_RE, MONTHS, SCALES, SINGULAR_UNITS, TITLES, UNITS, WEEKDAYS

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


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
        "\u00ad": "",
        "\u200b": "",
        "\u2060": "",
        "\ufeff": "",
    }
)


# Marks that set the direction of text; they have no sound (zero-width joiners, which some scripts need, stay).
_BIDI_MARKS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Vulgar fractions, said before NFKC turns "4½" into "41⁄2".
_FRACTIONS = {"½": "a half", "⅓": "a third", "⅔": "two thirds", "¼": "a quarter", "¾": "three quarters", "⅛": "an eighth"}
_ENGLISH_SYMBOLS = (
    # "5 * 300", "4×4", "n × n", "n * m"; an asterisk between words is a list's bullet ("name * type")
    (re.compile(r"(?<=\d) ?[×*] ?(?=\d)|(?<=\w) × (?=\w)|(?<=\b\w) \* (?=\w\b)"), " times "),
    (re.compile(r"±\s?"), "plus or minus "),
    (re.compile(r"§\s?"), "section "),
)
_SILENT_MARKS = re.compile(r"[¶`]")  # a heading's anchor mark, code quotes


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
    text = "".join(ch for ch in text if not _is_emoji(ch) and ch not in _BIDI_MARKS)
    for pattern, spoken in _ENGLISH_SYMBOLS if english else ():
        text = pattern.sub(spoken, text)
    text = _SILENT_MARKS.sub("", text)
    text = re.sub(r"(?<=\d)\s*[–—]\s*(?=\d)", "-", text)  # numeric ranges use a plain hyphen from here on
    text = re.sub(r"\s*[—–]\s*|\s+--\s+", ", ", text)
    text = re.sub(r"(?<=\S)\[(?:\d{1,3}|[a-z])\]", "", text)  # footnote markers
    text = re.sub(r"(?<=[^\W_])_(?=[^\W_])", " ", text)  # "storage_root" is two words, not "storageroot"
    text = re.sub(r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}", "", text)
    text = re.sub(r"(?<!\S)\*+(?!\S)", " ", text)  # a bullet or a rule of asterisks left in the text
    return text


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    pictograph = 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF  # symbols, dingbats, stars and arrows ("⭐", "⬇")
    return (0x1F000 <= cp <= 0x1FAFF) or (pictograph and unicodedata.category(ch) == "So") or cp in (0xFE0F, 0x200D)


def _money(m: re.Match[str]) -> str:
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


def _pence(m: re.Match[str]) -> str:
    n = int(m.group(1))
    return f"{cardinal(n)} {'penny' if n == 1 else 'pence'}"


def _percent(m: re.Match[str]) -> str:
    low, high = m.group(1), m.group(2)
    return f"{cardinal(low)} to {cardinal(high)} percent" if high else f"{cardinal(low)} percent"


def _month(name: str) -> str:
    return MONTH_ABBR.get(name.rstrip(".").lower()[:4] if name.lower().startswith("sept") else name.rstrip(".").lower()[:3], name)


def _month_day(m: re.Match[str]) -> str:
    text = f"{_month(m.group('mon'))} {ordinal(int(m.group('day')))}"
    if m.group("end"):
        text += f" to {ordinal(int(m.group('end')))}"  # "Nov. 3-5"
    if m.group("yr"):
        text += f", {year(int(m.group('yr')))}"
    return text


def _day_month(m: re.Match[str]) -> str:
    text = f"the {ordinal(int(m.group('day')))} of {_month(m.group('mon'))}"
    if m.group("yr"):
        text += f", {year(int(m.group('yr')))}"
    return text


def _iso_date(m: re.Match[str]) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m.group(0)
    return f"{MONTHS[mo - 1]} {ordinal(d)}, {year(y)}"


def _slash_date(m: re.Match[str]) -> str:
    a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y < 100:
        y += 2000 if y < 50 else 1900
    month, day = (a, b) if a <= 12 else (b, a)  # US order unless the first part cannot be a month
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0)
    return f"{MONTHS[month - 1]} {ordinal(day)}, {year(y)}"


def _clock(m: re.Match[str]) -> str:
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


_RESOLUTIONS = {
    "720": "seven twenty",
    "1080": "ten eighty",
    "1440": "fourteen forty",
    "2160": "twenty-one sixty",
    "4320": "forty-three twenty",
}

# Races and strokes measured in meters ("the 100m sprint", "400m hurdles").
_RACES = r"sprint|sprints|dash|hurdles|race|races|final|finals|heat|heats|relay|freestyle|butterfly|backstroke|breaststroke|medley"
# Words after "5m" that say nothing of what is counted ("grew 5m in May" stays as written).
_NOT_NOUNS = r"(?:in|at|on|to|and|or|the|a|an|is|was|are|were|by|for|with|this|that|as|than|per|each|more|less)"


def _bare_degrees(m: re.Match[str]) -> str:
    """``40C`` after a word about the weather in the same clause ("temperatures hit 40C") is degrees; elsewhere
    ("seat 40C") it is left alone."""
    before = re.split(r"[.;!?]", m.string[max(0, m.start() - 60) : m.start()])[-1].lower()  # this clause only
    if not re.search(r"temperature|heat|degrees|warm|hot|cold|freez|weather|high of|low of|thermometer", before):
        return m.group(0)
    unit = "degrees Celsius" if m.group(2) == "C" else "degrees Fahrenheit"
    return f"{m.group(1)} {unit}"


def _season(m: re.Match[str]) -> str:
    """``2023/24`` (a season, a financial year) → ``twenty twenty-three to twenty-four``."""
    first, second = int(m.group(1)), int(m.group(2))
    if second != (first + 1) % 100:
        return m.group(0)
    return f"{year(first)} to {cardinal(second)}"


def _abbreviated_amount(m: re.Match[str]) -> str:
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


def _range(m: re.Match[str]) -> str:
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


def _decade(m: re.Match[str]) -> str:
    if m.group(1):
        return decade(int(m.group(1)))
    return decade(int(m.group(2))).split()[-1]


def _fraction(m: re.Match[str]) -> str:
    num, den = int(m.group(1)), int(m.group(2))
    if num >= den or (den > 10 and num != 1):
        return f"{cardinal(num)} {cardinal(den)}"  # a name, not a share: "9/11", "24/7"
    names = {2: ("half", "halves"), 4: ("quarter", "quarters")}
    noun = names[den][0 if num == 1 else 1] if den in names else ordinal(den) + ("" if num == 1 else "s")
    return f"{cardinal(num)} {noun}" if num != 1 else f"one {noun}"


def _unit(m: re.Match[str]) -> str:
    number, unit = m.group(1), m.group(2)
    word = UNITS.get(unit) or UNITS.get(unit.lower(), unit)
    if number.replace(",", "") in {"1", "1.0"}:
        word = SINGULAR_UNITS.get(word, word[:-1] if word.endswith("s") else word)
    return f"{cardinal(number)} {word}"


def _title(m: re.Match[str]) -> str:
    return TITLES[m.group(1)] + " "


def _doctor_or_drive(m: re.Match[str]) -> str:
    before, after = m.group(1), m.group(2)
    # "Dr. Smith" is a doctor; "Elm Dr." or "Mulholland Dr. in" is a drive.
    if before and before[0].isupper() and not (after and after[0].isupper()):
        return f"{before} Drive{' ' if after else ''}{after or ''}"
    return f"{before + ' ' if before else ''}Doctor {after or ''}".rstrip() + (" " if not after else "")


def _saint_or_street(m: re.Match[str]) -> str:
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


def _roman(m: re.Match[str]) -> str:
    name, numeral = m.group(1), m.group(2)
    value = roman_value(numeral)
    series = name.split()[-1] in _SERIES_WORDS
    # A lone letter (the "X" of "One X", the "I" of "I think") is a numeral only after a series word.
    if value is None or (len(numeral) == 1 and not series):
        return m.group(0)
    if series:
        return f"{name} {cardinal(value)}"
    return f"{name} the {ordinal(value)}"


def _shouting(text: str) -> bool:
    return is_shouting(text)


def _url(m: re.Match[str]) -> str:
    host = re.sub(r"^(https?://)?(www\.)?", "", m.group(0), flags=re.I).split("/")[0]
    return host.replace(".", " dot ")


def _email(m: re.Match[str]) -> str:
    user, host = m.group(1), m.group(2)
    return f"{user} at {host.replace('.', ' dot ')}"


def _phone(m: re.Match[str]) -> str:
    groups = [g for g in re.split(r"[\s().-]+", m.group(0)) if g]
    spoken = ", ".join(digits(g) for g in groups)
    return ("plus " if m.group(0).startswith("+") else "") + spoken


def _version(m: re.Match[str]) -> str:
    """``4.2.3`` → ``four point two point three``; ``v1.10`` → ``version one point ten``.

    Four parts of at most 255 are a network address: ``192.168.0.1`` is said with "dot".
    """
    prefixed = bool(m.group(1))
    parts = [int(part) for part in (m.group(2) if prefixed else m.group(4)).split(".")]
    joint = " dot " if len(parts) == 4 and max(parts) <= 255 and not prefixed else " point "
    spoken = joint.join(cardinal(part) for part in parts)
    return f"version {spoken}" if prefixed else spoken


def _identifier(m: re.Match[str]) -> str:
    """A long number that names a thing (``Bug 1677080``, ``#45210``) is said digit by digit."""
    return f"{m.group(1)}{digits(m.group(2))}"


def _year_or_number(m: re.Match[str]) -> str:
    value = int(m.group(1))
    following = m.string[m.end() : m.end() + 20]
    plural_noun = re.match(r"\s+[a-z]+s\b", following) and not re.match(r"\s+(was|has|is|as|this|its|his|hers|years?)\b", following)
    if 1100 <= value <= 2099 and not plural_noun:
        return year(value)
    return cardinal(value)


_NUMBER_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
_NUMBER_WORD += r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"

# Brackets and other marks no voice should name, whatever the language.
_BRACKETS: Rule = (re.compile(r"[<>{}\[\]|~^\\]"), lambda m: " ")
_NEUTRAL_RULES: tuple[Rule, ...] = (_BRACKETS,)
_COMPARISONS = {">": "greater than", "<": "less than", ">=": "at least", "<=": "at most"}


_RULES: tuple[Rule, ...] = (
    # A minus sign before a number, before any rule that reads the number ("-25.6 °C" is "minus twenty-five …").
    (re.compile(r"(?<![\w.%-])-(?=\d)"), lambda m: "minus "),
    (re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b"), _email),
    (re.compile(r"\bhttps?://\S+|\bwww\.\S+\.[a-z]{2,}\S*", re.I), _url),
    # A bare domain, with the path after it if any ("pic.twitter.com/BUPgYtgHaY" is said as its host alone).
    (
        re.compile(
            r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|co|uk|de|fr|info|news|ai|dev|app)\b(?![\w-])"
            r"(?:/(?:\S*[^\s.,;:!?)\]\"'])?)?",
            re.I,
        ),
        _url,
    ),
    (re.compile(r"(?<![\w$])\+?(?:\d{1,3}[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"), _phone),
    # Digit groups that are codes, said group by group: a number dialled with its leading zero
    # ("0937-141993", never a range), an ISBN or a part number of four groups or more ("978-1-55608-010-4").
    (re.compile(r"(?<![\w.-])(?:0\d{1,4}-\d{3,}(?:-\d+)*|\d{1,5}(?:-\d{1,7}){3,})(?![\w-])"), _phone),
    # A version of three parts or more ("4.2.3", "v1.10.2"), before the numbers in it are read one by one.
    (re.compile(r"(?<![\w.])(?:(v)(\d+(?:\.\d+)+)|()(\d+(?:\.\d+){2,}))(?![\w]|\.\d)"), _version),
    # A long number after the word that says it names something: digits, not "one million six hundred ...".
    (
        re.compile(r"\b((?:[Bb]ug|[Ii]ssue|[Tt]icket|PR|[Pp]ull request|[Cc]ommit|[Bb]uild)\s#?|#)(\d{5,})\b"),
        _identifier,
    ),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), _iso_date),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b"), _slash_date),
    # An hour with am or pm and no minutes ("9am", "5 p.m.").
    (
        re.compile(r"(?<![:.\d])\b(\d{1,2})\s?([ap])\.?m\b\.?(?=\W|$)", re.I),
        lambda m: f"{cardinal(int(m.group(1)))} {m.group(2).upper()} M" if 1 <= int(m.group(1)) <= 12 else m.group(0),
    ),
    # A time written with a dot ("10.30am", British style) only with am or pm after it; "10.30" is a number.
    (re.compile(r"\b(\d{1,2})\.(\d{2})(\s?[ap]\.?m\b\.?)", re.I), _clock),
    (
        re.compile(r"\b(\d{1,2}):(\d{2})(?::\d{2})?(\s*[ap]\.?\s?m(?:\.(?=\s+(?-i:[a-z0-9])|[,;:]))?(?=\W|$)|\s*[AP]\.?\s?M\b)?", re.I),
        _clock,
    ),
    (
        re.compile(
            rf"(?P<cur>US\$|C\$|A\$|[$£€¥₴₹])\s?(?P<amt>{_NUM})(?:\s?-\s?(?:[$£€¥])?(?P<hi>{_NUM}))?(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|[kmbt])\b)?",
            re.I,
        ),
        _money,
    ),
    (re.compile(r"(?<![\w.-])(-?\d{1,3}(?:\.\d)?)(C|F)\b"), _bare_degrees),
    (re.compile(r"\b(\d{4})/(\d{2})\b"), _season),
    (re.compile(r"(?<=\b\d)\s?x\s?(?=\d\b)|(?<=\b\d\d)\s?x\s?(?=\d\d?\b)"), lambda m: " by "),  # "3 x 4", "4x4": a size
    (re.compile(r"\b(\d{1,2})p\b"), _pence),
    # Screen resolutions, said the way people say them ("1080p" is "ten eighty p").
    (re.compile(r"(?<![\w.])(720|1,?080|1,?440|2,?160|4,?320)p\b"), lambda m: f"{_RESOLUTIONS[m.group(1).replace(',', '')]} p"),
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
        re.compile(rf"\b(\d+(?:\.\d+)?(?=m|bn|tn)|(?:\d{{2,}}|\d+\.\d+)(?=k))(m|bn|k|tn)\b(\s+(?!{_NOT_NOUNS}\b)[a-z]+\b)"),
        _abbreviated_amount,
    ),
    # The emergency number after the word for calling it ("called 911"), not the Porsche or the date.
    (
        re.compile(r"\b((?:[Cc]all|[Cc]alled|[Cc]alling|[Dd]ial|[Dd]ialed|[Dd]ialled|[Dd]ialling)\s)(911|999|112)\b"),
        lambda m: f"{m.group(1)}{digits(m.group(2))}",
    ),
    (re.compile(r"(?<=\d)%\s?[-–]\s?(?=\d)"), lambda m: "% to "),  # "5%-7%"
    (re.compile(rf"(-?{_NUM})(?:\s?-\s?({_NUM}))?\s?(?:%|\s(?:percent|per cent)\b)"), _percent),
    (
        re.compile(
            rf"\b(?P<mon>{MONTH_RE})\s(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:[-–](?P<end>\d{{1,2}})(?:st|nd|rd|th)?\b)?"
            rf"(?:,?\s(?P<yr>\d{{4}})\b)?"
        ),
        _month_day,
    ),
    (re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s(?P<mon>{MONTH_RE})(?:\s(?P<yr>\d{{4}})\b)?"), _day_month),
    (re.compile(r"\b(\d{4})s\b|'(\d0)s\b"), _decade),
    (re.compile(rf"(?<![\d,.])({_NUM})-({_NUM})(?![\d,-])"), _range),
    (re.compile(r"\b(\d+)(?:st|nd|rd|th)\b"), lambda m: ordinal(int(m.group(1)))),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})\b"), _fraction),
    (
        re.compile(
            rf"(?<![\w.])({_NUM})\s?(sq km|sq ft|sq m|km/h|°C|°F|kWh|km2|km|cm|mm|kg|mg|lbs?|oz|mph|kph|ft|mi|MW|GW|kW|GB|MB|TB|ha"
            r"|GHz|Ghz|MHz|kHz|Hz|mAh|V)(?![\w/])"
        ),
        _unit,
    ),
)
_WORD_RULES: tuple[Rule, ...] = (
    (re.compile(r"\b(Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Maj|Adm|Cmdr|Pres|Rev|Hon|Supt|Insp|Cpl|Pvt)\.\s*"), _title),
    (re.compile(r"(?:\b([A-Za-z]\w*)\s)?\bDr\.(?:\s+([A-Za-z]\w*))?"), _doctor_or_drive),
    (re.compile(r"(?:\b([A-Za-z0-9]\w*)\s)?\bSt\.(?:\s+([A-Za-z]\w*)(\s+[A-Z]\w*)?)?"), _saint_or_street),
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
    (re.compile(r"\b((?:World )?War|[A-Z][a-z]+)\s([IVXLC]{1,6})\b(?!\.\w)"), _roman),
    (re.compile(rf"\b({_NUM})\b"), lambda m: _year_or_number(m) if re.fullmatch(r"\d{4}", m.group(1)) else cardinal(m.group(1))),
    (re.compile(r"\b(?:[A-Z]\.){2,}(?=\s|$|[,;:!?)'\"])"), lambda m: " ".join(m.group(0).replace(".", ""))),
    (re.compile(r"\b[A-Z]{2,10}s?\b"), lambda m: say_capitals(m.group(0), _shouting(m.string))),
    (re.compile(r"&"), lambda m: " and "),
    (re.compile(r"(?<!\w)@(\w+)"), lambda m: f"at {m.group(1)}"),
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
    (re.compile(r"\s=\s"), lambda m: " equals "),
    # A comparison between words or numbers ("if a > b"); angle brackets around a name ("<host>") are dropped.
    (re.compile(r"(?<=\w)\s(>=|<=|>|<)\s(?=\w)"), lambda m: f" {_COMPARISONS[m.group(1)]} "),
    _BRACKETS,
)


def normalize_text(text: str, lexicon: Lexicon | None = None, language: str | None = None) -> str:
    """Rewrite ``text`` so a speech engine says it as a newsreader would.

    The user lexicon applies first, then the built-in lexicon, then the number,
    date, money, abbreviation and acronym rules. The result never contains digits
    an engine could misread, and is empty only when ``text`` holds nothing speakable.

    Those rules are English. For text in another language (``language``, a BCP 47 tag such as ``es``)
    only the user lexicon and the clean-up of symbols, emoji and markup apply: numbers, dates and
    abbreviations are left to the voice of that language, which reads them in its own words ("5
    personas" as "cinco personas", not "five personas").
    """
    english = primary_language(language) == "en"
    text = clean_unicode(text, english)
    stripped = text.rstrip()
    ending = stripped[-1] if stripped and stripped[-1] in ".!?" else ""
    if lexicon is not None:
        text = lexicon.apply(text)
    if english:
        text = builtin_lexicon().apply(text)
    for pattern, replace in _RULES + _WORD_RULES if english else _NEUTRAL_RULES:
        text = pattern.sub(replace, text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?=[^\s\d\"')\]])", r"\1 ", text)
    text = re.sub(r",\s*,", ",", text)
    text = _ws(text)
    if ending and text and text[-1] not in ".!?\"')":
        text += ending
    return text


def speakable(text: str) -> bool:
    """True when ``text`` holds at least one letter or digit an engine can say."""
    return any(ch.isalnum() for ch in text)
