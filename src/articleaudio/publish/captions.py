"""WebVTT and SubRip captions: one cue per sentence, from the real timings."""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Cue


def _stamp(ms: int, comma: bool) -> str:
    hours, rest = divmod(max(ms, 0), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{',' if comma else '.'}{millis:03d}"


def _caption_text(cue: Cue) -> str:
    # "-->" would end a WebVTT timing line early; blank lines would end the cue.
    return " ".join(cue.sentence.text.replace("-->", "→").split())


def to_webvtt(cues: Sequence[Cue]) -> str:
    """A WebVTT document with one cue per sentence, ids ``s1``, ``s2``, …"""
    lines = ["WEBVTT", ""]
    for cue in cues:
        lines += [
            f"s{cue.sentence.index + 1}",
            f"{_stamp(cue.start_ms, False)} --> {_stamp(cue.end_ms, False)}",
            _caption_text(cue).replace("&", "&amp;").replace("<", "&lt;"),
            "",
        ]
    return "\n".join(lines)


def to_srt(cues: Sequence[Cue]) -> str:
    """A SubRip document with one numbered cue per sentence."""
    lines: list[str] = []
    for number, cue in enumerate(cues, start=1):
        lines += [str(number), f"{_stamp(cue.start_ms, True)} --> {_stamp(cue.end_ms, True)}", _caption_text(cue), ""]
    return "\n".join(lines)
