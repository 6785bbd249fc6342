"""Publishers at scale: a batch on a local Dask cluster against local processes, and a watcher's second poll.

    python -m bench.scale [--runs 1]

1. The 20 batch texts (bench/texts/batch) narrated with espeak, no clip cache, with ``--jobs 1`` and ``--jobs 2``
   locally and with ``--cluster`` on a scheduler with 1 and with 2 single-threaded workers started here on
   127.0.0.1; the table gives seconds (median of the runs) and the cluster's time as a ratio to the local run
   with as many processes (the cluster's overhead per article).
2. A feed of the same 20 stories served from 127.0.0.1; ``watch --once`` narrates them all, then one paragraph
   of one story is edited and a 21st story added, and the second ``watch --once`` is timed, with the sentences
   it synthesized.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = sorted((ROOT / "bench" / "texts" / "batch").glob("*.txt"))
DASK = str(Path(sys.executable).with_name("dask"))


def _convert(out: Path, *extra: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "articleaudio", "convert", *map(str, BATCH), "--engine", "espeak", "--no-cache",
                    "-q", "-o", str(out), *extra], check=True)  # fmt: skip
    return time.perf_counter() - started


class _Cluster:
    def __init__(self, folder: Path, workers: int) -> None:
        file = folder / f"scheduler-{workers}.json"
        self.processes = [self._start([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
                                       str(file)])]  # fmt: skip
        while not file.exists():
            time.sleep(0.1)
        self.address = json.loads(file.read_text())["address"]
        for n in range(workers):
            self.processes.append(self._start([DASK, "worker", self.address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                                               "--name", f"w{n}"]))  # fmt: skip
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)

    @staticmethod
    def _start(command: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def close(self) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def cluster_table(runs: int, folder: Path) -> None:
    print("20 stories, espeak, no clip cache")
    print(f"{'run':<28}{'seconds':>10}{'ratio':>10}")
    for workers in (1, 2):
        local = statistics.median(_convert(folder / "local", "--jobs", str(workers)) for _ in range(runs))
        cluster = _Cluster(folder, workers)
        try:
            _convert(folder / "warm", "--cluster", cluster.address)  # workers import and start their engines once
            remote = statistics.median(_convert(folder / "cluster", "--cluster", cluster.address) for _ in range(runs))
        finally:
            cluster.close()
        print(f"{f'local --jobs {workers}':<28}{local:>10.2f}{'':>10}")
        print(f"{f'cluster, {workers} worker(s)':<28}{remote:>10.2f}{remote / local:>9.2f}x")


class _Site:
    def __init__(self) -> None:
        self.stories = {f"story{n:02d}": path.read_text(encoding="utf-8") for n, path in enumerate(BATCH)}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                name = self.path.strip("/").removesuffix(".html")
                if self.path == "/feed.xml":
                    body, kind = site.feed().encode(), "application/rss+xml"
                elif name in site.stories:
                    body, kind = site.page(name).encode(), "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def page(self, name: str) -> str:
        title, _, body = self.stories[name].partition("\n")
        paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
        head = f"<title>{title}</title><link rel='canonical' href='{self.base}/{name}.html'>"
        return f"<html lang='en'><head>{head}</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"

    def feed(self) -> str:
        items = "".join(
            f"<item><title>{n}</title><link>{self.base}/{n}.html</link><guid>{self.base}/{n}.html</guid></item>" for n in self.stories
        )
        head = f"<title>Bench Gazette</title><link>{self.base}</link><description>d</description>"
        return f"<rss version='2.0'><channel>{head}{items}</channel></rss>"


def _watch(site: _Site, out: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "articleaudio", "watch", site.base + "/feed.xml", "-o", str(out), "--base-url", "https://cdn.example",
                    "--once", "--engine", "espeak", "--page-delay", "0", "-q"], check=True)  # fmt: skip
    return time.perf_counter() - started, json.loads((out / "articleaudio-report.json").read_text())


def watch_figures(folder: Path) -> None:
    os.environ["ARTICLEAUDIO_CACHE_DIR"] = str(folder / "cache")  # a cache of this bench's own
    site = _Site()
    try:
        first, report = _watch(site, folder / "watched")
        print(f"\nwatch, a feed of 20 stories: first poll {first:.2f} s, {report['synthesized']} sentences synthesized")
        name = next(iter(site.stories))
        title, _, body = site.stories[name].partition("\n")
        paragraphs = body.split("\n\n")
        paragraphs[1] = paragraphs[1].rstrip() + " The council will vote on the change next week."
        site.stories[name] = title + "\n" + "\n\n".join(paragraphs)
        site.stories["story20"] = "A new bridge opens\n\nThe new bridge over the river opened on Monday. Cyclists were the first across."
        second, report = _watch(site, folder / "watched")
        counts = report["counts"]
        print(f"second poll, one paragraph edited and one story added: {second:.2f} s, {report['synthesized']} sentences synthesized "
              f"({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))})")  # fmt: skip
    finally:
        site.httpd.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per case (the median is shown)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="articleaudio-scale-") as folder:
        cluster_table(args.runs, Path(folder))
        watch_figures(Path(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
