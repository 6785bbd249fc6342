"""Benchmark texts: news-like articles composed from our own sentence patterns, reproducible from a seed.

    python -m bench.texts bench/texts

writes news-1000.txt, news-1000-edited.txt (one paragraph changed), essay-10000.txt and
batch/article-01.txt … article-20.txt. The texts are kept in the repository; this module is
how they were made.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

_PLACES = ["Northbridge", "Lakeview", "Port Ellis", "Greenhollow", "Mirefield", "Ashby Cross", "Kettering Vale", "Redwater"]
_PEOPLE = ["Mayor Ana Lindqvist", "Councillor Tomas Reyes", "Dr. Helen Okafor", "Gen. Martin Hale", "Sen. Priya Nandakumar",
           "Prof. Julian Weiss", "Inspector Rosa Delgado", "Mr. Samuel Brandt"]  # fmt: skip
_BODIES = ["the city council", "the regional transport authority", "the harbour board", "the school district",
           "the health trust", "the water company", "the chamber of commerce", "the university senate"]  # fmt: skip
_TOPICS = ["a new tram line", "the flood defences", "the hospital extension", "the bus fare freeze", "the library closures",
           "the bridge repairs", "the housing plan", "the budget shortfall"]  # fmt: skip
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
_PATTERNS = [
    "{person} told reporters on {month} {day} that {body} would vote on {topic} before the end of the year.",
    "The plan, which has been debated since {year}, would cost about ${money} million over {n} years.",
    "Officials said {pct}% of residents who answered the survey supported {topic}, while {pct2}% opposed it.",
    '"We cannot wait another decade," {person} said at a packed meeting in {place} on Tuesday evening.',
    "Critics argue that {body} has underestimated the cost, pointing to a {year2} report that put the figure at ${money2} million.",
    "Work on {topic} is expected to begin in {month} {year3} and to take between {n} and {n2} months.",
    "Residents of {place} have been asked to comment on the proposals by {month} {day}, either online or at the town hall.",
    "The vote passed by {v1}-{v2}, with two members abstaining after a debate that lasted more than {n} hours.",
    "According to figures published by {body}, traffic on the main road has risen by {pct}% since {year}.",
    '{person} said the decision was "a turning point for {place}" and promised regular updates to the public.',
    "A spokesperson for {body} declined to comment on the cost overruns but said the timetable had not changed.",
    "Local businesses, many of which depend on visitors from outside {place}, have warned that the works could cut trade by a third.",
    "The first phase will connect {place} with {place2}, a distance of roughly {km} km, at an average speed of {mph} mph.",
    "In a statement issued at {hour}:{minute} p.m., {body} said it would publish the full report on its website.",
    "Engineers found that {n} of the {n3} sections inspected needed urgent repairs, some of them dating from the 1970s.",
]
_EDIT = ("Late on Thursday, {person} announced that the vote on {topic} would be postponed until the spring, "
         "after new estimates raised the cost by ${money} million.")  # fmt: skip


def _fill(rng: random.Random, pattern: str) -> str:
    return pattern.format(
        person=rng.choice(_PEOPLE), body=rng.choice(_BODIES), topic=rng.choice(_TOPICS), place=rng.choice(_PLACES),
        place2=rng.choice(_PLACES), month=rng.choice(_MONTHS), day=rng.randint(1, 28), year=rng.randint(1995, 2021),
        year2=rng.randint(2010, 2023), year3=rng.randint(2025, 2028), money=round(rng.uniform(1.5, 950), 1),
        money2=rng.randint(20, 1200), n=rng.randint(2, 9), n2=rng.randint(10, 30), n3=rng.randint(31, 120),
        pct=rng.randint(21, 79), pct2=rng.randint(5, 20), v1=rng.randint(7, 12), v2=rng.randint(2, 6),
        km=rng.randint(4, 60), mph=rng.randint(15, 45), hour=rng.randint(1, 11), minute=rng.choice(["05", "15", "30", "45"]),
    )  # fmt: skip


def article(rng: random.Random, words: int) -> tuple[str, list[str]]:
    """A headline and paragraphs of about ``words`` words."""
    headline = f"{rng.choice(_BODIES).capitalize()} weighs {rng.choice(_TOPICS)} in {rng.choice(_PLACES)}"
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = [_fill(rng, rng.choice(_PATTERNS)) for _ in range(rng.randint(2, 4))]
        paragraphs.append(" ".join(sentences))
        count += sum(len(s.split()) for s in sentences)
    return headline, paragraphs


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261128)
    headline, paragraphs = article(rng, 1000)
    (folder / "news-1000.txt").write_text(headline + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    edited = list(paragraphs)
    edited[len(edited) // 2] = _fill(rng, _EDIT)
    (folder / "news-1000-edited.txt").write_text(headline + "\n\n" + "\n\n".join(edited) + "\n", encoding="utf-8")
    headline, paragraphs = article(rng, 10000)
    (folder / "essay-10000.txt").write_text(headline + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (folder / "batch").mkdir(exist_ok=True)
    for i in range(1, 21):
        headline, paragraphs = article(rng, rng.randint(350, 650))
        (folder / "batch" / f"article-{i:02d}.txt").write_text(headline + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "bench/texts"))
