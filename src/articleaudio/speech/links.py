"""Links and e-mail addresses, said briefly in the article's language: the host, never the path.

A voice handed a link reads it character by character: an Italian voice took 10.6 s over
"http://amzn.to/…". So in every language a link is cut to its host, the host's dots are said with
the language's word for "dot" (where this table knows it; otherwise the voice reads the host as
written), an e-mail address is its user, the language's name for "@" and its host, and a link that
stands alone (a sentence that is nothing else) is not read at all.
"""

from __future__ import annotations

import re

from ..models import primary_language

# How a dot in an address is said, and how "@" in an e-mail address is said, by language.
DOT_WORDS = {
    "en": "dot", "es": "punto", "fr": "point", "de": "Punkt", "it": "punto", "pt": "ponto", "nl": "punt", "ca": "punt",
    "sv": "punkt", "da": "punktum", "no": "punktum", "nb": "punktum", "fi": "piste", "pl": "kropka", "cs": "tečka",
    "sk": "bodka", "hu": "pont", "ro": "punct", "tr": "nokta", "id": "titik", "ms": "titik", "vi": "chấm", "ru": "точка",
    "uk": "крапка", "bg": "точка", "el": "τελεία", "ko": "닷", "ja": "ドット", "zh": "点", "ar": "نقطة", "fa": "نقطه",
    "he": "נקודה", "hi": "डॉट",
}  # fmt: skip
EMAIL_AT_WORDS = {
    "en": "at", "es": "arroba", "fr": "arobase", "de": "at", "it": "chiocciola", "pt": "arroba", "nl": "apenstaartje",
    "ca": "arrova", "sv": "snabel-a", "da": "snabel-a", "no": "krøllalfa", "nb": "krøllalfa", "fi": "ät", "pl": "małpa",
    "cs": "zavináč", "sk": "zavináč", "hu": "kukac", "ro": "arond", "tr": "et", "id": "et", "ms": "alias", "ru": "собака",
    "uk": "равлик", "bg": "кльомба", "el": "παπάκι", "ko": "골뱅이", "ja": "アットマーク", "zh": "艾特", "ar": "آت",
}  # fmt: skip

_GENERIC = r"com|org|net|gov|edu|io|co|uk|de|fr|info|news|ai|dev|app"
# Country domains written in lower case only: in capitals "IT" or "TO" after a stop are words.
_COUNTRY = (
    r"it|to|me|ly|gl|cz|ru|kr|jp|cn|br|pl|es|nl|se|dk|fi|pt|gr|ro|hu|sk|ua|tr|ir|mx|au|nz|ca|ch|tv|fm|eu|be|at|vn|tw|hk|sg|il|ie|us|su"
)
_PATH = r"(?:/(?:\S*[^\s.,;:!?)\]\"'”’])?)?"
_LINK = re.compile(
    # a link with its scheme (some pages write "https: //"), or starting at www
    r"\b(?i:https?):\s?//[^\s<>\"”’]+|\b(?i:www)\.[^\s<>\"”’()]*"
    # a bare host of known domains, with the path after it if any ("pic.twitter.com/BUPgYtgHaY", "amzn.to/2x")
    rf"|\b[\w-]+(?:\.[\w-]+)*\.(?:(?i:{_GENERIC})|{_COUNTRY})\b(?![\w-]){_PATH}",
)
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
# Words that label a link standing alone ("Link:", "Source:", "Fonte:", "출처:"), left out with it.
_LABEL = re.compile(r"^[^\W\d_]{2,20}\s?:\s*")


def _host(link: str) -> str:
    host = re.sub(r"^(?:https?:\s?//)?(?:www\.)?", "", link, flags=re.I)
    return re.split(r"[/?#]", host, maxsplit=1)[0].strip(".")


def _spoken_host(host: str, dot: str | None) -> str:
    return host.replace(".", f" {dot} ") if dot else host


def say_links(text: str, language: str | None) -> str:
    """``text`` with its links and e-mail addresses said briefly in ``language``; a lone link is dropped."""
    if "." not in text:
        return text
    bare = text.strip().strip("()[]<>.,;:!?\"“”'‘’«»")
    for alone in (bare, _LABEL.sub("", bare)):
        if _LINK.fullmatch(alone) or _EMAIL.fullmatch(alone):
            return ""
    code = primary_language(language) or "en"
    dot = DOT_WORDS.get(code)
    at = EMAIL_AT_WORDS.get(code)

    def email(m: re.Match[str]) -> str:
        host = _spoken_host(m.group(2), dot)
        return f"{m.group(1)} {at} {host}" if at else f"{m.group(1)}@{host}"

    text = _EMAIL.sub(email, text)
    return _LINK.sub(lambda m: _spoken_host(_host(m.group(0)), dot), text)
