"""A company in Lyon with a profile (works, Rhône), a buyer, published and draft forecasts, open and closed
notices — and indexes checked on every search."""

import pytest

from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.matching import services

LYON = (45.7676, 4.8357)


@pytest.fixture(autouse=True)
def _fresh_indexes(settings):
    settings.MATCHING_INDEX_CHECK_SECONDS = 0
    services.opportunity_index.reset()
    services.supplier_index.reset()
    yield
    services.opportunity_index.reset()
    services.supplier_index.reset()
