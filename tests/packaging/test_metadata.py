"""What an installed certprep says about itself: one version everywhere, its licence, and its type hints."""

from __future__ import annotations

import importlib.metadata
import importlib.resources

import certprep
from tests.conftest import ROOT


def test_the_installed_version_is_the_packages_own() -> None:
    assert importlib.metadata.version("certprep") == certprep.__version__


def test_the_changelog_has_an_entry_for_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{certprep.__version__}]" in changelog


def test_the_licence_is_declared_and_shipped() -> None:
    metadata = importlib.metadata.metadata("certprep")
    assert metadata["License-Expression"] == "MIT"
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_type_checkers_see_certprep_as_typed() -> None:
    assert importlib.resources.files("certprep").joinpath("py.typed").is_file()
