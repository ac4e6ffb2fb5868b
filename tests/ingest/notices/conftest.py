"""Paths and helpers for the notice parsing tests (no database)."""

import io
import os
from pathlib import Path

import pytest

from tremplin.ingest.notices import Notice, Rejection, read_notices, read_stream

# tests/ingest/notices/conftest.py → parents[3] is the repository root.
REPO_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = Path(os.environ.get("TREMPLIN_DATA_DIR") or REPO_ROOT.parent / "shared" / "data")
BOAMP_XML = DATA_DIR / "boamp" / "xml_boamp_v230_2017"
BOAMP_JSON = DATA_DIR / "boamp" / "api_json_2020"
EFORMS = DATA_DIR / "ted" / "eforms_real_notices"
TED_R209 = DATA_DIR / "ted" / "ted_xml_r209_real_notices"
SDK_EXAMPLES = DATA_DIR / "ted" / "eforms-sdk-1.15_example_notices.tar.gz"
GEO = DATA_DIR / "reference" / "geo" / "decoupage-administratif-6.0.0"

requires_data = pytest.mark.skipif(not BOAMP_XML.is_dir(), reason=f"shared notice data not found in {DATA_DIR}")


def only(path) -> Notice:
    """The single notice of a file."""
    items = list(read_notices(path))
    assert len(items) == 1, items
    assert isinstance(items[0], Notice), items[0]
    return items[0]


def from_bytes(data: bytes, name: str = "test.xml") -> list[Notice | Rejection]:
    return list(read_stream(io.BytesIO(data), name))


def one_from_bytes(data: bytes, name: str = "test.xml") -> Notice | Rejection:
    items = from_bytes(data, name)
    assert len(items) == 1, items
    return items[0]
