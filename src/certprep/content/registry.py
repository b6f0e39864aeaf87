"""Where packs are found: the ones shipped inside certprep, plus any folders the user names."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

BUILTIN_PACKS = Path(__file__).resolve().parent.parent / "packs"


def builtin_pack_dirs() -> list[Path]:
    """Every folder under ``certprep/packs`` that holds a blueprint."""
    if not BUILTIN_PACKS.is_dir():
        return []
    return sorted(path for path in BUILTIN_PACKS.iterdir() if (path / "blueprint.yaml").is_file())


def pack_dirs(extra: Iterable[Path] = (), include_builtin: bool = True) -> list[Path]:
    """The built-in pack folders followed by ``extra`` ones, without repeats."""
    seen: list[Path] = []
    for path in [*(builtin_pack_dirs() if include_builtin else []), *extra]:
        resolved = Path(path).resolve()
        if resolved not in seen:
            seen.append(resolved)
    return seen
