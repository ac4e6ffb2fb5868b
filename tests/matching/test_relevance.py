"""Relevance on the shapes of real data (issue 4 §4, bench/matching_precision.py): notices abroad, notices without a
place or without CPV codes, division-only matches, the demo's boilerplate descriptions — and the index following a
lot edited in place."""

import pytest

from tests.matching.helpers import supplier, win
from tests.notices.factories import NoticeFactory
from tests.opportunities.factories import ForecastFactory, LotFactory
from tremplin.matching import rules, services
from tremplin.matching.types import NOTICE, OpportunityQuery
from tremplin.opportunities.models import Lot

pytestmark = pytest.mark.django_db

ABROAD = dict(place_department="", place_region="", place_postcode="")


@pytest.fixture
def builder(small_referentials):
    """A works company in Lyon whose perimeter is the Rhône (CPV 45210000)."""
    return supplier("Bâtir Lyon")


def found(profile, **search) -> dict:
    return {m.title: m for m in services.search_opportunities(services.query_for_profile(profile), **search)}


@pytest.mark.parametrize(
    ("place", "buyer", "national"),
    [("DE", "DE", False), ("", "BE", False), ("NL", "FR", True)],  # "national" is France
)
def test_notices_abroad_are_outside_every_french_perimeter(builder, place, buyer, national):
    organisation, _member, profile = builder
    if national:
        profile.perimeters.all().delete()
        profile.perimeters.create(kind="national")
    NoticeFactory(title="Bauarbeiten Schule", cpv="45210000", place_country=place, buyer_country=buyer, **ABROAD)
    NoticeFactory(title="Construction d'une école", cpv="45210000")
    assert list(found(profile)) == ["Construction d'une école"]
    # A search without any geography (no perimeter, no place) does not exclude them.
    anywhere = services.search_opportunities(OpportunityQuery(cpv=("45210000",)))
    assert {m.title for m in anywhere} == {"Bauarbeiten Schule", "Construction d'une école"}
    abroad = next(m for m in anywhere if m.title == "Bauarbeiten Schule")
    assert abroad.extra["place"] == f"hors de France ({place or buyer})"


@pytest.mark.parametrize(
    ("notice", "shown", "place"),
    [
        (dict(buyer_postcode="69003"), True, "Rhône (69)"),  # no place: the buyer's postcode
        (dict(buyer_postcode="13001"), False, ""),
        (dict(place_region="84"), True, "Auvergne-Rhône-Alpes"),  # a region holding the Rhône
        (dict(place_nuts="FR10"), False, ""),  # Île-de-France, from its NUTS code
        (dict(place_nuts="FR", buyer_postcode="13001"), True, "toute la France"),  # nationwide: not the buyer's
        (dict(place_postcode="13001"), False, ""),  # the postcode of the place says Marseille
    ],
)
def test_where_a_notice_without_department_is(builder, notice, shown, place):
    _organisation, _member, profile = builder
    NoticeFactory(title="Construction d'une école", cpv="45210000", **{**ABROAD, **notice})
    results = found(profile)
    assert bool(results) is shown
    if shown:
        assert results["Construction d'une école"].extra["place"] == place


def test_a_division_in_common_is_not_a_recommendation(small_referentials):
    _organisation, _member, profile = supplier("Cars du Rhône", activities=(("60112000", "", ["PREST"]),))
    NoticeFactory(title="Navettes maritimes", cpv="60000000")  # the same division (60), another trade
    NoticeFactory(title="Lignes régulières d'autocar", cpv="60112000")
    assert list(found(profile)) == ["Lignes régulières d'autocar"]
    weak = services.search_opportunities(OpportunityQuery(cpv=("60112000",), departments=("69",)), limit=10)
    assert [m.title for m in weak] == ["Lignes régulières d'autocar"]
    assert all(m.score >= rules.MIN_SCORE for m in weak)


