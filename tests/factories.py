"""factory_boy factories shared by the whole suite."""

import factory
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.organisations.models import Membership, MembershipStatus, Organisation, Role
from tremplin.organisations.rules import luhn_valid

DEFAULT_PASSWORD = "mot-de-passe-solide-42"


def make_siret(n: int) -> str:
    """A valid SIRET derived from n: a Luhn-valid SIREN, then a NIC chosen so the 14 digits pass Luhn."""
    base = f"{(n * 7919) % 10**8:08d}"
    siren = next(base + str(d) for d in range(10) if luhn_valid(base + str(d)))
    nic_base = f"{n % 10**4:04d}"
    return next(siren + nic_base + str(d) for d in range(10) if luhn_valid(siren + nic_base + str(d)))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    full_name = factory.Faker("name", locale="fr_FR")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("siret",)

    siret = factory.Sequence(lambda n: make_siret(n + 1))
    name = factory.Faker("company", locale="fr_FR")
    is_supplier = True


class BuyerFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Commune de Test {n}")
    is_supplier = False
    is_buyer = True
    buyer_type = "commune"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COMPANY_MEMBER
    status = MembershipStatus.ACTIVE
