"""Shared fixtures: where ``../shared`` is, and skipping cleanly when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """Return a path under ``../shared``, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test reads the project's shared material beside the checkout")
    return path


@pytest.fixture
def seed_dir() -> Path:
    """The folder that holds the seed page."""
    return shared_path("seed")


@pytest.fixture
def corpus_dir() -> Path:
    """``../shared/corpus``."""
    return shared_path("corpus")
