"""The engine through its public functions, on a small database: what is found, in what order, why, and what
never appears (drafts, closed notices, reserved lots for ineligible suppliers)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.matching.helpers import supplier, win
from tests.notices.factories import NoticeFactory
from tests.opportunities.factories import ForecastFactory, LotFactory
from tremplin.matching import services
from tremplin.matching.types import FORECAST, LOT, NOTICE, OpportunityQuery, SupplierQuery
from tremplin.opportunities import rules as forecast_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(small_referentials):
    return supplier("Bâtir Lyon", turnover=1_000_000, turnover_year=2025)


def test_a_profile_becomes_a_query(company):
    organisation, _member, profile = company
    win(organisation, cpv="45214200")
    win(organisation, cpv="45000000")
    query = services.query_for_profile(profile)
    assert query.cpv == ("45210000",)
    assert query.departments == ("69",) and not query.national
    assert query.origin == pytest.approx((45.7676, 4.8357))
    assert query.turnover == 1_000_000
    assert query.track_record == (("450", 1), ("452", 1))  # per CPV group


def test_without_its_commune_a_supplier_is_at_no_claimed_distance(company):
    # Two department centres are no distance: "à moins de 1 km de votre établissement" was shown for a company
    # whose commune is unknown and a forecast placed only by department. A radius still needs a centre.
    organisation, _member, profile = company
    organisation.commune = None
    organisation.department_id = "69"
    organisation.save()
    assert services.query_for_profile(profile).origin is None
    profile.perimeters.all().delete()
    profile.perimeters.create(kind="radius", radius_km=30)
    assert services.query_for_profile(profile).origin is not None
    forecast = ForecastFactory(title="Rénovation de l'école Jean Macé", cpv_id="45210000", departments=["69"])
    profile.perimeters.all().delete()
    profile.perimeters.create(kind="department", department_id="69")
    match = next(m for m in services.search_opportunities(services.query_for_profile(profile)) if m.pk == forecast.pk)
    assert not any("km" in reason for reason in match.reasons)
    assert any("zone d'intervention" in reason for reason in match.reasons)


def test_a_supplier_sees_open_opportunities_with_reasons_and_never_drafts(company):
    _organisation, _member, profile = company
    forecast = ForecastFactory(title="Rénovation de l'école Jean Macé", cpv_id="45210000")
    forecast.communes.set(["69123"])  # a commune: a real distance (a department alone gives none)
    draft = ForecastFactory(title="Brouillon secret", status=forecast_rules.DRAFT, cpv_id="45210000")
    notice = NoticeFactory(title="Construction d'un gymnase", cpv="45214200")
    closed = NoticeFactory(title="Avis clos", cpv="45210000", deadline_at=timezone.now() - datetime.timedelta(days=1))
    award = NoticeFactory(title="Attribution", cpv="45210000", kind="award")
    elsewhere = NoticeFactory(title="Travaux à Marseille", cpv="45210000", place_department="13", place_region="93")
    unrelated = NoticeFactory(title="Transport scolaire", cpv="60100000")
    matches = services.search_opportunities(services.query_for_profile(profile))
    ids = [m.id for m in matches]
    assert f"forecast:{forecast.pk}" in ids and f"notice:{notice.pk}" in ids
    for hidden in (draft, closed, award, elsewhere, unrelated):
        assert not any(m.pk == hidden.pk and m.title == hidden.title for m in matches)
    by_id = {m.id: m for m in matches}
    covered = by_id[f"notice:{notice.pk}"]  # the profile's 45210000 covers 45214200; its CPV label shares a word
    assert covered.reasons[:2] == ("CPV 45214200 : compris dans le code 45210000 de vos activités",
                                   "mots en commun : construction")  # fmt: skip
    best = by_id[f"forecast:{forecast.pk}"]
    assert "CPV 45210000 dans vos activités" in best.reasons
    assert any(r.startswith("à ") and r.endswith("km de votre établissement") for r in best.reasons)
    assert "montant adapté à votre chiffre d'affaires" in best.reasons
    assert 0 <= best.score <= 100
    assert best.url == forecast.get_absolute_url() and best.buyer_name == forecast.buyer.name


def test_scores_are_ordered_and_stable(company):
    _organisation, _member, profile = company
    for n in range(6):
        NoticeFactory(title=f"Rénovation {n}", cpv="45210000")
    query = services.query_for_profile(profile)
    first = services.search_opportunities(query)
    assert [m.id for m in first] == [m.id for m in services.search_opportunities(query)]
    assert [m.score for m in first] == sorted((m.score for m in first), reverse=True)
    page = services.search_opportunities(query, limit=2, offset=2)
    assert [m.id for m in page] == [m.id for m in first[2:4]]


def test_lots_are_matched_and_reserved_lots_exclude_ineligible_suppliers(small_referentials):
    _org, _member, classic = supplier("Classique SARL", activities=(("45214200", "", ["PREST"]),))
    _org, _member, siae = supplier(
        "Insertion Bâtiment", activities=(("45214200", "", ["PREST"]),), inclusive_status="EI"
    )
    forecast = ForecastFactory(cpv_id="45210000")
    reserved = LotFactory(forecast=forecast, title="Peinture", cpv_id="45214200", reservation="L2113-13")
    open_lot = LotFactory(forecast=forecast, title="Gros œuvre", cpv_id="45214200")
    for_classic = {m.id for m in services.search_opportunities(services.query_for_profile(classic))}
    assert f"lot:{open_lot.pk}" in for_classic and f"lot:{reserved.pk}" not in for_classic
    for_siae = services.search_opportunities(services.query_for_profile(siae))
    lot = next(m for m in for_siae if m.id == f"lot:{reserved.pk}")
    assert "lot réservé aux SIAE — vous êtes éligible" in lot.reasons
    assert lot.kind == LOT and lot.url == forecast.get_absolute_url()


def test_economic_dependency_is_a_caution(company):
    _organisation, _member, profile = company
    NoticeFactory(title="Gros chantier", cpv="45210000", estimated_value=Decimal("450000"))
    match = services.search_opportunities(services.query_for_profile(profile))[0]
    assert match.reasons[-1] == "montant égal à 45 % de votre chiffre d'affaires : risque de dépendance économique"


def test_text_is_french_aware(small_referentials):
    NoticeFactory(title="Remplacement des menuiseries extérieures", cpv="")
    NoticeFactory(title="Maintenance électricité", cpv="")
    matches = services.search_opportunities(OpportunityQuery(text="menuiserie"))
    assert [m.title for m in matches] == ["Remplacement des menuiseries extérieures"]
    assert matches[0].reasons == ("mots en commun : menuiserie",)
    assert [m.title for m in services.search_opportunities(OpportunityQuery(text="electricite"))] == [
        "Maintenance électricité"
    ]


def test_kinds_published_since_and_now(small_referentials):
    ForecastFactory(cpv_id="45210000")
    notice = NoticeFactory(cpv="45210000")
    query = OpportunityQuery(cpv=("45210000",), kinds=(NOTICE,))
    assert [m.kind for m in services.search_opportunities(query)] == [NOTICE]
    later = timezone.now() + datetime.timedelta(days=30)
    assert services.search_opportunities(query, now=later) == []  # the deadline has passed by then
    assert services.search_opportunities(query, published_since=later) == []
    assert services.search_opportunities(OpportunityQuery(cpv=("45210000",), kinds=(FORECAST,)))[0].kind == FORECAST
    assert notice.pk


def test_the_index_follows_the_database(company):
    _organisation, _member, profile = company
    query = services.query_for_profile(profile)
    assert services.search_opportunities(query) == []
    forecast = ForecastFactory(cpv_id="45210000")
    assert [m.id for m in services.search_opportunities(query)] == [f"forecast:{forecast.pk}"]
    forecast.status = forecast_rules.ABANDONED
    forecast.save()
    assert services.search_opportunities(query) == []


def test_suppliers_for_a_need(small_referentials):
    from tremplin.referentials.models import Commune

    Commune.objects.filter(code="13055").update(latitude=43.2965, longitude=5.3698)  # a real point: a distance
    near, _m, _p = supplier("Près de Lyon", turnover=2_000_000, turnover_year=2025)
    win(near, cpv="45214200")
    far, _m, _p = supplier(
        "Loin", commune="13055", activities=(("45000000", "", ["PREST"]),), perimeter={"national": True}
    )
    supplier("Hors zone", commune="13055", perimeter={"departments": ["13"]})
    supplier("Transporteur", activities=(("60100000", "", ["PREST"]),))
    query = SupplierQuery(cpv=("45210000",), departments=("69",), commune="69123", amount=100_000)
    matches = services.search_suppliers(query)
    assert [m.name for m in matches] == ["Près de Lyon", "Loin"]
    best = matches[0]
    assert "CPV 45210000 dans ses activités" in best.reasons
    assert "1 marché remporté dans ce secteur" in best.reasons
    assert "montant adapté à son chiffre d'affaires" in best.reasons
    assert best.siret == near.siret and best.url.endswith(f"/{near.siret}/")
    assert matches[1].distance_km > 200


def test_supplier_filters_and_reservations(small_referentials):
    supplier("Classique")
    supplier("Atelier protégé", inclusive_status="ESAT")
    supplier("Insertion", inclusive_status="ACI")
    base = SupplierQuery(cpv=("45210000",), departments=("69",))
    names = lambda q: sorted(m.name for m in services.search_suppliers(q))  # noqa: E731
    assert names(base) == ["Atelier protégé", "Classique", "Insertion"]
    assert names(SupplierQuery(cpv=("45210000",), filters=("inclusive",))) == ["Atelier protégé", "Insertion"]
    assert names(SupplierQuery(cpv=("45210000",), filters=("siae",))) == ["Insertion"]
    reserved = services.search_suppliers(SupplierQuery(cpv=("45210000",), reservation="L2113-12"))
    assert [m.name for m in reserved] == ["Atelier protégé"]
    assert "lot réservé aux entreprises adaptées et ESAT — structure éligible" in reserved[0].reasons


def test_bad_supplier_queries_get_french_errors(small_referentials):
    with pytest.raises(services.MatchingError, match="Code CPV invalide"):
        services.check_supplier_query(SupplierQuery(cpv=("45x1",)))
    with pytest.raises(services.MatchingError, match="Département inconnu : 99"):
        services.check_supplier_query(SupplierQuery(departments=("99",)))
    with pytest.raises(services.MatchingError, match="Commune inconnue"):
        services.check_supplier_query(SupplierQuery(commune="00000"))
    assert services.check_supplier_query(SupplierQuery(cpv=("45210000-2",))).cpv == ("45210000",)


def test_forecast_and_notice_queries(small_referentials):
    forecast = ForecastFactory(cpv_id="45210000", estimated_amount=Decimal("90000"))
    lot = LotFactory(forecast=forecast, cpv_id="45214200", reservation="L2113-13")
    query = services.query_for_forecast(forecast)
    assert query.cpv == ("45210000",) and query.departments == ("69",) and query.amount == 90000
    lot_query = services.query_for_forecast(forecast, lot)
    assert lot_query.cpv == ("45214200",) and lot_query.reservation == "L2113-13" and lot_query.amount == 50000
    notice_query = services.query_for_notice(NoticeFactory(cpv="45214200"))
    assert notice_query.cpv == ("45214200",) and notice_query.departments == ("69",)


def test_the_loader_reads_again_only_the_notices_that_changed(small_referentials, monkeypatch):
    from tremplin.matching import loaders

    kept, changed, closing, *others = (NoticeFactory(title=f"Avis {n}", cpv="45210000") for n in range(6))
    loader = loaders.OpportunityLoader()
    first = {r.pk: r for r in loader() if r.kind == NOTICE}
    assert set(first) == {kept.pk, changed.pk, closing.pk, *(o.pk for o in others)}
    changed.title = "Menuiseries extérieures"
    changed.save()
    closing.deadline_at = timezone.now() - datetime.timedelta(hours=1)
    closing.save()
    added = NoticeFactory(title="Avis nouveau", cpv="45210000")
    read = []
    monkeypatch.setattr(
        loaders, "notice_records", lambda qs, geo, real=loaders.notice_records: read.append(1) or real(qs, geo)
    )
    second = {r.pk: r for r in loader() if r.kind == NOTICE}
    assert set(second) == {kept.pk, changed.pk, added.pk, *(o.pk for o in others)}  # the closed notice is gone
    assert second[kept.pk] is first[kept.pk]  # not read nor stemmed again
    assert second[changed.pk].title == "Menuiseries extérieures" and "menuiser" in second[changed.pk].stems
    assert len(read) == 1  # one chunk of changed notices, not the whole table
    loader.reset()
    assert {r.pk for r in loader() if r.kind == NOTICE} == set(second)
    assert loaders.load_opportunities()  # a one-off full read still works


def test_a_need_placed_by_its_department_claims_no_distance(company):
    # The need's place is the department's centre: "à moins de 1 km du lieu d'exécution" would be invented.
    organisation, _member, _profile = company
    matches = services.search_suppliers(SupplierQuery(cpv=("45210000",), departments=("69",)))
    match = next(m for m in matches if m.organisation_pk == organisation.pk)
    assert match.distance_km is None and not any(" km " in reason for reason in match.reasons)
    assert any("zone d'intervention" in reason for reason in match.reasons)
