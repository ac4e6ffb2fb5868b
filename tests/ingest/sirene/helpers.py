"""Write SIRENE stock files in the official layout from a few values per row."""

import csv
import gzip
from pathlib import Path

from tremplin.ingest.sirene.columns import ESTABLISHMENT_COLUMNS, LEGAL_UNIT_COLUMNS


def write_stock(path: Path, columns: tuple[str, ...], rows: list[dict]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def establishment(siret: str, **values: str) -> dict:
    row = {"siren": siret[:9], "nic": siret[9:], "siret": siret, "statutDiffusionEtablissement": "O"}
    row |= {"etatAdministratifEtablissement": "A", "nomenclatureActivitePrincipaleEtablissement": "NAFRev2"}
    return row | values


def legal_unit(siren: str, **values: str) -> dict:
    row = {"siren": siren, "statutDiffusionUniteLegale": "O", "etatAdministratifUniteLegale": "A"}
    return row | {"nomenclatureActivitePrincipaleUniteLegale": "NAFRev2"} | values


def write_establishments(path: Path, rows: list[dict]) -> Path:
    return write_stock(path, ESTABLISHMENT_COLUMNS, rows)


def write_legal_units(path: Path, rows: list[dict]) -> Path:
    return write_stock(path, LEGAL_UNIT_COLUMNS, rows)
