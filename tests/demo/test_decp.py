"""Reading the tabular DECP sample and choosing the demo subset."""

import csv
import gzip
from pathlib import Path

from django.conf import settings

from tests.factories import make_siret
from tremplin.demo.decp import MISSING_ID, TABULAR_SAMPLE, read_tabular, select_subset
from tremplin.organisations.rules import is_valid_siret

COLUMNS = [
    "uid", "id", "acheteur_id", "acheteur_nom", "titulaire_id", "titulaire_nom", "montant",
    "acheteur_departement_code", "titulaire_departement_code", "acheteur_region_code", "titulaire_region_code",
]  # fmt: skip


def write_sample(path: Path, rows: list[dict]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def contract(uid, buyer, holder, holder_name="ENTREPRISE", region="84", department="01"):
    return {
        "uid": uid, "id": uid, "acheteur_id": buyer, "acheteur_nom": f"  ACHETEUR  {buyer} ", "titulaire_id": holder,
        "titulaire_nom": holder_name, "acheteur_region_code": region, "acheteur_departement_code": department,
    }  # fmt: skip


def test_real_sample_keeps_valid_sirets_and_counts_the_others():
    path = Path(settings.TREMPLIN_DATA_DIR) / TABULAR_SAMPLE
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))

    sample = read_tabular(path)

    assert sample.rows == len(rows)
    assert set(sample.buyers) == {r["acheteur_id"] for r in rows if is_valid_siret(r["acheteur_id"])}
    assert set(sample.holders) == {r["titulaire_id"] for r in rows if is_valid_siret(r["titulaire_id"])}
    skipped_holders = set().union(*(ids for (role, _), ids in sample.skipped.items() if role == "titulaire"))
    assert skipped_holders == {r["titulaire_id"] for r in rows if not is_valid_siret(r["titulaire_id"])}
    assert sample.skipped["titulaire", MISSING_ID] == {""}
    assert sample.skipped_rows == sum(
        1 for r in rows if not (is_valid_siret(r["acheteur_id"]) and is_valid_siret(r["titulaire_id"]))
    )
    assert not sample.has_company_category  # this extract carries no titulaire_categorie column


def test_real_selection_spans_every_region_of_the_sample():
    sample = read_tabular(Path(settings.TREMPLIN_DATA_DIR) / TABULAR_SAMPLE)
    selection = select_subset(sample, top=40)

    regions = {party.region_code for party in sample.buyers.values()} - {""}
    assert {sample.buyers[s].region_code for s in selection.buyers} >= regions
    assert len(selection.buyers) == 40 + len(selection.region_fillers)
    assert selection.main_supplier in sample.holders_by_buyer[selection.main_buyer]
    assert all(is_valid_siret(s) for s in selection.buyers + selection.suppliers)


def test_selection_takes_busiest_buyers_then_one_per_missing_region(tmp_path):
    big, second, island, small_island, other = (make_siret(n) for n in range(1, 6))
    mason, roofer, esat, stranger = (make_siret(n) for n in range(10, 14))
    rows = [
        contract("1", big, mason),
        contract("2", big, mason),
        contract("3", big, roofer),
        contract("4", second, roofer),
        contract("5", second, "12345678900000", holder_name="SIRET FAUX"),
        contract("6", island, stranger, region="04", department="974"),
        contract("7", island, stranger, region="04", department="974"),
        contract("8", small_island, stranger, region="04", department="974"),
        contract("9", other, esat, holder_name="UNAPEI (ESAT DU LAC)", region="84"),
    ]
    sample = read_tabular(write_sample(tmp_path / "sample.csv.gz", rows))

    selection = select_subset(sample, top=2)

    assert selection.buyers == [big, second, island]
    assert selection.region_fillers == [island]
    assert selection.main_buyer == big
    assert selection.main_supplier == mason
    assert set(selection.suppliers) == {mason, roofer, stranger, esat}  # ESAT added for its name alone
    assert selection.inclusive_suppliers == [esat]
    assert sample.buyers[big].name == f"ACHETEUR {big}"
    assert sample.skipped_rows == 1
    assert [ids for (role, _), ids in sample.skipped.items()] == [{"12345678900000"}]