def test_a_broad_code_covers_its_descendants(small_referentials):
    """A saved search on the whole division (45000000) wants every works notice: the same as the same code."""
    NoticeFactory(title="Construction d'un gymnase", cpv="45214200")
    [match] = services.search_opportunities(OpportunityQuery(cpv=("45000000",)))
    assert match.score == 100.0
    assert match.reasons[0] == "CPV 45214200 : compris dans le code 45000000 de vos activités"


def test_the_track_record_counts_per_cpv_group(builder):
    organisation, _member, profile = builder
    for _ in range(3):
        win(organisation, cpv="45214200")  # group 452
    NoticeFactory(title="Construction d'une école", cpv="45210000")
    NoticeFactory(title="Installation électrique", cpv="45310000", description="construction de bâtiments")
    results = found(profile)
    assert "3 marchés remportés dans ce secteur" in results["Construction d'une école"].reasons
    assert not any("remporté" in r for r in results["Installation électrique"].reasons)  # group 453


def test_the_demo_boilerplate_is_not_a_query_and_cpv_labels_are(small_referentials):
    _organisation, _member, profile = supplier("Sols Souples")
    profile.activities.update(description="D'après 14 marchés remportés.")  # as suppliers.demo writes it
    query = services.query_for_profile(profile)
    assert "après" not in query.text and "Travaux de construction de bâtiments" in query.text
    NoticeFactory(title="Délégation de service public d'eau", cpv="", description="après examen des offres")
    NoticeFactory(title="Construction de bâtiments scolaires", cpv="", description="")  # no CPV: words only
    results = found(profile)
    assert list(results) == ["Construction de bâtiments scolaires"]
    assert results["Construction de bâtiments scolaires"].reasons[0] == "mots en commun : construction, batiments"


def test_one_word_out_of_many_is_not_a_full_text_match(small_referentials):
    NoticeFactory(title="Maintenance des ascenseurs", cpv="", place_department="")
    [match] = services.search_opportunities(OpportunityQuery(text="ascenseurs"))
    assert match.score == 100.0
    [partial] = services.search_opportunities(OpportunityQuery(text="ascenseurs escaliers mécaniques portes"))
    assert partial.score == pytest.approx(100 / 3, abs=0.1)


def test_a_lot_edited_in_place_rebuilds_the_index(builder):
    _organisation, _member, profile = builder
    forecast = ForecastFactory(cpv_id="60100000", title="Transports scolaires")
    lot = LotFactory(forecast=forecast, title="Circuit nord", cpv_id="60100000")
    assert f"lot:{lot.pk}" not in {m.id for m in services.search_opportunities(services.query_for_profile(profile))}
    Lot.objects.filter(pk=lot.pk).update(cpv_id="45210000")  # no save(), no forecast touched
    assert f"lot:{lot.pk}" in {m.id for m in services.search_opportunities(services.query_for_profile(profile))}
    before = services.opportunity_index.builds
    Lot.objects.filter(pk=lot.pk).update(reservation="L2113-13")
    services.search_opportunities(services.query_for_profile(profile))
    assert services.opportunity_index.builds == before + 1
    ids = {m.id for m in services.search_opportunities(services.query_for_profile(profile))}
    assert f"lot:{lot.pk}" not in ids  # now reserved to SIAE: this company may not answer it


def test_equal_scores_are_ordered_by_kind_then_pk(small_referentials):
    notices = [NoticeFactory(title="Construction", cpv="45210000", estimated_value=None) for _ in range(3)]
    forecast = ForecastFactory(cpv_id="45210000", title="Construction", estimated_amount=None)
    query = OpportunityQuery(cpv=("45210000",))
    matches = services.search_opportunities(query)
    assert len({m.score for m in matches}) == 1
    assert [m.id for m in matches] == [f"forecast:{forecast.pk}", *(f"{NOTICE}:{n.pk}" for n in notices)]
