"""Shared fixtures: the repository itself, its worked example, and throwaway copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sarflow.load import load
from sarflow.model import Repository

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def example() -> Repository:
    """The worked example as loaded from reviews/ (read-only: do not change it)."""
    return load(ROOT)


@pytest.fixture
def tmp_repo(tmp_path: Path) -> Path:
    """A writable copy of the repository's reviews/ and schema/, for tests that break things."""
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path
