"""Extraction time and memory on made-up pages built to find slow paths: size, repetition, nesting.

    python -m bench.pages [--runs 1]

Each page is built here (no corpus needed) and extracted in this process; the table prints seconds per
page (the median of the runs), the page's size and the paragraphs found. Peak memory is the process's
at the end. The target: no page of 10 MB or less takes more than 30 s on a two-core machine. Pages that
took minutes before a fix are kept here, so that a change that brings such a path back shows.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable

from articleaudio.extract.html import extract_article
from articleaudio.models import Source

_WORDS = ["council", "budget", "year", "school", "road", "hospital", "tram", "bridge"]
_WORDS += ["harbour", "flood", "plan", "vote", "member", "city", "river", "market"]


def _prose(i: int, n: int = 60) -> str:
    return " ".join(_WORDS[(i * 7 + j) % len(_WORDS)] for j in range(n))


def _ten_megabytes() -> str:
    return "".join(f"<p>{_prose(i)} item {i}.</p>" for i in range(24000))


def _alike_endings() -> str:
    # paragraphs that all end in the same words, each followed by a short list (gap filling, lead-ins)
    return "".join(
        f"<p>The council said on day {i} that these points were agreed:</p>"
        f"<ul><li>one point about the budget {i}</li><li>another point about roads {i}</li></ul>"
        for i in range(6000)
    )


def _nested_lists() -> str:
    link = "<a href='/b{0}'>Bug {0} fixed in the main branch</a>"
    items = "".join(f"<li>Progress on item {i}:<ul><li>{link.format(i)}</li></ul></li>" for i in range(6000))
    return f"<ul>{items}</ul>"


def _one_line_repeated() -> str:
    return "".join("<p>Share this story with your friends and family today.</p>" for _ in range(20000)) + f"<p>{_prose(1, 400)}.</p>"


def _classed_spans() -> str:
    spans = "".join(f"<span class='w{i % 50}'>{_WORDS[i % len(_WORDS)]}</span> " for i in range(60000))
    return f"<p>{spans}</p>"


def _listings_and_quotes() -> str:
    # preformatted blocks to tell code from verse, and block quotes to tell indented tables from quotations
    parts = [f"<p>{_prose(i, 30)}.</p><pre>for (i = 0; i &lt; {i}; i++) {{ total += i; }}</pre>" for i in range(3000)]
    parts += [f"<blockquote><table><tr><td>{i}</td><td>{_prose(i, 3)}</td></tr></table></blockquote>" for i in range(3000)]
    return "".join(parts)


def _deep_nesting() -> str:
    return "<div>" * 2000 + f"<p>{_prose(2, 200)}.</p>" + "</div>" * 2000


def _text_page() -> str:
    # a page copied as text: a long menu of short lines, with paragraphs and page furniture among them
    lines = ["Skip to content", "Advertisement"]
    for i in range(200000):
        lines.append(f"Menu item {i}")
        if i % 5 == 0:
            lines += ["", f"{_prose(i, 20).capitalize()} on day {i}.", "", "Share this article"]
    return "\n".join(lines)


TEXT_PAGES: dict[str, Callable[[], str]] = {"text copy, 200,000 menu lines": _text_page}

PAGES: dict[str, Callable[[], str]] = {
    "10 MB of paragraphs": _ten_megabytes,
    "6,000 lead-ins ending alike": _alike_endings,
    "6,000 nested link lists": _nested_lists,
    "one line 20,000 times": _one_line_repeated,
    "60,000 classed spans": _classed_spans,
    "3,000 listings, 3,000 quotes": _listings_and_quotes,
    "2,000 nested divs": _deep_nesting,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="extractions per page (the median is shown)")
    args = parser.parse_args(argv)
    print(f"{'page':<30} {'size':>9} {'paragraphs':>10} {'seconds':>8}")
    cases = [(name, build, "html") for name, build in PAGES.items()] + [(name, build, "text") for name, build in TEXT_PAGES.items()]
    for name, build, kind in cases:
        body = build()
        data = (f"<html><body><article>{body}</article></body></html>" if kind == "html" else body).encode()
        times, found = [], 0
        for _ in range(max(1, args.runs)):
            start = time.perf_counter()
            found = len(extract_article(Source(f"bench.{'html' if kind == 'html' else 'txt'}", data, kind)).paragraphs)
            times.append(time.perf_counter() - start)
        print(f"{name:<30} {len(data) / 1e6:>7.2f}MB {found:>10} {statistics.median(times):>8.2f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB (target: every page under 30 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
