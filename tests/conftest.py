"""Shared fixtures: the bundled sample reports."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "samples"
SAMPLE_PATHS = sorted(SAMPLES_DIR.glob("*.txt"))


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The folder of bundled sample reports."""
    return SAMPLES_DIR


@pytest.fixture(scope="session")
def sample_paths() -> list[Path]:
    """The bundled sample reports (.txt), sorted by name."""
    return SAMPLE_PATHS


def sample_path(prefix: str) -> Path:
    """The sample whose file name starts with ``prefix`` (e.g. "002")."""
    (path,) = [p for p in SAMPLE_PATHS if p.name.startswith(prefix)]
    return path
