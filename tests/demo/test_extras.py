from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from tremplin.demo.extras import build_extras
from tremplin.mediation.models import Case
from tremplin.notices.models import Notice
from tremplin.opportunities.models import Fair, Forecast


@pytest.mark.django_db
def test_demo_extras_build_forecasts_cases_and_notices_once():
    call_command("load_referentials", stdout=StringIO())
    call_command("demo", "--skip-contracts", "--force", stdout=StringIO())
    lines = build_extras(settings.TREMPLIN_DATA_DIR)

    assert Forecast.objects.filter(status="published").count() >= 3
    assert Forecast.objects.filter(status="draft").count() >= 1
    assert Fair.objects.count() == 1
    assert Case.objects.count() == 2
    assert Notice.objects.count() > 200
    assert any("Dossiers de médiation : 2 créés" in line for line in lines)

    counts = (Forecast.objects.count(), Fair.objects.count(), Case.objects.count(), Notice.objects.count())
    again = build_extras(settings.TREMPLIN_DATA_DIR)
    assert (Forecast.objects.count(), Fair.objects.count(), Case.objects.count(), Notice.objects.count()) == counts
    assert any("Dossiers de médiation : 0 créés" in line for line in again)


@pytest.mark.django_db
def test_without_the_cpv_referential_the_demo_says_why_it_creates_no_forecast():
    call_command("demo", "--skip-contracts", "--force", stdout=StringIO())
    lines = build_extras(settings.TREMPLIN_DATA_DIR)
    assert Forecast.objects.count() == 0
    assert any("tremplin load_referentials" in line for line in lines)
