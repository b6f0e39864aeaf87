"""Starting a command: the runtime with its one readable start-up error, and the garbage collector around it.

A command begins by importing its modules and loading the pack: tens of thousands of objects that all live until the
process ends. Python's cyclic collector walks the survivors again and again while they are being made (about 0.1 s
of a 0.6 s ``certprep tutor ask``) and once more when the process exits (about 0.17 s), and never finds anything to
free among them. So :func:`pause_collection` stops the collector for the start-up, :func:`start_runtime` moves the
survivors out of its reach once the runtime stands (``gc.freeze``) and resumes it for whatever the command does next
(a server runs for days with the collector working as usual), and :func:`skip_final_collection` freezes what is left
at exit. Commands that start no runtime (``--help``, ``pack validate``) are short and run without the collector.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from certprep.cli.output import fail

if TYPE_CHECKING:  # the runtime pulls in the database layer; ``certprep --help`` must not pay for it
    from certprep.config import Settings
    from certprep.runtime import Runtime


def pause_collection() -> None:
    """Stop the cyclic collector while the command starts (the entry point calls this first)."""
    gc.disable()


def start_runtime(settings: Settings | None = None) -> Runtime:
    """The started runtime, or a one-line message and exit status 1 when it cannot start."""
    from certprep.config import Settings
    from certprep.runtime import Runtime, StartupError

    try:
        return Runtime.start(settings or Settings())
    except StartupError as error:
        fail(error.headline, error.lines)
    finally:
        _resume_collection()


def _resume_collection() -> None:
    # Only when the entry point paused it: in a test process that runs commands in process the collector stays as
    # it is, and nothing of the tests is frozen.
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def skip_final_collection() -> None:
    """Keep the collector away from the objects still alive when the process ends (they go with the process)."""
    gc.freeze()
