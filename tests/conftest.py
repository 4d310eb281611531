"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The shared real data sits beside the checkout: <parent>/shared/data/real.
_DEFAULT_REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder of real public roster files (see its README.md), or skip the test.

    Set PAIRCTL_REAL_DATA to use a copy somewhere else.
    """
    folder = Path(os.environ.get("PAIRCTL_REAL_DATA") or _DEFAULT_REAL_DATA)
    if not (folder / "README.md").is_file():
        pytest.skip(f"real roster data not found at {folder} (set PAIRCTL_REAL_DATA)")
    return folder
