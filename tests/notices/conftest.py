"""Fixtures of the notice tests: the real samples (shared data folder) and notices made by factories."""

import os
from pathlib import Path

import pytest

from tests.referentials.fixtures import small_referentials  # noqa: F401

# tests/notices/conftest.py → parents[2] is the repository root; the shared data folder is beside it.
DATA_DIR = Path(os.environ.get("TREMPLIN_DATA_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "data")
BOAMP_DIR = DATA_DIR / "boamp"
TED_DIR = DATA_DIR / "ted"
BOAMP_XML = BOAMP_DIR / "xml_boamp_v230_2017"
BOAMP_JSON = BOAMP_DIR / "api_json_2020"
EFORMS = TED_DIR / "eforms_real_notices"
TED_R209 = TED_DIR / "ted_xml_r209_real_notices"
SDK_EXAMPLES = TED_DIR / "eforms-sdk-1.15_example_notices.tar.gz"

requires_data = pytest.mark.skipif(not BOAMP_XML.is_dir(), reason=f"shared notice data not found in {DATA_DIR}")


def copy_to(directory: Path, *sources: Path) -> Path:
    """Copy sample files into ``directory`` (created) and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for source in sources:
        (directory / source.name).write_bytes(source.read_bytes())
    return directory
