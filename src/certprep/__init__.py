"""certprep: an offline-first study platform for AWS certification exams."""

__version__ = "0.2.0"

__all__ = ["__version__"]
