"""A cache of read packs, so that a command does not parse and check every YAML file each time it starts.

Reading the DOP-C02 pack (YAML with line numbers, schema checks, near-duplicate detection) takes about half a
second; unpickling the result takes a few milliseconds. The cache key is a fingerprint of every file of the pack
and of the code that reads it (name, size, modification time), so any edit to a question, or to the loader, reads
the pack afresh. Nothing here decides what a pack means: a miss, a stale entry or an unreadable cache file simply
falls back to :func:`~certprep.content.loader.read_pack`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from certprep import __version__
from certprep.content.loader import PackReport, read_pack

__all__ = ["cached_read_pack", "fingerprint"]

_CODE = Path(__file__).resolve().parent


def _stamp(path: Path, base: Path) -> str:
    stat = path.stat()
    return f"{path.relative_to(base)}\0{stat.st_size}\0{stat.st_mtime_ns}"


def fingerprint(root: Path) -> str:
    """A digest that changes whenever a file of the pack, or the code that reads packs, changes."""
    digest = hashlib.sha256(f"{__version__}\0{root.resolve()}".encode())
    for base, pattern in ((root, "**/*"), (_CODE, "*.py")):
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
    try:
        with entry.open("rb") as handle:
            cached = pickle.load(handle)  # our own file, written below from a report we made
        if isinstance(cached, PackReport):
            return cached
    except Exception:  # any unreadable, truncated or foreign entry is a miss, never an error
        pass
    report = read_pack(root)
    if report.pack is not None and not report.problems:
        _store(entry, report)
    return report


def _store(entry: Path, report: PackReport) -> None:
    """Write atomically (a reader never sees half a file); a cache that cannot be written is skipped silently."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        folder = entry.name.split("-")[1]
        for stale in entry.parent.glob(f"pack-{folder}-*.pickle"):  # older readings of the same pack folder
            if stale != entry:
                stale.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".pack-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(report, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except Exception:  # a full disk or an unpicklable value only means no cache this time
        Path(temporary).unlink(missing_ok=True)

