"""Looking at PDFs the way a reader would: poppler's pdftoppm renders the pages, pdfinfo and pdftotext read them.

poppler-utils is a Debian package (scripts/test installs it). Pages are rendered in grey at a low resolution and
read as PGM, a header and one byte per pixel, so no imaging library is needed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install Debian's poppler-utils (./scripts/test does)")
    return found


@dataclass
class Page:
    number: int
    width: int
    height: int
    pixels: bytes

    @property
    def ink(self) -> float:
        """The share of pixels that are not white (0 for a blank page)."""
        return sum(1 for value in self.pixels if value < 200) / len(self.pixels)

    def lowest_ink(self, left: float, right: float, top: float, bottom: float) -> float | None:
        """How far down (a share of the page height) the lowest inked row reaches between the fractions ``left`` and
        ``right`` of the width and ``top`` and ``bottom`` of the height; None when nothing there is inked."""
        x0, x1 = int(left * self.width), int(right * self.width)
        for y in range(int(bottom * self.height) - 1, int(top * self.height) - 1, -1):
            if any(value < 200 for value in self.pixels[y * self.width + x0 : y * self.width + x1]):
                return (y + 1) / self.height
        return None


def render(pdf: Path, first: int = 1, last: int | None = None, dpi: int = 30) -> list[Page]:
    """Pages ``first``..``last`` (default: all) as grey pixels."""
    prefix = pdf.parent / f"{pdf.stem}-page"
    command = [_tool("pdftoppm"), "-gray", "-r", str(dpi), "-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    subprocess.run([*command, str(pdf), str(prefix)], check=True, capture_output=True, timeout=120)
    pages = []
    for image in sorted(pdf.parent.glob(f"{prefix.name}-*.pgm")):
        data = image.read_bytes()
        match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
        assert match, f"{image} is not a PGM image"
        width, height = int(match.group(1)), int(match.group(2))
        number = int(image.stem.rsplit("-", 1)[1])
        pages.append(Page(number, width, height, data[match.end() : match.end() + width * height]))
        image.unlink()
    return pages


def info(pdf: Path) -> dict[str, str]:
    """pdfinfo's fields (Pages, Page size, Title...)."""
    output = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in output.splitlines())}


def text(pdf: Path, first: int = 1, last: int | None = None) -> str:
    """The text of the pages, in reading order, with runs of white space made single spaces."""
    command = [_tool("pdftotext"), "-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    output = subprocess.run([*command, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(output.split())


@dataclass(frozen=True)
class Word:
    """A word as pdftotext -bbox places it, in points from the page's top left corner."""

    text: str
    page: int
    top: float
    bottom: float
    left: float
    right: float


def word_boxes(pdf: Path) -> list[Word]:
    """Every word of the PDF with its page and box."""
    command = [_tool("pdftotext"), "-bbox", str(pdf), "-"]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout
    found, page = [], 0
    for line in output.splitlines():
        if "<page " in line:
            page += 1
        elif match := re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', line):
            left, top, right, bottom = (float(match.group(n)) for n in range(1, 5))
            found.append(Word(match.group(5), page, top, bottom, left, right))
    return found


def poppler_complaints(pdf: Path) -> list[str]:
    """What poppler's tools print about the file on stderr while they read, render and inspect it."""
    runs = [
        [_tool("pdfinfo"), str(pdf)],
        [_tool("pdfinfo"), "-struct", str(pdf)],
        [_tool("pdftotext"), str(pdf), "-"],
        [_tool("pdftoppm"), "-r", "10", "-gray", str(pdf), str(pdf.parent / f"{pdf.stem}-check")],
    ]
    complaints = []
    for command in runs:
        complaints += subprocess.run(command, capture_output=True, text=True, timeout=120).stderr.splitlines()
    for image in pdf.parent.glob(f"{pdf.stem}-check-*.pgm"):
        image.unlink()
    return complaints


def page_points(pdf: Path) -> tuple[float, float]:
    """The first page's size in PostScript points."""
    match = re.match(r"([\d.]+) x ([\d.]+) pts", info(pdf)["Page size"])
    assert match, info(pdf)["Page size"]
    return float(match.group(1)), float(match.group(2))
