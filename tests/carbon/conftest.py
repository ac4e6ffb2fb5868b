"""Carbon tests: emission factors with FAKE values (plausible orders of magnitude, never real data — every name
and reference says "FICTIF"), and the people and organisations around an estimate."""

import datetime
from dataclasses import dataclass

import pytest

from tests.factories import BuyerFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.opportunities.factories import ForecastFactory, LotFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.carbon.imports import parse_factors, save_batch
from tremplin.carbon.models import Estimate
from tremplin.organisations.models import MembershipStatus, Role

FAKE_FACTORS_CSV = (
    "type;nom;unite;valeur_kgco2e;valide_du;valide_au;source;reference_source;"
    "url_source;incertitude_pct;mode_transport\n"
    """production;FICTIF acier de construction;kg;2,0;01/01/2024;;Jeu d'essai FICTIF;FICTIF-ACIER;https://exemple.fr/fictif/acier;10;
production;FICTIF mobilier scolaire;unite;12,3456;01/01/2024;;Jeu d'essai FICTIF;FICTIF-MOBILIER;;;
production;FICTIF béton (par tonne);t;450;01/01/2024;;Jeu d'essai FICTIF;FICTIF-BETON;;20;
transport;FICTIF camion articulé 40 t;t.km;0,1;01/01/2024;31/12/2024;Jeu d'essai FICTIF;FICTIF-CAMION;;;routier
transport;FICTIF camion articulé 40 t;t.km;0,0961;01/01/2025;;Jeu d'essai FICTIF;FICTIF-CAMION;;;routier
energie;FICTIF électricité réseau;kWh;0,05;01/01/2024;;Jeu d'essai FICTIF;FICTIF-ELEC;;;
energie;FICTIF gazole;l;3;01/01/2024;;Jeu d'essai FICTIF;FICTIF-GAZOLE;;;
"""
)


def load_fake_factors(text: str = FAKE_FACTORS_CSV):
    batch = parse_factors(text)
    assert not batch.invalid and not batch.file_errors
    return save_batch(batch, "facteurs-fictifs.csv")


@pytest.fixture
def fake_factors(db):
    return load_fake_factors()


@dataclass
class World:
    buyer: object
    company: object
    forecast: object
    lot: object
    draft: object
    buyer_agent: object
    company_member: object
    facilitator: object
    pending_member: object
    other_company_member: object
    other_buyer_agent: object
    staff: object


@pytest.fixture
def world(small_referentials):  # noqa: F811
    buyer = BuyerFactory(name="Département du Rhône (test)", buyer_type="departement")
    company = OrganisationFactory(name="Mobilier Solidaire (test)")
    forecast = ForecastFactory(buyer=buyer, title="Mobilier des collèges")
    other_buyer = BuyerFactory(name="Commune de Bron (test)")
    return World(
        buyer=buyer,
        company=company,
        forecast=forecast,
        lot=LotFactory(forecast=forecast, number=2, title="Chaises et tables"),
        draft=ForecastFactory(buyer=other_buyer, status="draft", title="Brouillon confidentiel"),
        buyer_agent=MembershipFactory(organisation=buyer, role=Role.BUYER_AGENT).user,
        company_member=MembershipFactory(organisation=company, role=Role.COMPANY_MEMBER).user,
        facilitator=MembershipFactory(organisation=company, role=Role.FACILITATOR).user,
        pending_member=MembershipFactory(
            organisation=company, role=Role.COMPANY_MEMBER, status=MembershipStatus.PENDING
        ).user,
        other_company_member=MembershipFactory(role=Role.COMPANY_MEMBER).user,
        other_buyer_agent=MembershipFactory(organisation=other_buyer, role=Role.BUYER_AGENT).user,
        staff=UserFactory(is_staff=True),
    )


@pytest.fixture
def offer(world, fake_factors):
    """The company's estimate of its offer on lot 2, not shared."""
    return Estimate.objects.create(
        organisation=world.company,
        title="Offre lot 2 — chaises",
        forecast=world.forecast,
        lot=world.lot,
        reference_date=datetime.date(2025, 6, 1),
        created_by=world.company_member,
    )
