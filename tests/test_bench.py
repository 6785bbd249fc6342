"""The benchmark tooling: the quality gate's floors."""

from __future__ import annotations

from articleaudio.bench.gate import _keep_higher


def test_updating_the_quality_floors_never_lowers_one() -> None:
    pinned = {"pages": {"precision": 0.98, "recall": 0.89}, "title": 0.95, "inputs": "a"}
    now = {"pages": {"precision": 0.9799, "recall": 0.90}, "title": 0.96, "inputs": "b"}
    assert _keep_higher(now, pinned) == {"pages": {"precision": 0.98, "recall": 0.90}, "title": 0.96, "inputs": "b"}
