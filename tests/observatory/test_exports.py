"""CSV exports (streamed, French dialect) and the OCDS 1.1 release package, validated against the official
schemas offline."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.http import StreamingHttpResponse
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.contracts.factories import ContractModificationFactory
from tremplin.observatory.exports import main_category, procurement_method

pytestmark = pytest.mark.django_db

OCDS_DIR = Path(settings.TREMPLIN_DATA_DIR) / "ocds"


def read_csv(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for spreadsheets
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_contracts_csv(client, dataset):
    response = client.get("/api/v1/exports/contracts.csv", {"buyer": dataset.lyon.siret, "year": 2024})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="marches.csv"'
    rows = read_csv(response)
    assert [row["identifiant"] for row in rows] == ["C5", "C2"]  # most recent first
    c2 = rows[1]
    assert c2["cle"] == dataset.c2.key
    assert c2["montant_notification"] == "200000,00"  # decimal comma
    assert c2["date_notification"] == "2024-02-20"
    assert c2["titulaires_siret"] == f"{dataset.alpha.siret} | {dataset.gamma.siret}"
    assert c2["titulaires_noms"] == "Alpha BTP | Atelier Gamma"
    assert (c2["nombre_titulaires"], c2["departement"], c2["region"]) == ("2", "69", "84")
    assert c2["url"] == f"http://testserver/marches/{dataset.c2.key}/"
    assert rows[0]["origine_territoire"] == "Inconnu"


def test_contracts_csv_flags_suspicious_amounts_and_defuses_formulas(client, dataset):
    dataset.c4.object = '=HYPERLINK("http://exemple.invalid")'
    dataset.c4.save()
    rows = read_csv(client.get("/api/v1/exports/contracts.csv", {"department": "75"}))
    c4 = next(row for row in rows if row["identifiant"] == "C4")
    assert (c4["montant_suspect"], c4["anomalies"]) == ("oui", "amount_outlier")
    assert c4["objet"].startswith("'=")
    assert len(read_csv(client.get("/api/v1/exports/contracts.csv"))) == 5
    assert len(read_csv(client.get("/api/v1/exports/contracts.csv", {"holder": dataset.alpha.siret}))) == 2
    assert len(read_csv(client.get("/api/v1/exports/contracts.csv", {"cpv": "4521"}))) == 2


def test_breakdown_and_indicators_csv(client, dataset):
    rows = read_csv(client.get("/api/v1/exports/breakdown.csv", {"by": "department"}))
    assert rows == [
        {"department": "", "libelle": "Département inconnu", "marches": "1", "montant": "400000,00"},
        {"department": "69", "libelle": "Rhône (69)", "marches": "2", "montant": "300000,00"},
        {"department": "75", "libelle": "Paris (75)", "marches": "2", "montant": "300000,00"},
    ]
    assert client.get("/api/v1/exports/breakdown.csv", {"by": "nope"}).status_code == 422
    indicators = {
        (row["indicateur"], row["mesure"]): row for row in read_csv(client.get("/api/v1/exports/indicators.csv"))
    }  # noqa: E501
    assert indicators[("Marchés", "nombre")]["valeur"] == "5"
    assert indicators[("Montant total", "euros")]["valeur"] == "1000000,00"
    sme = indicators[("Part des PME (micro, PME)", "montant")]
    assert (sme["oui"], sme["non"], sme["inconnu"], sme["taux"]) == ("300000,00", "300000,00", "400000,00", "0,5000")


def ocds_validator() -> Draft4Validator:
    release = json.loads((OCDS_DIR / "release-schema.json").read_text())
    package = json.loads((OCDS_DIR / "release-package-schema.json").read_text())
    registry = Registry().with_resources(
        [(schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in (release, package)]
    )
    return Draft4Validator(package, registry=registry)


def test_ocds_package_validates_against_the_official_schema(client, dataset, settings):
    ContractModificationFactory(contract=dataset.c2)
    response = client.get("/api/v1/exports/ocds", {"year": 2024})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json"
    package = json.loads(b"".join(response.streaming_content))
    errors = sorted(ocds_validator().iter_errors(package), key=lambda error: list(error.path))
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors]
    assert package["version"] == "1.1"
    releases = {release["ocid"]: release for release in package["releases"]}
    assert len(releases) == 4
    c2 = releases[f"ocds-tremplin-{dataset.c2.key}"]
    assert c2["tag"] == ["award", "contract", "contractAmendment"]
    assert {party["id"]: party["roles"] for party in c2["parties"]} == {
        f"FR-SIRET-{dataset.lyon.siret}": ["buyer"],
        f"FR-SIRET-{dataset.alpha.siret}": ["supplier"],
        f"FR-SIRET-{dataset.gamma.siret}": ["supplier"],
    }
    assert c2["buyer"] == {"id": f"FR-SIRET-{dataset.lyon.siret}", "name": "Ville de Lyon"}
    assert c2["tender"]["procurementMethodDetails"] == "Procédure adaptée"
    assert "procurementMethod" not in c2["tender"]  # a MAPA fits no OCDS code
    assert c2["tender"]["items"][0]["classification"] == {
        "scheme": "CPV",
        "id": "45214200",
        "description": "Travaux de construction de bâtiments scolaires",
    }
    award = c2["awards"][0]
    assert award["value"] == {"amount": 200_000, "currency": "EUR"}
    assert award["date"] == "2024-02-20T00:00:00+01:00"
    assert [supplier["name"] for supplier in award["suppliers"]] == ["Alpha BTP", "Atelier Gamma"]
    assert c2["contracts"][0]["awardID"] == award["id"]
    assert c2["contracts"][0]["amendments"][0]["description"] == "Avenant n° 1 : travaux supplémentaires"
    c5 = releases[f"ocds-tremplin-{dataset.c5.key}"]
    assert c5["tender"]["procurementMethod"] == "limited"
    assert c5["parties"][1] == {"id": "TVA-BE0123456789", "name": "BRUXELLES BATI SA", "roles": ["supplier"]}

    # The prefix is a setting; limit/offset cut the package; no match is a 404 (a package needs a release).
    settings.OCDS_PREFIX = "ocds-abc123-"
    page = json.loads(b"".join(client.get("/api/v1/exports/ocds", {"limit": 2, "offset": 1}).streaming_content))
    assert len(page["releases"]) == 2 and page["releases"][0]["ocid"].startswith("ocds-abc123-")
    assert not list(ocds_validator().iter_errors(page))
    missing = client.get("/api/v1/exports/ocds", {"year": 1999})
    assert missing.status_code == 404 and "Aucun marché" in missing.json()["detail"]


@pytest.mark.parametrize(
    ("procedure", "method"),
    [
        ("Appel d'offres ouvert", "open"),
        ("Appel d'offres restreint", "selective"),
        ("Procédure avec négociation", "selective"),
        ("Procédure concurrentielle avec négociation", "selective"),
        ("Dialogue compétitif", "selective"),
        ("Marché passé sans publicité ni mise en concurrence préalable", "limited"),
        ("Procédure négociée sans publicité ni mise en concurrence préalable", "limited"),
        ("Procédure non négociée ouverte", "open"),
        ("Procédure négociée restreinte", "selective"),
        ("Procédure adaptée", None),
        ("", None),
        ("Autre", None),
    ],
)
def test_procurement_method(procedure, method):
    assert procurement_method(procedure) == method


def test_main_category():
    assert [main_category(cpv) for cpv in ("45210000", "09310000", "48000000", "72000000", "")] == [
        "works", "goods", "goods", "services", None,
    ]  # fmt: skip


def test_amounts_keep_their_cents(client, dataset):
    dataset.c1.amount_initial = Decimal("1234.5")
    dataset.c1.save()
    rows = read_csv(client.get("/api/v1/exports/contracts.csv", {"year": 2023}))
    assert rows[0]["montant_notification"] == "1234,50"
