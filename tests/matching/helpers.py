"""Building suppliers and needs quickly in the matching tests."""

from tests.factories import MembershipFactory, OrganisationFactory
from tests.suppliers.helpers import make_profile, win
from tremplin.referentials.models import Commune

LYON = (45.7676, 4.8357)

__all__ = ["make_profile", "win", "supplier"]


def supplier(name, commune="69123", activities=(("45210000", "", ["PREST"]),), perimeter=None, **details):
    """An organisation with an active company member and a profile (Lyon gets its town hall's coordinates)."""
    Commune.objects.filter(code="69123", latitude__isnull=True).update(latitude=LYON[0], longitude=LYON[1])
    organisation = OrganisationFactory(name=name, commune=Commune.objects.get(code=commune))
    member = MembershipFactory(organisation=organisation).user
    profile = make_profile(member, organisation, activities, perimeter or {"departments": ["69"]}, **details)
    return organisation, member, profile
