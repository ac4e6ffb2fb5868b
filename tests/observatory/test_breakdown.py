"""Breakdowns by every dimension, sorted by amount descending, paginated; and the JSON API around them."""

import pytest

from tremplin.observatory.filters import Filters
from tremplin.observatory.queries import BY_CHOICES, UnknownDimension, breakdown, iter_breakdown

pytestmark = pytest.mark.django_db

NEGOTIATED = "Marché négocié sans publicité ni mise en concurrence préalable"


def rows(by, filters=None, **kwargs):
    return [
        (row["key"], row["label"], row["contracts"], row["amount"])
        for row in breakdown(by, filters or Filters(), **kwargs)["rows"]
    ]  # noqa: E501


def test_by_year_and_month(dataset):
    assert rows("year") == [("2024", "2024", 4, 900_000), ("2023", "2023", 1, 100_000)]
    assert rows("month") == [
        ("2024-07", "juillet 2024", 1, 400_000),
        ("2024-06", "juin 2024", 1, 300_000),
        ("2024-02", "février 2024", 1, 200_000),
        ("2023-05", "mai 2023", 1, 100_000),
        ("2024-11", "novembre 2024", 1, None),  # only a suspicious amount: none counted, sorted last
    ]
    assert [key for key, *_ in rows("month", sort="key")] == ["2023-05", "2024-02", "2024-06", "2024-07", "2024-11"]
    assert rows("month", Filters(include_suspicious=True))[0] == ("2024-11", "novembre 2024", 1, 5_000_000_000)


def test_by_territory(dataset):
    # Ties on amount (300 k) are broken by contracts, then key.
    assert rows("region") == [
        ("", "Territoire inconnu", 1, 400_000),
        ("11", "Île-de-France", 2, 300_000),
        ("84", "Auvergne-Rhône-Alpes", 2, 300_000),
    ]
    assert rows("department") == [
        ("", "Département inconnu", 1, 400_000),
        ("69", "Rhône (69)", 2, 300_000),
        ("75", "Paris (75)", 2, 300_000),
    ]


def test_by_sector_with_cpv_labels(dataset):
    assert rows("cpv_division") == [
        ("45", "45 — Travaux de construction", 3, 700_000),
        ("09", "09 — Produits pétroliers, combustibles, électricité et autres sources d'énergie", 1, 300_000),
        ("60", "60 — Services de transport (à l'exclusion du transport des déchets)", 1, None),
    ]


def test_by_buyer_and_holder(dataset):
    assert rows("buyer") == [
        (dataset.lyon.siret, "Ville de Lyon", 3, 700_000),
        (dataset.paris.siret, "Ville de Paris", 2, 300_000),
    ]
    # Holders get their share of co-held contracts; a co-held contract counts for each of its holders.
    assert rows("holder") == [
        ("BE0123456789", "BRUXELLES BATI SA", 1, 400_000),
        (dataset.beta.siret, "Bêta Construction", 1, 300_000),
        (dataset.alpha.siret, "Alpha BTP", 2, 200_000),
        (dataset.gamma.siret, "Atelier Gamma", 1, 100_000),
        (dataset.delta.siret, "Delta Services", 1, None),
    ]


def test_by_procedure_nature_and_size(dataset):
    assert rows("procedure") == [
        ("Appel d'offres ouvert", "Appel d'offres ouvert", 2, 400_000),
        (NEGOTIATED, NEGOTIATED, 1, 400_000),
        ("Procédure adaptée", "Procédure adaptée", 2, 200_000),
    ]
    assert rows("nature") == [("Marché", "Marché", 4, 600_000), ("Accord-cadre", "Accord-cadre", 1, 400_000)]
    assert rows("size_category") == [
        ("", "Taille inconnue", 2, 400_000),  # delta (size unknown) and the foreign holder
        ("ge", "Grande entreprise", 1, 300_000),
        ("micro", "Microentreprise (TPE)", 2, 200_000),  # alpha in c1 and half of c2
        ("pme", "PME", 1, 100_000),
    ]


