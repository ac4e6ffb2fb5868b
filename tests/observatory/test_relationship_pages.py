"""The payment-delay and clause pages and their API: filters in the URL, definitions stated, CSV of each table,
French errors (400 / 422, never a 500), and no buyer under the threshold named anywhere (page, CSV, API)."""

import csv
import datetime
import io
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from tests.contracts.factories import ContractFactory
from tests.factories import BuyerFactory, OrganisationFactory
from tests.payments.conftest import _shipped_ecb_rates  # noqa: F401
from tremplin.payments.models import Invoice

pytestmark = pytest.mark.django_db
D = datetime.date
PAYMENTS = "/observatoire/delais-de-paiement/"
CLAUSES = "/observatoire/clauses/"


def page(response) -> str:
    return unescape(response.content.decode())


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def invoices(db):
    """A hospital with 5 invoices paid in 2025 (named), a commune with 2 (never named)."""
    hospital = BuyerFactory(name="Centre hospitalier de Lens", buyer_type="etablissement_public_sante")
    commune = BuyerFactory(name="Commune de Discrète", buyer_type="commune")
    supplier = OrganisationFactory(name="Blanchisserie Dupont")
    for buyer, paid_after in ((hospital, (20, 40, 50, 60, 70)), (commune, (10, 45))):
        contract = ContractFactory(buyer=buyer)
        for index, days in enumerate(paid_after):
            received = D(2025, 2, 3) + datetime.timedelta(days=30 * index)
            Invoice.objects.create(
                contract=contract,
                supplier=supplier,
                number=f"F-{index}",
                amount_ttc=Decimal("10000.00"),
                received_on=received,
                paid_on=received + datetime.timedelta(days=days),
            )
    return hospital, commune


def test_payments_page(client, invoices):
    hospital, commune = invoices
    response = client.get(PAYMENTS, {"year": "2025"})
    assert response.status_code == 200
    html = page(response)
    assert "<h1>Délais de paiement des acheteurs publics</h1>" in html
    assert 'aria-current="page">Délais de paiement</a>' in html
    assert 'href="/mediation/statistiques/"' in html
    assert "Factures payées en 2025." in html
    assert "Établissement public de santé" in html and "Commune" in html
    # Hospital: delays 20, 40, 50, 60, 70 (legal maximum 50): median 50, mean 48, 2 paid late of 5.
    assert "Centre hospitalier de Lens" in html and hospital.siret in html
    assert "40,0\u202f%" in html
    # The commune has 2 paid invoices: counted in its type, never named.
    assert "Commune de Discrète" not in html and commune.siret not in html
    assert "1 acheteur sous ce seuil n'est pas nommé" in html
    assert "au moins <strong>5 factures payées</strong>" in html
    assert "Délai de paiement" in html and "R2192-12" in html  # definitions
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--bars"' in html
    assert f'href="{PAYMENTS}?year=2025&amp;csv=buyer"' in response.content.decode()


def test_payments_csv_and_api_hide_small_buyers(client, invoices):
    hospital, commune = invoices
    rows = read_csv(client.get(PAYMENTS, {"csv": "buyer"}))
    assert rows[0][:4] == ["Clé", "Libellé", "Type d'acheteur", "Factures payées"]
    assert [row[:4] for row in rows[1:]] == [
        [hospital.siret, "Centre hospitalier de Lens", "Établissement public de santé", "5"],
        ["", "Ensemble", "", "7"],
    ]
    assert rows[1][5] == "50,0" and rows[1][7] == "40,0"  # median, share paid late (%)
    types = read_csv(client.get(PAYMENTS, {"csv": "buyer_type"}))
    assert [row[0] for row in types[1:]] == ["commune", "etablissement_public_sante", ""]

    data = client.get("/api/v1/observatory/payment-delays", {"by": "buyer", "year": 2025}).json()
    assert data["min_paid_invoices"] == 5 and data["hidden_buyers"] == 1 and data["period"] == {"year": "2025"}
    assert [row["key"] for row in data["rows"]] == [hospital.siret]
    assert data["rows"][0]["median_delay_days"] == "50.0" and data["rows"][0]["paid_late"] == 2
    assert data["total"]["paid_invoices"] == 7
    assert commune.siret not in str(data) and "Discrète" not in str(data)
    by_type = client.get("/api/v1/observatory/payment-delays", {"by": "buyer_type"}).json()
    assert {row["key"]: row["paid_invoices"] for row in by_type["rows"]} == {
        "commune": 2,
        "etablissement_public_sante": 5,
    }
    assert client.get("/api/v1/observatory/payment-delays", {"year": 2024}).json()["total"]["paid_invoices"] == 0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"year": "deux"}, "Sélectionnez un choix valide"),
        ({"date_from": "2025-06-01", "date_to": "2025-01-01"}, "La date de fin précède la date de début."),
        ({"date_from": "hier"}, "Saisissez une date valide."),
    ],
)
def test_payments_bad_period(client, params, message):
    response = client.get(PAYMENTS, params)
    assert response.status_code == 400
    html = page(response)
    assert message in html and "Corrigez les filtres" in html and "Chiffres clés" not in html


