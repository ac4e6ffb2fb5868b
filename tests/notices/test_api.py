"""GET /api/v1/notices (search, open calls by default) and GET /api/v1/notices/{id}: shapes, filters, French
400 errors per parameter, 404 for unknown notices."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import BuyerFactory, OrganisationFactory

from .factories import NoticeAwardFactory, NoticeFactory, NoticeLotFactory, NoticeWinnerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notices"


@pytest.fixture
def notices(small_referentials):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    return {
        "school": NoticeFactory(title="École Jean-Macé", deadline_at=now + 20 * day, buyer=BuyerFactory()),
        "power": NoticeFactory(title="Électricité", cpv="09310000", place_department="75", deadline_at=now + 2 * day),
        "reserved": NoticeFactory(title="Espaces verts", cpv="77310000", is_reserved=True, deadline_at=now + 9 * day),
        "closed": NoticeFactory(title="Close", deadline_at=now - day),
    }


def test_search_returns_open_calls_nearest_deadline_first(client, notices):
    response = client.get(URL)
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["limit"], data["offset"]) == (3, 20, 0)
    assert [item["title"] for item in data["items"]] == ["Électricité", "Espaces verts", "École Jean-Macé"]
    item = data["items"][2]
    school = notices["school"]
    assert item["id"] == school.pk and item["url"] == f"/avis/{school.pk}/"
    assert item["api_url"] == f"/api/v1/notices/{school.pk}"
    assert item["buyer"] == {
        "name": "Ville de Lyon",
        "siret": school.buyer.siret,
        "url": school.buyer.get_absolute_url(),
    }
    assert item["is_open"] is True and item["kind"] == "competition"
    assert item["estimated_value"] == 250000 and item["currency"] == "EUR"
    assert item["deadline_at"].startswith(str(timezone.localtime(school.deadline_at).date())[:4])


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"cpv": "0931"}, ["Électricité"]),
        ({"department": "75"}, ["Électricité"]),
        ({"reserved": "true"}, ["Espaces verts"]),
        ({"reserved": "1"}, ["Espaces verts"]),
        ({"reserved": "0"}, ["Électricité", "Espaces verts", "École Jean-Macé"]),
        ({"q": "ecole"}, ["École Jean-Macé"]),
        ({"show": "competition", "q": "close"}, ["Close"]),
        ({"limit": "1", "offset": "1"}, ["Espaces verts"]),
    ],
)
def test_search_filters(client, notices, params, expected):
    assert [item["title"] for item in client.get(URL, params).json()["items"]] == expected


def test_search_deadline_window(client, notices):
    today = timezone.localdate()
    params = {
        "deadline_from": str(today + datetime.timedelta(days=5)),
        "deadline_to": str(today + datetime.timedelta(days=10)),
    }
    assert [item["title"] for item in client.get(URL, params).json()["items"]] == ["Espaces verts"]


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"cpv": "travaux"}, "cpv", "Indiquez de 2 à 8 chiffres"),
        ({"department": "2C"}, "department", "Département inconnu"),
        ({"deadline_from": "demain"}, "deadline_from", "Date invalide"),
        ({"show": "everything"}, "show", "Choix inconnu"),
        ({"procedure": "Gré à gré"}, "procedure", "Procédure inconnue"),
        ({"limit": "1000"}, "limit", "Nombre entier attendu, de 1 à 100."),
        ({"limit": "abc"}, "limit", "Nombre entier attendu"),
        ({"offset": "-1"}, "offset", "Nombre entier attendu, à partir de 0."),
    ],
)
def test_bad_parameters_are_a_400_in_french(client, notices, params, field, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    data = response.json()
    assert data["detail"] == "Paramètres de recherche invalides."
    assert message in data["errors"][field][0]


def test_a_notice_with_lots_awards_and_links(client):
    call = NoticeFactory(title="Rénovation", additional_cpv=["71000000"], cpv_codes=["71000000"], flags=["no_deadline"])
    NoticeLotFactory(notice=call, lot_ref="1", title="Gros œuvre", estimated_value=Decimal("120000"), is_reserved=True)
    winner = OrganisationFactory()
    award = NoticeAwardFactory(notice__related=call, notice__title="Attribution rénovation", lot_ref="1")
    NoticeWinnerFactory(award=award, organisation=winner, siret=winner.siret, name="LAUREAT", is_sme=True)

    data = client.get(f"{URL}/{call.pk}").json()
    assert data["title"] == "Rénovation" and data["is_open"] is True and data["is_cancelled"] is False
    assert data["cpv_codes"] == ["45214200", "71000000"] and data["additional_cpv"] == ["71000000"]
    assert data["lots"] == [
        {
            "lot_id": "1",
            "title": "Gros œuvre",
            "description": "",
            "cpv": "45214200",
            "additional_cpv": [],
            "estimated_value": 120000,
            "currency": None,
            "nuts": None,
            "department": None,
            "is_reserved": True,
        }
    ]
    assert data["flags"] == [{"code": "no_deadline", "label": "Avis d'appel à la concurrence sans date limite de "
                                                               "réception des offres"}]  # fmt: skip
    assert data["deadline"]["text"].endswith("(heure de Paris)")
    assert data["follow_ups"][0]["kind"] == "award" and data["follow_ups"][0]["url"] == award.notice.get_absolute_url()
    assert data["provenance"]["file"] == call.raw_file and data["place"]["department"] == "69"

    awarded = client.get(f"{URL}/{award.notice.pk}").json()
    assert awarded["related"]["id"] == call.pk
    (decision,) = awarded["awards"]
    assert decision["value"] == 120000 and decision["lot_id"] == "1"
    assert decision["winners"][0]["organisation"] == {
        "name": "LAUREAT",
        "siret": winner.siret,
        "url": winner.get_absolute_url(),
    }
    assert decision["winners"][0]["is_sme"] is True


@pytest.mark.parametrize("notice_id", ["999999", "abc", "1.5", "9" * 30])
def test_unknown_notices_are_404(client, notice_id):
    response = client.get(f"{URL}/{notice_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Avis inconnu."}
