"""The use cases: notifications from other apps, first views, answers with lots, and their history."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory
from tremplin.interests import services
from tremplin.interests.models import Interest, InterestEvent
from tremplin.interests.services import Invalid, NotAllowed

pytestmark = pytest.mark.django_db

WHEN = timezone.make_aware(datetime.datetime(2026, 5, 4, 9, 30))


def test_mark_notified_records_the_first_notification_only(world):
    row = services.mark_notified(world.company, f"forecast:{world.forecast.pk}", WHEN)
    later = services.mark_notified(world.company, f"forecast:{world.forecast.pk}", WHEN + datetime.timedelta(days=2))
    assert row.pk == later.pk
    row.refresh_from_db()
    assert row.notified_at == WHEN
    assert list(row.events.values_list("action", flat=True)) == ["notified", "notified"]


def test_mark_notified_maps_a_lot_to_its_forecast(world):
    row = services.mark_notified(world.company, f"lot:{world.lots[1].pk}", WHEN)
    assert (row.forecast, row.notice) == (world.forecast, None)
    assert row.events.get().lots == [2]


def test_mark_notified_on_a_notice(world):
    row = services.mark_notified(world.company, f"notice:{world.notice.pk}", WHEN)
    assert (row.forecast, row.notice, row.notified_at) == (None, world.notice, WHEN)


@pytest.mark.parametrize("opportunity", ["forecast:999999", "lot:999999", "notice:999999", "n'importe quoi"])
def test_mark_notified_ignores_unknown_opportunities(world, opportunity):
    assert services.mark_notified(world.company, opportunity, WHEN) is None
    assert not Interest.objects.exists()


def test_mark_notified_ignores_drafts_and_non_suppliers(world):
    assert services.mark_notified(world.company, f"forecast:{world.draft.pk}", WHEN) is None
    assert services.mark_notified(world.other_buyer, f"forecast:{world.forecast.pk}", WHEN) is None
    assert not Interest.objects.exists()


def test_a_member_view_is_recorded_once_for_each_of_their_companies(world):
    services.record_view(world.two_hats, world.forecast)
    first = dict(Interest.objects.values_list("organisation__name", "viewed_at"))
    assert set(first) == {"Menuiserie Solidaire", "Atelier du Rhône"}
    services.record_view(world.two_hats, world.forecast)
    assert dict(Interest.objects.values_list("organisation__name", "viewed_at")) == first
    assert InterestEvent.objects.filter(action="viewed").count() == 2


def test_views_by_others_are_not_recorded(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), world.agent, world.other_agent, world.company_pending, world.staff):
        services.record_view(user, world.forecast)
    services.record_view(world.agent, world.draft)
    services.record_view(world.member, world.draft)
    assert not Interest.objects.exists()


def test_declaring_an_interest_with_lots_then_changing_ones_mind(world):
    opportunity = services.for_forecast(world.forecast)
    row = services.answer(world.member, world.company, opportunity, "interested", lot_ids=[str(world.lots[1].pk)])
    assert row.state == "interested" and row.followed_at is not None
    assert list(row.lots.all()) == [world.lots[1]]
    row = services.answer(world.member, world.company, opportunity, "not_interested", "other", "Calendrier trop serré")
    assert (row.state, row.reason, row.reason_details, row.interested_at) == (
        "not_interested",
        "other",
        "Calendrier trop serré",
        None,
    )
    assert not row.lots.exists()
    events = list(row.events.values_list("action", "lots", "reason", "by"))
    assert events == [
        ("interested", [2], "", world.member.pk),
        ("not_interested", [], "other", world.member.pk),
    ]


def test_a_lot_opportunity_preselects_its_lot(world):
    opportunity = services.resolve(f"lot:{world.lots[0].pk}")
    row = services.answer(world.member, world.company, opportunity, "interested")
    assert list(row.lots.all()) == [world.lots[0]]


def test_lots_of_another_forecast_are_refused(world):
    from tests.opportunities.factories import LotFactory

    stranger = LotFactory()
    with pytest.raises(Invalid) as error:
        services.answer(
            world.member, world.company, services.for_forecast(world.forecast), "interested", lot_ids=[stranger.pk]
        )
    assert "Lot(s) inconnu(s)" in error.value.errors["lots"]
    assert not Interest.objects.exists()


def test_lots_on_a_notice_are_refused(world):
    with pytest.raises(Invalid, match="sur une prévision"):
        services.answer(world.member, world.company, services.for_notice(world.notice), "interested", lot_ids=[1])


@pytest.mark.parametrize("who", ["agent", "company_pending", "other_member", "staff", "buyer_colleague"])
def test_only_company_members_answer_for_their_company(world, who):
    with pytest.raises(NotAllowed):
        services.answer(getattr(world, who), world.company, services.for_forecast(world.forecast), "follow")
    assert not Interest.objects.exists()


def test_a_buyer_that_is_also_a_supplier_does_not_answer_its_own_forecast(world):
    from tests.factories import MembershipFactory

    world.buyer.is_supplier = True
    world.buyer.save()
    me = MembershipFactory(organisation=world.buyer).user
    with pytest.raises(Invalid, match="propres prévisions"):
        services.answer(me, world.buyer, services.for_forecast(world.forecast), "interested")


def test_drafts_and_unknown_opportunities_do_not_resolve(world):
    for value in (f"forecast:{world.draft.pk}", "forecast:0", "notice:0", "lot:0"):
        with pytest.raises(services.UnknownOpportunity):
            services.resolve(value)
    with pytest.raises(Invalid):
        services.resolve("forecast:douze")


def test_other_organisations_rows_are_separate(world):
    company2 = OrganisationFactory()
    services.mark_notified(world.company, f"forecast:{world.forecast.pk}", WHEN)
    services.mark_notified(company2, f"forecast:{world.forecast.pk}", WHEN)
    assert Interest.objects.filter(forecast=world.forecast).count() == 2
