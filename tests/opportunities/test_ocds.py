"""OCDS 1.1 planning releases of forecasts, validated offline against the official release and package schemas
(same approach as tests/observatory/test_exports.py)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tremplin.opportunities.rules import ForecastData, LotData
from tremplin.opportunities.services import save_forecast, transition

pytestmark = pytest.mark.django_db

OCDS_DIR = Path(settings.TREMPLIN_DATA_DIR) / "ocds"
URL = "/api/v1/opportunities/forecasts/ocds"


def ocds_validator() -> Draft4Validator:
    release = json.loads((OCDS_DIR / "release-schema.json").read_text())
    package = json.loads((OCDS_DIR / "release-package-schema.json").read_text())
    registry = Registry().with_resources(
        [(schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in (release, package)]
    )
    return Draft4Validator(package, registry=registry)


def assert_valid(package: dict) -> None:
    errors = sorted(ocds_validator().iter_errors(package), key=lambda error: list(error.path))
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors]


@pytest.fixture
def forecasts(world):
    school = save_forecast(
        world.agent,
        world.buyer,
        ForecastData(
            title="Construction d'une école primaire",
            description="Groupe scolaire de 12 classes.",
            category="travaux",
            cpv="45214200",
            cpv_secondary=["45214210"],
            estimated_amount=Decimal("2400000"),
            max_duration_months=30,
            publication_quarter="2026-T4",
            procedure_type="aoo",
            departments=["69"],
            communes=["42218"],
            contact_name="Service des achats",
            contact_email="achats@exemple.fr",
            lots=[
                LotData(1, "Gros œuvre", "45210000", Decimal("1500000")),
                LotData(2, "Peinture", "", Decimal("30000"), "L2113-13"),
                LotData(3, "Nettoyage de chantier", "", None, "L2113-12"),
            ],
            status="published",
        ),
        keep_status=False,
    )
    transport = save_forecast(
        world.agent,
        world.buyer,
        ForecastData(
            title="Transport scolaire",
            description="Circuits du matin et du soir.",
            category="services",
            cpv="60112000",
            publication_quarter="2027-T1",
            procedure_type="mapa",
            departments=["69"],
            consultation_url="https://marches.exemple.fr/c/12",
            status="published",
        ),
        keep_status=False,
    )
    transition(world.agent, transport, "in_consultation")
    draft = save_forecast(world.agent, world.buyer, ForecastData(title="Idée de brouillon"))
    return school, transport, draft


def test_the_package_validates_and_holds_no_draft(client, forecasts, settings):
    settings.OCDS_PREFIX = "ocds-abc123-"
    school, transport, draft = forecasts
    response = client.get(URL, {"status": "tous"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    package = response.json()
    assert_valid(package)
    assert package["version"] == "1.1"
    assert len(package["extensions"]) == 3
    releases = {release["ocid"]: release for release in package["releases"]}
    assert set(releases) == {f"ocds-abc123-prevision-{school.pk}", f"ocds-abc123-prevision-{transport.pk}"}

    release = releases[f"ocds-abc123-prevision-{school.pk}"]
    assert release["tag"] == ["planning"]
    assert release["buyer"] == {"id": "FR-SIRET-21690123100011", "name": "Ville de Lyon"}
    assert release["parties"][0]["contactPoint"] == {"name": "Service des achats", "email": "achats@exemple.fr"}
    assert release["planning"]["budget"]["amount"] == {"amount": 2400000.0, "currency": "EUR"}
    tender = release["tender"]
    assert (tender["status"], tender["procurementMethod"], tender["mainProcurementCategory"]) == (
        "planned",
        "open",
        "works",
    )
    assert tender["tenderPeriod"] == {"startDate": "2026-10-01T00:00:00+02:00"}
    assert tender["contractPeriod"] == {"durationInDays": 900}
    assert tender["items"][0]["classification"] == {
        "scheme": "CPV",
        "id": "45214200",
        "description": "Travaux de construction de bâtiments scolaires",
    }
    assert tender["items"][0]["additionalClassifications"][0]["id"] == "45214210"
    assert tender["items"][0]["deliveryAddresses"] == [
        {"region": "Rhône (69)", "countryName": "France"},
        {"locality": "Saint-Étienne", "region": "Loire (42)", "countryName": "France"},
    ]
    assert [(item["id"], item.get("relatedLot")) for item in tender["items"][1:]] == [
        ("lot-1", "LOT-1"),
        ("lot-2", "LOT-2"),
        ("lot-3", "LOT-3"),
    ]
    assert tender["items"][2]["classification"]["id"] == "45214200"  # a lot without CPV takes the main one
    lots = {lot["id"]: lot for lot in tender["lots"]}
    assert lots["LOT-2"]["otherRequirements"] == {"reservedParticipation": ["shelteredWorkshop"]}
    assert "otherRequirements" not in lots["LOT-1"]
    assert "value" not in lots["LOT-3"]
    assert "L2113-12" in tender["eligibilityCriteria"] and "L2113-13" in tender["eligibilityCriteria"]

    moved = releases[f"ocds-abc123-prevision-{transport.pk}"]
    assert moved["tag"] == ["planningUpdate"]
    assert (moved["tender"]["status"], "procurementMethod" in moved["tender"]) == ("active", False)  # MAPA
    assert moved["tender"]["procurementMethodDetails"] == "Procédure adaptée (MAPA)"
    assert moved["tender"]["documents"][0]["url"] == "https://marches.exemple.fr/c/12"


def test_filters_and_one_forecast(client, forecasts):
    school, transport, draft = forecasts
    assert len(client.get(URL, {"cpv": "60"}).json()["releases"]) == 1
    single = client.get(f"/api/v1/opportunities/forecasts/{school.pk}/ocds").json()
    assert_valid(single)
    assert [release["tender"]["title"] for release in single["releases"]] == ["Construction d'une école primaire"]
    assert client.get(f"/api/v1/opportunities/forecasts/{draft.pk}/ocds").status_code == 404


def test_an_abandoned_forecast_is_withdrawn(client, forecasts, world):
    school, _, _ = forecasts
    transition(world.agent, school, "abandoned")
    release = client.get(f"/api/v1/opportunities/forecasts/{school.pk}/ocds").json()["releases"][0]
    assert (release["tag"], release["tender"]["status"]) == (["planningUpdate"], "withdrawn")