def test_payments_api_bad_input(client):
    response = client.get("/api/v1/observatory/payment-delays", {"date_from": "2025-06-01", "date_to": "2025-01-01"})
    assert response.status_code == 422 and "précède" in response.json()["detail"]
    assert client.get("/api/v1/observatory/payment-delays", {"by": "supplier"}).status_code == 422


def test_payments_page_without_invoices(client):
    html = page(client.get(PAYMENTS))
    assert "Aucune facture sur cette période." in html
    assert "Aucun acheteur n'atteint le seuil de 5 factures payées" in html


def test_clauses_page_csv_and_api(client, dataset):
    dataset.c3.social_considerations = ["Clause sociale"]
    dataset.c3.format = "2024"
    dataset.c3.save()
    ContractFactory(format="2019", notification_date=D(2023, 1, 5), territory_department="69", territory_region="84")
    response = client.get(CLAUSES, {"region": "11"})
    assert response.status_code == 200
    html = page(response)
    assert "<h1>Clauses sociales et environnementales</h1>" in html
    assert 'aria-current="page">Clauses</a>' in html
    assert "Non renseigné" in html and "jamais comme « non »" in html
    assert "Filtres actifs : région Île-de-France." in html
    # Region 11: c3 (social) and c4 (none, 2022 format): 50 % social, 0 % environmental.
    assert "50,0\u202f%" in html
    assert f'href="{CLAUSES}?region=11&amp;csv=year"' in response.content.decode()
    rows = read_csv(client.get(CLAUSES, {"csv": "region"}))
    assert rows[0][:3] == ["Clé", "Libellé", "Marchés"]
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key["11"][1:7] == ["Île-de-France (11)", "2", "1", "1", "0", "50,0"]
    assert by_key["84"][1:7] == ["Auvergne-Rhône-Alpes (84)", "3", "0", "2", "1", "0,0"]
    data = client.get("/api/v1/observatory/clause-uptake", {"by": "year"}).json()
    assert data["by"] == "year" and [row["key"] for row in data["rows"]] == ["2023", "2024"]
    assert data["rows"][0]["social"] == {"yes": 0, "no": 1, "unknown": 1, "rate": 0.0}
    assert data["total"]["contracts"] == 6 and data["forecasts"]["contracts"] == 0


def test_clauses_bad_filters(client, dataset):
    response = client.get(CLAUSES, {"department": "999x"})
    assert response.status_code == 400 and "Code de département invalide" in page(response)
    assert client.get("/api/v1/observatory/clause-uptake", {"by": "buyer"}).status_code == 422
    assert client.get("/api/v1/observatory/clause-uptake", {"cpv": "abc"}).status_code == 422


def test_the_other_observatory_pages_link_here(client, dataset):
    html = page(client.get(reverse("observatory:sectors")))
    assert f'href="{PAYMENTS}"' in html and f'href="{CLAUSES}"' in html and 'href="/mediation/statistiques/"' in html


def test_clauses_page_shows_insertion_hours_and_egalim_when_declared(client, dataset):
    from tremplin.clauses import rules as clause_rules
    from tremplin.clauses.models import Clause, ClauseType, EgalimPurchase, HoursDeclaration

    html = page(client.get(CLAUSES))
    assert "Heures d'insertion" not in html  # nothing declared: no empty block
    insertion = ClauseType.objects.get(code=ClauseType.INSERTION)
    clause = Clause.objects.create(clause_type=insertion, contract=dataset.c1, hours_due=400)
    HoursDeclaration.objects.create(
        clause=clause, period_start=D(2023, 6, 1), period_end=D(2023, 12, 31), hours=150, organisation=dataset.alpha
    )
    for category, family, amount in (
        (clause_rules.ORGANIC, clause_rules.OTHER_FOOD, "30000"),
        (clause_rules.NON_QUALIFYING, clause_rules.OTHER_FOOD, "70000"),
    ):
        EgalimPurchase.objects.create(
            buyer=dataset.lyon, year=2025, category=category, family=family, amount_excl_vat=Decimal(amount)
        )
    html = page(client.get(CLAUSES))
    assert "Heures d'insertion réalisées" in html
    assert "150\u202fh" in html and "sur 400\u202fh dues (37,5\u202f%)" in html
    assert "EGalim 2025" in html and "30,0\u202f%" in html and "1 acheteur déclarant" in html
    assert "Heures d'insertion réalisées" not in page(client.get(CLAUSES, {"department": "75"}))
