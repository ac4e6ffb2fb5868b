"""APProch-style JSON: reading payloads (tolerant of what APProch partners send), writing them, the round trip,
and the import and export endpoints."""

import datetime
import json
from decimal import Decimal

import pytest

from tests.opportunities.conftest import bearer
from tests.opportunities.factories import ForecastFactory
from tremplin.opportunities import approch, rules
from tremplin.opportunities.models import Forecast, Source
from tremplin.opportunities.rules import ForecastData, LotData
from tremplin.opportunities.services import save_forecast

FULL = rules.normalise(
    ForecastData(
        title="Entretien des espaces verts des écoles",
        description="Tonte, taille, désherbage sans produits phytosanitaires.",
        category="services",
        cpv="77310000",
        cpv_secondary=["77211500", "45112710"],
        estimated_amount=Decimal("180000.50"),
        max_duration_months=36,
        publication_target_date=datetime.date(2026, 9, 15),
        offer_deadline=datetime.date(2026, 10, 20),
        procedure_type="aoo",
        departments=["69", "42"],
        communes=["69123"],
        keywords=["espaces verts", "écoles"],
        contact_name="Service des achats",
        contact_email="achats@exemple.fr",
        contact_phone="04 00 00 00 00",
        messaging_enabled=True,
        consultation_url="https://marches.exemple.fr/consultation/42",
        social_kinds=["clause_sociale"],
        environmental_kinds=["clause_environnementale", "critere_environnemental"],
        considerations_details="Clause d'insertion de 5 % des heures.",
        reservations=[],
        lots=[
            LotData(1, "Tonte et débroussaillage", "77314000", Decimal("120000"), "L2113-13"),
            LotData(2, "Taille des haies", "", None, "L2113-12"),
        ],
        status=rules.IN_CONSULTATION,
    )
)
META = approch.Meta(external_id="42", url="https://tremplin.exemple.fr/previsions/42/", siret="21690123100011")


def test_export_uses_the_approch_field_names():
    payload = approch.to_payload(FULL, META)
    assert payload["label"] == "Entretien des espaces verts des écoles"
    assert payload["purchasingCategory"] == "services"
    assert payload["CPVPrimary"] == "77310000"
    assert payload["status"] == "in_consultation"
    assert (payload["publicationTargetDate"], payload["dlro"]) == ("2026-09-15", "2026-10-20")
    assert (payload["marketEstimatedAmount"], payload["marketMaxDuration"]) == (180000.5, 36)
    assert (payload["socialConsiderationsConcerned"], payload["environmentalConsiderationsConcerned"]) == (True, True)
    assert payload["keywords"] == "espaces verts, écoles"
    assert payload["messagingActive"] is True
    assert payload["procedureType"] == {"code": "aoo", "label": "Appel d'offres ouvert"}
    assert payload["purchasingEntity"] == {"siret": "21690123100011", "siren": "216901231", "label": ""}
    assert [item["code"] for item in payload["reservedPublicMarkets"]] == ["L2113-12", "L2113-13"]
    assert payload["departments"] == [{"department": "69"}, {"department": "42"}]
    assert payload["tremplin"]["lots"][1] == {
        "number": 2,
        "label": "Taille des haies",
        "CPV": None,
        "estimatedAmount": None,
        "reservation": "L2113-12",
    }


def test_round_trip_is_lossless():
    data, meta = approch.from_payload(json.loads(json.dumps(approch.to_payload(FULL, META))))
    assert data == FULL
    assert (meta.external_id, meta.siret, meta.url) == ("42", "21690123100011", META.url)


def test_a_contract_level_reservation_survives_the_round_trip_beside_reserved_lots():
    data = rules.normalise(
        ForecastData(
            title="Repas",
            category="services",
            reservations=["L2113-15"],
            lots=[LotData(1, "Portage", "", None, "L2113-13")],
        )
    )
    assert approch.from_payload(approch.to_payload(data, META))[0] == data


