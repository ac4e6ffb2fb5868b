"""Building profiles quickly in tests (through the use cases, as members would)."""

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tremplin.suppliers import services


def make_profile(user, organisation, activities=(), perimeter=None, **details):
    """activities: (cpv, naf, service types) tuples; perimeter: a ProfileInput-like dict (national, regions,
    departments, radius_km); details: headcount_band, turnover, turnover_year, inclusive_status…"""
    data = services.ProfileInput(
        activities=[
            services.ActivityInput(cpv=cpv or "", naf=naf or "", service_types=list(types))
            for cpv, naf, types in activities
        ],
        **(perimeter or {}),
        **details,
    )
    return services.replace_profile(user, organisation, data)


def win(organisation, **contract):
    holder = ContractHolderFactory(contract=ContractFactory(**contract), organisation=organisation)
    return holder.contract
