from __future__ import annotations

import pytest

from pairctl.core.report import RunReport

from .report_data import make_report


@pytest.fixture
def report() -> RunReport:
    return make_report()
