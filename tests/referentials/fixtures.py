"""Reusable fixtures for reference data.

Other test folders: add to your conftest.py

    from tests.referentials.fixtures import small_referentials  # noqa: F401

then ask for `small_referentials` in a test: it loads a handful of real regions, departments, communes (with
postcodes and coordinates), CPV and NAF codes and returns them by code, e.g. `small_referentials.communes["75056"]`,
`small_referentials.cpv["45210000"]`, `small_referentials.naf["62.01Z"]` (see `tremplin/referentials/samples.py`).
Outside pytest fixtures, call `tremplin.referentials.loaders.load_small_referentials()` directly.
"""

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from tremplin.referentials import readers
from tremplin.referentials.loaders import SmallReferentials, load_small_referentials
from tremplin.referentials.samples import (
    SAMPLE_COMMUNES,
    SAMPLE_COORDINATES,
    SAMPLE_CPV,
    SAMPLE_DEPARTMENTS,
    SAMPLE_NAF,
    SAMPLE_REGIONS,
)


@pytest.fixture
def small_referentials(db) -> SmallReferentials:
    return load_small_referentials()


LA_POSTE_COLUMNS = ["Code_commune_INSEE", "Nom_commune", "Code_postal", "Ligne_5", "Libellé_d_acheminement"]
LA_POSTE_COLUMNS.append("coordonnees_gps")


def json_lines(entries: list) -> str:
    """A JSON array with one element per line, like the @etalab/decoupage-administratif files."""
    return "[\n" + ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in entries) + "\n]\n"


def csv_text(rows: list[dict], columns: list[str], delimiter: str = ",") -> str:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, columns, delimiter=delimiter, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


def write_sources(
    directory: Path,
    *,
    cpv: list[dict] = SAMPLE_CPV,
    regions: list[dict] = SAMPLE_REGIONS,
    departments: list[dict] = SAMPLE_DEPARTMENTS,
    communes: list[dict] = SAMPLE_COMMUNES,
    coordinates: list[dict] = SAMPLE_COORDINATES,
    naf: dict = SAMPLE_NAF,
) -> Path:
    """Write records (the samples unless told otherwise) as source files laid out like TREMPLIN_DATA_DIR/reference;
    the NAF JSON goes to `directory/naf/db.json`. Returns `directory`."""
    files = {
        readers.CPV_FILE: csv_text(cpv, readers.CPV_COLUMNS),
        readers.REGIONS_FILE: json_lines(regions),
        readers.DEPARTMENTS_FILE: json_lines(departments),
        readers.COMMUNES_FILE: json_lines(communes),
        readers.COORDINATES_FILE: csv_text(coordinates, LA_POSTE_COLUMNS, ";"),
        "naf/db.json": json.dumps(naf, ensure_ascii=False),
    }
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return directory


def naf_path(directory: Path) -> Path:
    return directory / "naf" / "db.json"