def test_reading_what_approch_partners_send():
    payload = {
        "id": "APP-2026-0117",
        "url": "https://projets-achats.marches-publics.gouv.fr/projet/117",
        "label": "  Fourniture d'électricité  ",
        "description": "Points de livraison des bâtiments communaux.",
        "purchasingCategory": "Fournitures",
        "CPVPrimary": 9310000,  # a number: the leading zero of division 09 is lost
        "status": "Publié",
        "publicationTargetDate": "2026-08-31T22:00:00.000Z",  # midnight in Paris
        "dlro": "2026-10-01",
        "marketEstimatedAmount": "850 000,00",
        "marketMaxDuration": "48",
        "socialConsiderationsConcerned": "false",
        "environmentalConsiderationsConcerned": "oui",
        "consultationLink": None,
        "keywords": "énergie; électricité",
        "messagingActive": True,
        "createdAt": "2026-01-10T10:00:00Z",
        "procedureType": {"label": "Procédure adaptée", "description": None, "code": "PA"},
        "purchasingEntity": {"label": "VILLE DE LYON", "siren": "216901231", "siret": "216 901 231 00011"},
        "reservedPublicMarkets": [{"code": None, "label": "Marché réservé aux structures d'insertion (SIAE)"}],
        "departments": [{"department": "69"}, {"department": "1"}],
    }
    data, meta = approch.from_payload(payload)
    assert data.title == "Fourniture d'électricité"
    assert (data.category, data.cpv, data.status) == ("fournitures", "09310000", "published")
    assert data.publication_target_date == datetime.date(2026, 9, 1)
    assert data.publication_quarter == "2026-T3"
    assert (data.estimated_amount, data.max_duration_months) == (Decimal("850000.00"), 48)
    assert (data.social_considerations, data.environmental_considerations) == (True, True)  # reserved → social
    assert data.social_kinds == ["marche_reserve"]
    assert data.keywords == ["énergie", "électricité"]
    assert (data.procedure_type, data.procedure_details) == ("mapa", "")
    assert data.reservations == ["L2113-13"]
    assert data.departments == ["69", "01"]
    assert (meta.external_id, meta.siret, meta.buyer_name) == ("APP-2026-0117", "21690123100011", "VILLE DE LYON")


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Réservé aux entreprises adaptées et ESAT", "L2113-12"),
        ("EA / ESAT", "L2113-12"),
        ("Article L2113-13", "L2113-13"),
        ("Insertion par l'activité économique (IAE)", "L2113-13"),
        ("Entreprises de l'ESS", "L2113-15"),
        ("Économie sociale et solidaire", "L2113-15"),
    ],
)
def test_reservation_labels(label, code):
    data, _ = approch.from_payload({"label": "X", "reservedPublicMarkets": [{"label": label}]})
    assert data.reservations == [code]


def test_unknown_procedures_are_kept_as_details():
    data, _ = approch.from_payload({"label": "X", "procedureType": {"code": "PI", "label": "Partenariat d'innovation"}})
    assert (data.procedure_type, data.procedure_details) == ("autre", "Partenariat d'innovation")


def test_every_problem_is_reported_in_french():
    with pytest.raises(approch.ApprochError) as caught:
        approch.from_payload(
            {
                "purchasingCategory": "logiciels",
                "CPVPrimary": "4",
                "status": "gelé",
                "dlro": "31/12/2026",
                "marketEstimatedAmount": "beaucoup",
                "marketMaxDuration": 12.5,
                "messagingActive": "peut-être",
                "consultationLink": "ftp://exemple.fr/dce",
                "reservedPublicMarkets": [{"label": "Marché réservé aux grandes entreprises"}],
                "departments": "69",
            }
        )
    assert caught.value.messages == [
        "label : l'intitulé du projet est obligatoire.",
        "purchasingCategory : catégorie inconnue « logiciels » (travaux, fournitures, services).",
        "CPVPrimary : Code CPV invalide « 4 » : au moins les 2 chiffres de la division sont attendus.",
        "status : statut inconnu « gelé ».",
        "dlro : « 31/12/2026 » n'est pas une date (AAAA-MM-JJ).",
        "marketEstimatedAmount : « beaucoup » n'est pas un montant en euros.",
        "marketMaxDuration : « 12.5 » n'est pas un nombre entier.",
        "consultationLink : « ftp://exemple.fr/dce » n'est pas une adresse web (http:// ou https://).",
        "messagingActive : « peut-être » n'est ni vrai ni faux.",
        "reservedPublicMarkets : réservation non reconnue {'label': 'Marché réservé aux grandes entreprises'}.",
        "departments : liste attendue.",
    ]


def test_a_payload_must_be_an_object():
    with pytest.raises(approch.ApprochError, match="Un objet JSON est attendu"):
        approch.from_payload(["label"])


# ---------------------------------------------------------------- endpoints

URL = "/api/v1/opportunities/forecasts/approch"


def post(client, payload, user=None):
    headers = bearer(user) if user else {}
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


def minimal(siret="21690123100011", **extra) -> dict:
    return {
        "id": "APP-1",
        "label": "Fourniture de mobilier scolaire",
        "description": "Tables et chaises pour six écoles.",
        "purchasingCategory": "fournitures",
        "CPVPrimary": "45214200",
        "status": "published",
        "publicationTargetDate": "2026-09-15",
        "purchasingEntity": {"siret": siret, "label": "Ville de Lyon"},
        "departments": [{"department": "69"}],
        **extra,
    }