def test_breakdowns_follow_the_filters(dataset):
    assert rows("region", Filters(year=2024, cpv="45")) == [
        ("", "Territoire inconnu", 1, 400_000),
        ("84", "Auvergne-Rhône-Alpes", 1, 200_000),
    ]
    assert rows("year", Filters(holder=dataset.alpha.siret)) == [
        ("2023", "2023", 1, 100_000),
        ("2024", "2024", 1, 100_000),
    ]  # noqa: E501
    assert rows("holder", Filters(buyer=dataset.lyon.siret), limit=1) == [
        ("BE0123456789", "BRUXELLES BATI SA", 1, 400_000)
    ]  # noqa: E501


def test_pagination(dataset):
    page = breakdown("holder", Filters(), limit=2, offset=2)
    assert page["total"] == 5 and (page["limit"], page["offset"]) == (2, 2)
    assert [row["label"] for row in page["rows"]] == ["Alpha BTP", "Atelier Gamma"]
    beyond = breakdown("holder", Filters(), limit=2, offset=10)
    assert beyond["rows"] == [] and beyond["total"] == 5
    assert len(list(iter_breakdown("holder", Filters(), page=2))) == 5


def test_every_dimension_adds_up_to_the_total_amount(dataset):
    for by in BY_CHOICES:
        assert sum(row["amount"] or 0 for row in breakdown(by, Filters(), limit=500)["rows"]) == 1_000_000, by


def test_unknown_dimension_is_refused():
    with pytest.raises(UnknownDimension):
        breakdown("siret; DROP TABLE facts", Filters())


# ---------------------------------------------------------------- API


def test_api_indicators(client, dataset):
    response = client.get("/api/v1/observatory/indicators", {"year": 2024, "region": "11"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"contracts", "amount", "amount_median", "sme", "local_department", "local_region"}
    assert set(data) >= {"inclusive", "offers", "flagged"}
    assert (data["contracts"], data["amount"], data["amount_median"]) == (2, 300_000, 300_000)
    assert data["sme"]["count"] == {"yes": 0, "no": 1, "unknown": 1, "rate": 0, "coverage": 0.5}
    everything = client.get("/api/v1/observatory/indicators", {"include_suspicious": "true"}).json()
    assert everything["amount"] == 5_001_000_000


def test_api_breakdown(client, dataset):
    response = client.get("/api/v1/observatory/breakdown", {"by": "cpv_division", "cpv": "45", "limit": 1})
    assert response.status_code == 200
    assert response.json() == {
        "by": "cpv_division",
        "total": 1,
        "limit": 1,
        "offset": 0,
        "rows": [{"key": "45", "label": "45 — Travaux de construction", "contracts": 3, "amount": 700_000}],
    }
    page = client.get("/api/v1/observatory/breakdown", {"by": "holder", "limit": 2, "offset": 4}).json()
    assert page["total"] == 5 and [row["label"] for row in page["rows"]] == ["Delta Services"]
    by_key = client.get("/api/v1/observatory/breakdown", {"by": "year", "sort": "key"}).json()
    assert [row["key"] for row in by_key["rows"]] == ["2023", "2024"]


@pytest.mark.parametrize(
    "params",
    [
        {"by": "siret"},
        {"by": "holder", "holder": "1234"},
        {"by": "year", "buyer": "ABCDEFGHIJKLMN"},
        {"by": "year", "department": "999A"},
        {"by": "year", "cpv": "quarante"},
        {"by": "year", "limit": 0},
        {"by": "year", "limit": 10_000},
        {"by": "year", "offset": -1},
        {"by": "year", "date_from": "2024-02-30"},
        {"by": "year", "date_from": "2024-05-01", "date_to": "2024-04-01"},
        {"by": "year", "sort": "random()"},
    ],
)
def test_api_refuses_bad_parameters(client, params):
    response = client.get("/api/v1/observatory/breakdown", params)
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_api_refuses_a_malformed_siret_for_indicators(client):
    assert client.get("/api/v1/observatory/indicators", {"buyer": "123 456"}).status_code == 422
