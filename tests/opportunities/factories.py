"""factory_boy factories for forecasts, lots, fairs and registrations."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import BuyerFactory
from tremplin.core.text import search_key
from tremplin.opportunities import rules
from tremplin.opportunities.models import Fair, Forecast, Lot, Registration


class ForecastFactory(factory.django.DjangoModelFactory):
    """A published forecast of works in the Rhône (needs the small referentials for its codes)."""

    class Meta:
        model = Forecast
        skip_postgeneration_save = True

    buyer = factory.SubFactory(BuyerFactory)
    status = rules.PUBLISHED
    title = factory.Sequence(lambda n: f"Rénovation de l'école {n}")
    description = "Rénovation énergétique et mise en accessibilité."
    category = "travaux"
    cpv_id = "45214200"
    estimated_amount = Decimal("250000.00")
    max_duration_months = 18
    publication_target_date = datetime.date(2026, 9, 15)
    publication_quarter = "2026-T3"
    offer_deadline = datetime.date(2026, 10, 20)
    procedure_type = "aoo"
    keywords = factory.LazyFunction(lambda: ["école", "rénovation"])
    contact_name = "Service de la commande publique"
    contact_email = "achats@exemple.fr"
    published_at = factory.LazyFunction(timezone.now)
    search_text = factory.LazyAttribute(lambda o: search_key(f"{o.title} {o.description}"))

    @factory.post_generation
    def departments(obj, create, extracted, **kwargs):
        if create:
            obj.departments.set(extracted if extracted is not None else ["69"])


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    forecast = factory.SubFactory(ForecastFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Lot {n + 1}")
    estimated_amount = Decimal("50000.00")


def reserve(forecast: Forecast) -> Forecast:
    """Recompute the denormalised reservations after adding lots by hand."""
    articles = set(forecast.reservations) | {lot.reservation for lot in forecast.lots.all() if lot.reservation}
    forecast.reserved_articles = " ".join(sorted(articles))
    forecast.save(update_fields=["reserved_articles"])
    return forecast


class FairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fair

    organiser = factory.SubFactory(BuyerFactory)
    title = factory.Sequence(lambda n: f"Rencontre acheteurs {n}")
    description = "Présentation du programme d'achats 2027."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    venue = "Hôtel de Ville, salle des fêtes"
    address = "1 place de la Comédie"
    capacity = 2
    contact_email = "salon@exemple.fr"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    fair = factory.SubFactory(FairFactory)
    status = rules.CONFIRMED
    requested_at = factory.LazyFunction(timezone.now)
