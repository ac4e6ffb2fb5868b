"""Staff can read and correct supplier profiles in the admin."""

import pytest
from django.urls import reverse

from tests.suppliers.helpers import make_profile

pytestmark = pytest.mark.django_db


def test_admin_pages(client, world):
    profile = make_profile(
        world.member, world.company, activities=[("45210000", None, ["PREST"])], perimeter={"departments": ["69"]}
    )
    world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    assert (
        "Menuiserie Solidaire du Rhône"
        in client.get(reverse("admin:suppliers_supplierprofile_changelist")).content.decode()
    )
    html = client.get(reverse("admin:suppliers_supplierprofile_change", args=[profile.pk])).content.decode()
    assert "45210000" in html
