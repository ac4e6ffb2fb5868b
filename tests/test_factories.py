import pytest

from tests.factories import MembershipFactory, make_siret
from tremplin.organisations.rules import is_valid_siret


@pytest.mark.parametrize("n", [1, 2, 17, 999, 123456])
def test_make_siret_gives_valid_distinct_sirets(n):
    assert is_valid_siret(make_siret(n))
    assert make_siret(n) != make_siret(n + 1)


@pytest.mark.django_db
def test_membership_factory_builds_an_active_member_who_can_log_in(client):
    membership = MembershipFactory()
    assert membership.organisation.siren == membership.organisation.siret[:9]
    assert client.login(username=membership.user.email, password="mot-de-passe-solide-42")
