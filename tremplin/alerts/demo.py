"""Demo saved searches for a supplier's member (called by the demo builder). Idempotent: a search is found again by
its owner and name. Codes missing from the loaded referentials are left out rather than failing."""

from tremplin import policy
from tremplin.alerts import rules
from tremplin.alerts.models import SavedSearch
from tremplin.matching.types import FORECAST, LOT, NOTICE
from tremplin.referentials.models import CpvCode, Department, Region

DEMO_SEARCHES = [
    {
        "name": "Travaux de bâtiment dans le Rhône",
        "text": "",
        "cpv": ["45000000"],
        "departments": ["69"],
        "regions": [],
        "kinds": [FORECAST, LOT, NOTICE],
        "frequency": rules.DAILY,
    },
    {
        "name": "Menuiserie et rénovation en Auvergne-Rhône-Alpes",
        "text": "menuiserie rénovation",
        "cpv": [],
        "departments": [],
        "regions": ["84"],
        "kinds": [FORECAST, LOT],
        "max_amount": 500000,
        "frequency": rules.WEEKLY,
    },
]


def create_demo_searches(user, organisation=None) -> list[SavedSearch]:
    if organisation is not None and not policy.can_save_search_for(user, organisation):
        organisation = None
    searches = []
    for spec in DEMO_SEARCHES:
        cpv = list(CpvCode.objects.filter(code__in=spec["cpv"]).values_list("code", flat=True))
        departments = list(Department.objects.filter(code__in=spec["departments"]).values_list("code", flat=True))
        regions = list(Region.objects.filter(code__in=spec["regions"]).values_list("code", flat=True))
        search, _ = SavedSearch.objects.update_or_create(
            user=user,
            name=spec["name"],
            defaults={
                "organisation": organisation,
                "text": spec["text"],
                "cpv": cpv,
                "departments": departments,
                "regions": regions,
                "kinds": spec["kinds"],
                "min_amount": spec.get("min_amount"),
                "max_amount": spec.get("max_amount"),
                "frequency": spec["frequency"],
                "is_active": True,
            },
        )
        searches.append(search)
    return searches
