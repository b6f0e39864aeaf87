"""The pack cache serves an unchanged pack without reading it, and never serves a pack that changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from certprep.content import cache
from certprep.content.cache import cached_read_pack


def _question_file(pack: Path) -> Path:
    return pack / "questions" / "d1" / "files.yaml"


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_an_unchanged_pack_comes_from_the_cache(
    tiny_pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cached_read_pack(tiny_pack, tmp_path / "cache")
    assert first.pack is not None
    assert list((tmp_path / "cache").glob("pack-*.pickle"))

    def must_not_read(root: Path) -> None:
        raise AssertionError("read the files although the pack did not change")

    monkeypatch.setattr(cache, "read_pack", must_not_read)
    second = cached_read_pack(tiny_pack, tmp_path / "cache")
    assert second.pack is not None
    assert second.pack.questions == first.pack.questions


def test_an_edited_file_is_read_again(tiny_pack: Path, tmp_path: Path) -> None:
    before = cached_read_pack(tiny_pack, tmp_path / "cache")
    assert before.pack is not None
    path = _question_file(tiny_pack)
    path.write_text(path.read_text().replace("difficulty: 2", "difficulty: 3", 1))
    _touch_later(path)
    after = cached_read_pack(tiny_pack, tmp_path / "cache")
    assert after.pack is not None
    changed = [q.id for q, old in zip(after.pack.questions, before.pack.questions, strict=True) if q != old]
    assert len(changed) == 1
    assert len(list((tmp_path / "cache").glob("pack-*.pickle"))) == 1  # the stale entry was replaced


def test_a_broken_pack_is_never_cached(tiny_pack: Path, tmp_path: Path) -> None:
    path = _question_file(tiny_pack)
    path.write_text(path.read_text().replace("difficulty: 2", "difficulty: 0", 1))
    report = cached_read_pack(tiny_pack, tmp_path / "cache")
    assert report.pack is None
    assert report.errors
    assert not list((tmp_path / "cache").glob("pack-*.pickle"))


def test_a_damaged_cache_entry_falls_back_to_reading(tiny_pack: Path, tmp_path: Path) -> None:
    cached_read_pack(tiny_pack, tmp_path / "cache")
    [entry] = (tmp_path / "cache").glob("pack-*.pickle")
    entry.write_bytes(b"not a pickle")
    report = cached_read_pack(tiny_pack, tmp_path / "cache")
    assert report.pack is not None
    assert report.pack.id == "tiny"


def test_an_unwritable_cache_folder_only_costs_speed(tiny_pack: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    report = cached_read_pack(tiny_pack, blocker)
    assert report.pack is not None
    assert report.pack.id == "tiny"
