"""A cache of read packs, so that a command does not parse and check every YAML file each time it starts.

Reading the DOP-C02 pack (YAML with line numbers, schema checks, near-duplicate detection) takes about half a
second; unpickling the result takes about a tenth of that. The cache key is a fingerprint of every file of the pack
and of the code that reads it (name, size, modification time), so any edit to a question, or to the loader, reads
the pack afresh. Nothing here decides what a pack means: a miss, a stale entry or an unreadable cache file simply
falls back to :func:`~certprep.content.loader.read_pack`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar, cast

from certprep import __version__
from certprep.content.loader import PackReport, read_pack

__all__ = ["cached_read_pack", "cached_value", "fingerprint"]

T = TypeVar("T")

_CODE = Path(__file__).resolve().parent


def _stamp(path: Path, base: Path) -> str:
    stat = path.stat()
    return f"{path.relative_to(base)}\0{stat.st_size}\0{stat.st_mtime_ns}"


def fingerprint(root: Path, code: Sequence[Path] = ()) -> str:
    """A digest that changes whenever a file of the pack, the code that reads packs, or ``code`` changes."""
    digest = hashlib.sha256(f"{__version__}\0{root.resolve()}".encode())
    for base, pattern in ((root, "**/*"), (_CODE, "*.py"), *((folder, "*.py") for folder in code)):
        for path in sorted(base.glob(pattern)):
            if path.is_file() and not path.name.startswith("."):
                digest.update(_stamp(path, base).encode())
    return digest.hexdigest()


def cached_read_pack(root: Path, cache_dir: Path | None) -> PackReport:
    """:func:`read_pack`, served from ``cache_dir`` when the pack is unchanged since it was last read there.

    Only reports without any problem are kept: a pack with errors or warnings is read every time, so that its
    problems are always reported from the files as they are. ``cache_dir=None`` turns the cache off.
    """
    if cache_dir is None or not root.is_dir():
        return read_pack(root)
    try:
        key = fingerprint(root)
    except OSError:
        return read_pack(root)
    folder = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    entry = cache_dir / f"pack-{folder}-{key[:32]}.pickle"
    cached = _load(entry)
    if isinstance(cached, PackReport):
        return cached
    report = read_pack(root)
    if report.pack is not None and not report.problems:
        _store(entry, report)
    return report


def cached_value(cache_dir: Path | None, root: Path, name: str, build: Callable[[], T], code: Path) -> T:
    """``build()``, kept in ``cache_dir`` for the pack in ``root`` until the pack or the modules in ``code`` change.

    For things made from a pack that cost a noticeable part of a start (the tutor's search index). ``name`` must be
    a slug; ``code`` is the folder of the modules that build the value, so that editing them rebuilds it.
    """
    if cache_dir is None or not root.is_dir():
        return build()
    try:
        key = fingerprint(root, (code,))
    except OSError:
        return build()
    folder = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    entry = cache_dir / f"{name}-{folder}-{key[:32]}.pickle"
    cached = _load(entry)
    if cached is not None:
        return cast(T, cached)  # written below by this function, for this name
    value = build()
    _store(entry, value)
    return value


def _load(entry: Path) -> object | None:
    try:
        with entry.open("rb") as handle:
            value: object = pickle.load(handle)  # our own file, written by _store from a value we made
            return value
    except Exception:  # any missing, unreadable, truncated or foreign entry is a miss, never an error
        return None


def _store(entry: Path, value: object) -> None:
    """Write atomically (a reader never sees half a file); a cache that cannot be written is skipped silently."""
    name, folder, _ = entry.name.rsplit("-", 2)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        for stale in entry.parent.glob(f"{name}-{folder}-*.pickle"):  # older entries of the same pack folder
            if stale != entry:
                stale.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".pack-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except Exception:  # a full disk or an unpicklable value only means no cache this time
        Path(temporary).unlink(missing_ok=True)
