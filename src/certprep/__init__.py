"""certprep: an offline-first study platform for AWS certification exams."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("certprep")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
