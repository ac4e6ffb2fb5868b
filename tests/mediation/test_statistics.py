"""Anonymised statistics: counts by category, region and outcome, median duration; no names, no SIRETs, and no
count under 3 (nor one that could be recomputed from the total)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.mediation.models import Case
from tremplin.mediation.statistics import StatisticsFilters, mediation_statistics

pytestmark = pytest.mark.django_db


def make_case(world, category="payment_delay", status="filed", region=None, days=None, filed_days_ago=30):
    filed_at = timezone.now() - timedelta(days=filed_days_ago)
    case = Case.objects.create(
        company=world.company,
        buyer=world.buyer,
        filed_by_side="company",
        category=category,
        description="Exposé confidentiel du différend numéro un.",
        region=region if region is not None else world.region,
        status=status,
    )
    closed_at = filed_at + timedelta(days=days) if days is not None else None
    Case.objects.filter(pk=case.pk).update(filed_at=filed_at, closed_at=closed_at)
    return case


@pytest.fixture
def cases(world, small_referentials):
    idf = small_referentials.regions["11"]
    for days in (10, 20, 30, 40):
        make_case(world, "payment_delay", "agreement", days=days)
    make_case(world, "payment_delay", "failure", days=90)
    make_case(world, "payment_delay", "in_mediation")
    for _ in range(3):
        make_case(world, "penalties", "filed", region=idf)
    make_case(world, "termination", "withdrawn", days=5)  # a single case: hidden, and a second cell with it


def by_key(cells):
    return {cell.key: cell.count for cell in cells}


def test_counts_by_category_region_and_outcome_with_small_cells_hidden(cases):
    stats = mediation_statistics()
    assert stats.total == 10 and stats.closed == 6
    assert by_key(stats.by_category) == {
        "payment_delay": 6,
        "price_revision": None,
        "penalties": None,  # 3, hidden with the single "termination" case (else 10 − 6 − 3 = 1 would show it)
        "modification": None,
        "termination": None,
        "other": None,
    }
    assert by_key(stats.by_region)["84"] == 7 and by_key(stats.by_region)["11"] == 3
    assert by_key(stats.by_region)["93"] is None  # none there, but not told apart from 1 or 2
    assert set(by_key(stats.by_region)) == {"04", "11", "84", "93", "987", "unknown"}  # every region is listed
    assert by_key(stats.by_outcome) == {"open": 4, "agreement": 4, "failure": None, "declined": None, "withdrawn": None}
    assert stats.median_duration_days == 25.0  # 5, 10, 20, 30, 40, 90


def test_filters_narrow_the_counts_and_small_totals_hide_everything(world, cases):
    stats = mediation_statistics({"category": "payment_delay"})
    assert stats.total == 6 and by_key(stats.by_outcome)["agreement"] == 4
    assert stats.median_duration_days == 30.0  # 10, 20, 30, 40, 90
    stats = mediation_statistics(StatisticsFilters(region="11"))
    assert stats.total == 3 and [cell.key for cell in stats.by_region] == ["11"]
    assert stats.median_duration_days is None and stats.closed is None
    stats = mediation_statistics({"category": "termination"})
    assert stats.total is None
    assert all(cell.count is None for cell in stats.by_category + stats.by_region + stats.by_outcome)
    assert mediation_statistics({"year": 1999}).total is None


def test_the_api_is_public_and_carries_no_names_or_sirets(client, world, cases):
    response = client.get("/api/v1/mediation/statistics")
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 10 and data["min_cell_size"] == 3 and data["median_duration_days"] == 25.0
    cell = next(c for c in data["by_category"] if c["key"] == "termination")
    assert cell == {"key": "termination", "label": "Résiliation", "count": None, "suppressed": True}
    text = response.content.decode()
    for secret in (world.company.name, world.company.siret, world.buyer.name, world.buyer.siret, "confidentiel"):
        assert secret not in text
    data = client.get("/api/v1/mediation/statistics", {"region": "84", "category": "payment_delay"}).json()
    assert data["filters"] == {"year": None, "region": "84", "category": "payment_delay"} and data["total"] == 6
    assert client.get("/api/v1/mediation/statistics", {"category": "vengeance"}).status_code == 422
    assert client.get("/api/v1/mediation/statistics", {"year": "deux-mille"}).status_code == 422


def test_the_public_page(client, world, cases):
    html = client.get(reverse("mediation:statistics")).content.decode()
    assert "<h1>Statistiques de la médiation</h1>" in html
    assert "<strong>10</strong> demandes" in html and "<strong>25 j</strong>" in html
    assert 'Retard de paiement</th><td class="med-num">6</td>' in html
    assert 'Résiliation</th><td class="med-num"><span class="muted">masqué</span>' in html
    assert 'Auvergne-Rhône-Alpes</th><td class="med-num">7</td>' in html
    regions = html.split('aria-labelledby="par-region"')[1].split("</section>")[0]
    assert 'Île-de-France</th><td class="med-num">3</td>' in regions
    assert "La Réunion" not in regions and "Autres régions" in regions
    for secret in (world.company.name, world.company.siret, world.buyer.name, "confidentiel"):
        assert secret not in html
    html = client.get(reverse("mediation:statistics"), {"category": "termination"}).content.decode()
    assert "<strong>moins de 3</strong> demande" in html
    html = client.get(reverse("mediation:statistics"), {"year": "1850", "region": "zz"}).content.decode()
    assert "Sélectionnez un choix valide" in html  # a bad filter is a form error, never a 500
