"""The narrator's script: the article as spoken sentences, with the introduction and closing line."""

from __future__ import annotations

from dataclasses import dataclass

from ..extract.metadata import spoken_site_name, without_site_name
from ..models import Article, Sentence, primary_language
from .lexicon import Lexicon
from .normalize import normalize_text, speakable
from .sentences import split_sentences


@dataclass(frozen=True)
class _Phrases:
    """The narrator's own words in one language."""

    by: str
    and_: str
    published: str
    notice: str
    listened: str
    from_: str


_PHRASES: dict[str, _Phrases] = {
    "en": _Phrases("By", "and", "Published by", "This narration uses a synthetic voice.", "You have been listening to", "from"),
    "es": _Phrases("Por", "y", "Publicado por", "Esta narración usa una voz sintética.", "Ha escuchado", "de"),
    "fr": _Phrases("Par", "et", "Publié par", "Cette narration utilise une voix de synthèse.", "Vous avez écouté", "de"),
    "de": _Phrases("Von", "und", "Veröffentlicht von", "Diese Vertonung verwendet eine synthetische Stimme.", "Sie hörten", "von"),
    "it": _Phrases("Di", "e", "Pubblicato da", "Questa narrazione usa una voce sintetica.", "Avete ascoltato", "da"),
    "pt": _Phrases("Por", "e", "Publicado por", "Esta narração usa uma voz sintética.", "Você ouviu", "de"),
    "nl": _Phrases("Door", "en", "Gepubliceerd door", "Deze voorlezing gebruikt een synthetische stem.", "U luisterde naar", "van"),
    # Voices for these scripts spell English out letter by letter: the notice must be in the language.
    "zh": _Phrases("作者", "和", "发布于", "本朗读使用合成语音。", "您收听的是", "来自"),
    "ja": _Phrases("著者", "と", "発行", "このナレーションは合成音声を使用しています。", "お聞きいただいたのは", "提供"),
}


def _phrases(language: str | None) -> _Phrases:
    """The narrator's words for the article's language; English for a language without a set of its own."""
    return _PHRASES.get(primary_language(language), _PHRASES["en"])


def intro_lines(article: Article) -> list[str]:
    """What the narrator says before the article: title, byline, site and a voice notice, in the article's language."""
    words = _phrases(article.language)
    # The site is named on its own line, so a "Headline - Site" title loses its last part when spoken.
    lines = [without_site_name(article.title, article.site_name, article.url, article.authors).rstrip(".!?") + "."]
    if article.authors:
        names = list(article.authors)
        byline = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {words.and_} " + names[-1]
        lines.append(f"{words.by} {byline}.")
    if article.site_name:
        lines.append(f"{words.published} {spoken_site_name(article.site_name)}.")
    lines.append(words.notice)
    return lines


def outro_lines(article: Article) -> list[str]:
    """What the narrator says after the article, in the article's language."""
    words = _phrases(article.language)
    where = f" {words.from_} {spoken_site_name(article.site_name)}" if article.site_name else ""
    title = without_site_name(article.title, article.site_name, article.url, article.authors)
    return [f"{words.listened} {title.rstrip('.!?')}{where}."]


def segment_article(article: Article, lexicon: Lexicon | None = None, intro: bool = True, outro: bool = False) -> list[Sentence]:
    """Every sentence to narrate, in order: intro, then headings and paragraphs, then outro.

    Sentences with nothing speakable (a lone symbol, an emoji) are dropped here, so no
    engine is ever handed empty text.
    """
    sentences: list[Sentence] = []

    def add(text: str, paragraph: int, section: int, kind: str) -> None:
        spoken = normalize_text(text, lexicon, article.language)
        if speakable(spoken):
            sentences.append(Sentence(len(sentences), text, spoken, paragraph, section, kind))

    if intro:
        for line in intro_lines(article):
            add(line, -1, 0, "intro")
    paragraph_index = 0
    for section_index, section in enumerate(article.sections):
        if section.heading:
            add(section.heading, paragraph_index, section_index, "heading")
        for paragraph in section.paragraphs:
            for sentence in split_sentences(paragraph, article.language):
                add(sentence, paragraph_index, section_index, "body")
            paragraph_index += 1
    if outro:
        for line in outro_lines(article):
            add(line, paragraph_index, max(len(article.sections) - 1, 0), "outro")
    return sentences
