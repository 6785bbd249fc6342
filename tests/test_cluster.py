"""Articles narrated on a real Dask cluster: a scheduler and two single-threaded workers started as processes on
127.0.0.1, losing a worker mid-batch, and the client writing what the workers send back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from articleaudio.cli import cli
from articleaudio.settings import Settings
from articleaudio.tasks import ItemResult, TaskOutput, place_output

from .conftest import decode_mp3

ROOT = Path(__file__).resolve().parent.parent
DASK = str(Path(sys.executable).with_name("dask"))
BATCH = sorted((ROOT / "bench" / "texts" / "batch").glob("*.txt"))


class Cluster:
    """A scheduler and workers, each a process group of its own, on loopback."""

    def __init__(self, folder: Path, workers: int) -> None:
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.scheduler = self._start([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", str(self.file)], "scheduler")  # fmt: skip
        deadline = time.monotonic() + 60
        while not self.file.exists():
            assert time.monotonic() < deadline, (folder / "scheduler.log").read_text()
            time.sleep(0.1)
        self.address = json.loads(self.file.read_text())["address"]
        self.workers = [self.add_worker(n) for n in range(workers)]
        self.wait_for(workers)

    def _start(self, command: list[str], name: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=self.folder)

    def add_worker(self, n: int) -> subprocess.Popen[bytes]:
        command = [DASK, "worker", self.address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{n}"]
        return self._start(command, f"worker{n}")

    def wait_for(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(count, timeout=60)

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGKILL)  # the worker and its nanny, as when a machine is lost
        process.wait()

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    running = Cluster(tmp_path_factory.mktemp("cluster"), workers=2)
    try:
        yield running
    finally:
        running.close()


def test_a_batch_on_the_cluster_is_written_as_a_local_run_writes_it(cluster: Cluster, tmp_path: Path) -> None:
    sources = [str(p) for p in BATCH[:4]]
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", *sources, "--engine", "espeak", "--cluster", cluster.address, "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "articleaudio-report.json").read_text())
    assert report["counts"] == {"converted": 4}
    mp3s = sorted(out.glob("*.mp3"))
    assert len(mp3s) == 4 and not [p.name for p in out.iterdir() if p.name.startswith(".")]
    for mp3 in mp3s:
        manifest = json.loads(mp3.with_suffix(".json").read_text())
        samples, rate = decode_mp3(mp3)
        assert abs(len(samples) / rate * 1000 - manifest["audio"]["duration_ms"]) < 100
        assert manifest["audio"]["file"] == mp3.name and manifest["article"]["source"] in {Path(s).name for s in sources}
        assert all(mp3.with_suffix(suffix).exists() for suffix in (".vtt", ".srt", ".html"))
    # the same names as a local run gives
    local = tmp_path / "local"
    assert CliRunner().invoke(cli, ["convert", *sources, "--engine", "tone", "-o", str(local), "--jobs", "1"]).exit_code == 0
    assert sorted(p.name for p in local.glob("*.mp3")) == [p.name for p in mp3s]
    # a second run finds them up to date on the workers, without synthesizing
    again = CliRunner().invoke(cli, ["convert", *sources, "--engine", "espeak", "--cluster", cluster.address, "-o", str(out)])
    assert again.exit_code == 0 and json.loads((out / "articleaudio-report.json").read_text())["counts"] == {"up to date": 4}


def test_losing_a_worker_mid_batch_loses_no_article(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    running = Cluster(tmp_path / "c", workers=2)
    try:
        out = tmp_path / "out"
        sources = [str(p) for p in BATCH[:10]]
        command = [sys.executable, "-m", "articleaudio", "convert", *sources, "--engine", "espeak", "--no-cache", "--cluster",
                   running.address, "-o", str(out), "-q"]  # fmt: skip
        client = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while not list(out.glob("*.mp3")):
            assert time.monotonic() < deadline and client.poll() is None, client.communicate()
            time.sleep(0.1)
        running.kill(running.workers[0])
        _, stderr = client.communicate(timeout=300)
        assert client.returncode == 0, stderr.decode()
        report = json.loads((out / "articleaudio-report.json").read_text())
        assert report["counts"] == {"converted": 10}
        assert sorted(Path(item["source"]).name for item in report["items"]) == sorted(Path(s).name for s in sources)
        mp3s = sorted(out.glob("*.mp3"))
        assert len(mp3s) == 10 and not [m for m in mp3s if m.stem.endswith("-2")]  # each article exactly once
        assert {json.loads(m.with_suffix(".json").read_text())["article"]["source"] for m in mp3s} == {Path(s).name for s in sources}
    finally:
        running.close()


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "articleaudio", "convert", str(BATCH[0]), str(BATCH[1]), "--engine", "tone", "--cluster",
         "tcp://127.0.0.1:9", "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "tcp://127.0.0.1:9" in lines[0] and "cannot reach the Dask scheduler" in lines[0]
    assert "internal error" not in lines[0] and "please report" not in lines[0]
    assert not (tmp_path / "out").exists()


def test_the_client_renames_a_narration_whose_name_another_article_took(tmp_path: Path) -> None:
    def output(identity: str, words: str) -> TaskOutput:
        manifest = {"audio": {"file": "news.mp3"}, "article": {"source": identity}}
        html = '<audio src="news.mp3"></audio><track src="news.vtt"><p>news.mp3 in the text stays</p>'
        files = {"news.mp3": words.encode(), "news.json": json.dumps(manifest).encode(), "news.html": html.encode(),
                 "news.vtt": b"WEBVTT\n"}  # fmt: skip
        return TaskOutput(ItemResult("news.txt", "converted", mp3="/worker/tmp/news.mp3"), files, identity)

    settings = Settings(output=str(tmp_path))
    first = place_output(output("file:a", "first"), settings)
    assert first.mp3 == str(tmp_path / "news.mp3")
    # news.mp3 now holds another article (no provenance of this one): the second takes news-2
    second = place_output(output("file:b", "second"), settings)
    assert second.mp3 == str(tmp_path / "news-2.mp3") and second.status == "converted"
    assert (tmp_path / "news.mp3").read_bytes() == b"first" and (tmp_path / "news-2.mp3").read_bytes() == b"second"
    assert json.loads((tmp_path / "news-2.json").read_text())["audio"]["file"] == "news-2.mp3"
    html = (tmp_path / "news-2.html").read_text()
    assert 'src="news-2.mp3"' in html and 'src="news-2.vtt"' in html and "news.mp3 in the text stays" in html
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
