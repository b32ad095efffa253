"""Answers kept between builds: computed once per input and code, never kept when they raised, trimmed."""

from __future__ import annotations

import os

import pytest

from conftest import load_hook


@pytest.fixture
def memo(tmp_path, monkeypatch):
    module = load_hook("build_memo")
    monkeypatch.setattr(module, "DIRECTORY", tmp_path / "derived")
    monkeypatch.setattr(module, "_memory", {})
    monkeypatch.setenv("PAGE_CACHE", "on")
    return module


def test_an_answer_is_computed_once_per_input(memo):
    calls = []

    def compute():
        calls.append(1)
        return {"entries": [1, 2]}

    first = memo.remember("kind", ["page", "content"], compute)
    first["entries"].append(3)  # a caller may change what it gets
    assert memo.remember("kind", ["page", "content"], compute) == {"entries": [1, 2]}
    assert len(calls) == 1
    memo._memory.clear()  # a new process: the answer comes from disk
    assert memo.remember("kind", ["page", "content"], compute) == {"entries": [1, 2]}
    assert len(calls) == 1
    memo.remember("kind", ["page", "other content"], compute)
    assert len(calls) == 2


def test_an_answer_that_raised_is_not_kept(memo):
    def fail():
        raise ValueError("a failed check")

    for _ in range(2):
        with pytest.raises(ValueError, match="a failed check"):
            memo.remember("kind", ["page"], fail)


def test_nothing_on_disk_with_the_cache_off(memo, monkeypatch):
    monkeypatch.setenv("PAGE_CACHE", "off")
    memo.remember("kind", ["page"], lambda: 1)
    assert not memo.DIRECTORY.exists()


def test_trim_removes_the_least_recently_used_first(memo):
    for age, name in enumerate(["new", "middle", "old"]):
        path = memo.DIRECTORY / "kind" / f"{name}.pickle"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 100)
        os.utime(path, (1_000_000 - age * 1000, 1_000_000 - age * 1000))
    memo.trim(limit_bytes=250)
    assert sorted(path.stem for path in (memo.DIRECTORY / "kind").iterdir()) == ["middle", "new"]
