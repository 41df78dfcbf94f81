"""Shared fixtures: real footage from ../shared, skipped locally when absent, required in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FOOTAGE = SHARED / "footage"
MODEL = ROOT / "models" / "hand_landmarker.task"


def require(path: Path, what: str) -> Path:
    """Return path if it exists; otherwise skip locally, fail under CI=true."""
    if path.exists():
        return path
    message = f"{what} not found at {path}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI must have ../shared beside the project")
    pytest.skip(message)


@pytest.fixture(scope="session")
def footage() -> Path:
    return require(FOOTAGE, "real hand footage (../shared/footage)")


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `trainer models fetch` (make test does)")
    return MODEL
