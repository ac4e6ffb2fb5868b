"""The queryset forms of the rules: open calls (computed at query time, agreeing with rules.is_open) and CPV
prefixes (main, additional and lot codes)."""

import datetime

import pytest
from django.utils import timezone

from tremplin.notices.models import Notice

from .factories import NoticeFactory

pytestmark = pytest.mark.django_db


def test_open_agrees_with_the_rule_and_is_computed_when_asked():
    now = timezone.now()
    today = timezone.localdate(now)
    hour = datetime.timedelta(hours=1)
    open_soon = NoticeFactory(deadline_at=now + hour)
    NoticeFactory(deadline_at=now - hour, deadline_date=today - datetime.timedelta(days=1))
    date_only = NoticeFactory(deadline_at=None, deadline_date=today + datetime.timedelta(days=1), deadline_tz="")
    NoticeFactory(deadline_at=None, deadline_date=None)
    NoticeFactory(kind="award", deadline_at=now + hour)
    cancelled = NoticeFactory(deadline_at=now + 24 * hour)
    NoticeFactory(kind="cancellation", related=cancelled, deadline_at=None, deadline_date=None)
    corrected = NoticeFactory(deadline_at=now + 24 * hour)
    NoticeFactory(kind="correction", related=corrected, deadline_at=None, deadline_date=None)

    assert set(Notice.objects.open(now)) == {open_soon, date_only, corrected}
    for notice in Notice.objects.with_cancelled():
        assert notice.is_open_at(now) == Notice.objects.open(now).filter(pk=notice.pk).exists(), notice
    # Later, the same rows: computed again, nothing stored.
    assert set(Notice.objects.open(now + 2 * hour)) == {date_only, corrected}
    assert not Notice.objects.open(now + 3 * 24 * hour).exists()


def test_cpv_prefixes_match_main_additional_and_several_prefixes():
    school = NoticeFactory(cpv="45214200", cpv_codes=["71000000"])
    power = NoticeFactory(cpv="09310000")
    NoticeFactory(cpv="")

    def matching(*prefixes):
        return set(Notice.objects.with_cpv_prefixes(prefixes))

    assert matching("45") == {school}
    assert matching("4521") == matching("452142") == {school}
    assert matching("4522") == set()
    assert matching("71") == {school}  # an additional code
    assert matching("09", "45") == {school, power}
    assert matching("0931") == {power}
    assert matching() == set(Notice.objects.all())
