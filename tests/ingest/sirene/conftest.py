"""Organisations matching the rows of `fixtures/StockEtablissement_utf8.csv` and `fixtures/StockUniteLegale_utf8.csv`.

Both files are written by hand in the official layout (full current header, comma-separated, UTF-8); their
identifiers are made up (Luhn-valid) and belong to no real company. Rows, by SIREN:

* 007998198 ALPHA: head office in Paris 2e (district code 75102), street type and repetition index to expand;
  a second establishment that is not ours (03039), and a row whose SIRET fails its check digit (01018). Unit:
  PME, 20-49 employees, SAS. We hold two of its establishments (01017, 02023).
* 008077380 BETA: Lyon 3e (69383, a district our referential lacks → Lyon), then the same row cut short.
  Unit: ETI, 500-999, ESS.
* 008156572 GAMMA: Marseille 1er (13201 → Marseille), closed on 2023-06-30, NAF 70.10Z unknown to our table.
  Unit: GE, 10 000+.
* 008235764 DELTA: a natural person in partial diffusion ("P", masked "[ND]" values). Unit: category 1000.
* 008314957: a commune (legal category 7210). 008394140: a hospital (7364), commune code 97499 unknown.
* 008473332 MICRO: activity in the old NAFRev1 nomenclature; unit PME, 6-9 employees, APE 62.02A.
* 071271001: not ours in either file. Last establishment line: no SIREN.
"""

from pathlib import Path

import pytest

from tests.factories import BuyerFactory, OrganisationFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures"
ESTABLISHMENTS = FIXTURES / "StockEtablissement_utf8.csv"
LEGAL_UNITS = FIXTURES / "StockUniteLegale_utf8.csv"


@pytest.fixture
def orgs(small_referentials):  # noqa: F811
    communes = small_referentials.communes
    return {
        "alpha": OrganisationFactory(siret="00799819801017", name="00799819801017"),
        "alpha2": OrganisationFactory(siret="00799819802023", name="ALPHA CONSEIL LYON"),
        "beta": OrganisationFactory(siret="00807738001021", name="Bêta Bâtiment Rhône", address="8 quai Perrache"),
        "gamma": OrganisationFactory(siret="00815657201035", name="Gamma Industries"),
        "delta": OrganisationFactory(
            siret="00823576401041",
            name="JEAN DURAND",
            address="3 RUE DES ECOLES",
            postcode="42000",
            commune=communes["42218"],
            sirene_values={
                "name": "JEAN DURAND",
                "address": "3 RUE DES ECOLES",
                "postcode": "42000",
                "commune": "42218",
                "department": "42",
            },
        ),
        "commune": BuyerFactory(siret="00831495701052", name="Ville de Boulogne-Billancourt", buyer_type=""),
        "hospital": BuyerFactory(siret="00839414001066", name="Inconnu", buyer_type=""),
        "micro": OrganisationFactory(siret="00847333201071", name="Micro Logiciels SARL"),
    }