@pytest.mark.django_db
def test_import_creates_then_updates_the_same_project(client, world):
    response = post(client, minimal(), world.agent)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["created"], body["updated"]) == (1, 0)
    forecast = Forecast.objects.get(pk=body["items"][0]["id"])
    assert (forecast.buyer, forecast.source, forecast.external_id) == (world.buyer, Source.APPROCH, "APP-1")
    assert (forecast.status, forecast.cpv_id, forecast.publication_quarter) == ("published", "45214200", "2026-T3")
    assert forecast.published_at is not None

    response = post(
        client,
        minimal(
            label="Mobilier scolaire (lot unique)",
            status="in_consultation",
            consultationLink="https://marches.exemple.fr/c/7",
        ),
        world.agent,
    )
    assert response.status_code == 200
    assert response.json()["items"] == [
        {"id": forecast.pk, "url": f"http://testserver/previsions/{forecast.pk}/", "created": False}
    ]
    forecast.refresh_from_db()
    assert (forecast.title, forecast.status) == ("Mobilier scolaire (lot unique)", "in_consultation")
    assert [c.to_status for c in forecast.status_changes.all()] == ["published", "in_consultation"]


@pytest.mark.django_db
def test_import_checks_who_may_write_for_the_buyer(client, world):
    assert post(client, minimal()).status_code == 401
    for user in (world.other_agent, world.company_member, world.buyer_colleague, world.staff):
        response = post(client, minimal(), user)
        assert response.status_code == 403
        assert (
            "vous n'êtes pas agent acheteur de l'organisation de SIRET « 21690123100011 »" in response.json()["detail"]
        )
    assert post(client, minimal(siret="99999999999999"), world.agent).status_code == 403
    assert not Forecast.objects.exists()


@pytest.mark.django_db
def test_import_refuses_an_incomplete_published_project_and_unknown_codes(client, world):
    response = post(client, minimal(CPVPrimary="99999999", departments=[]), world.agent)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["cpv"] == ["Code CPV inconnu « 99999999 »."]
    response = post(client, minimal(CPVPrimary=None, departments=[]), world.agent)
    assert response.json()["errors"][""] == [
        "Avant de publier, indiquez le code CPV principal et au moins un lieu d'exécution (département ou commune)."
    ]
    assert post(client, minimal(status="draft", CPVPrimary=None), world.agent).status_code == 201


@pytest.mark.django_db
def test_a_list_is_saved_entirely_or_not_at_all(client, world):
    response = post(client, [minimal(id="A"), minimal(id="B", label="")], world.agent)
    assert response.status_code == 400
    assert response.json()["errors"] == {"[1] payload": ["label : l'intitulé du projet est obligatoire."]}
    assert not Forecast.objects.exists()
    response = post(client, [minimal(id="A"), minimal(id="B")], world.agent)
    assert (response.status_code, response.json()["created"]) == (201, 2)
    assert post(client, [], world.agent).status_code == 400


@pytest.mark.django_db
def test_a_published_project_does_not_become_a_draft_again(client, world):
    post(client, minimal(), world.agent)
    response = post(client, minimal(status="draft"), world.agent)
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": ["Une prévision publiée ne redevient pas un brouillon."]}


@pytest.mark.django_db
def test_export_then_import_gives_the_same_payload(client, world):
    data = ForecastData(
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
        communes=["69123"],
        keywords=["école", "construction"],
        environmental_kinds=["critere_environnemental"],
        lots=[
            LotData(1, "Gros œuvre", "45210000", Decimal("1500000")),
            LotData(2, "Peinture", "", Decimal("30000"), "L2113-13"),
        ],
        status="published",
    )
    forecast = save_forecast(world.agent, world.buyer, data, keep_status=False)
    exported = client.get(f"/api/v1/opportunities/forecasts/{forecast.pk}/approch").json()
    assert exported["reservedPublicMarkets"] == [{"code": "L2113-13", "label": rules.RESERVATIONS["L2113-13"]}]

    response = post(client, {**exported, "id": "copie"}, world.agent)
    assert response.status_code == 201, response.json()
    copy_id = response.json()["items"][0]["id"]
    again = client.get(f"/api/v1/opportunities/forecasts/{copy_id}/approch").json()
    volatile = {"id", "url", "createdAt", "updatedAt"}
    assert {k: v for k, v in again.items() if k not in volatile} == {
        k: v for k, v in exported.items() if k not in volatile
    }


@pytest.mark.django_db
def test_the_export_list_holds_published_forecasts_only(client, world):
    ForecastFactory(buyer=world.buyer, title="Publiée")
    ForecastFactory(buyer=world.buyer, title="Brouillon", status="draft")
    body = client.get(URL).json()
    assert body["count"] == 1
    assert [item["label"] for item in body["items"]] == ["Publiée"]
