"""Demo data for the forecasts: `create_demo_forecasts(buyer_org, agent_user)` adds three believable published
forecasts (one with lots reserved to SIAE and to EA/ESAT), a draft and a purchase fair. Idempotent: what already
exists (same buyer, same demo reference) is left as it is. Dates are set relative to today, so that a fresh demo
always shows upcoming purchases.

`agent_user` must be a buyer agent of `buyer_org` (the forecasts are written through the same use cases as on
the pages)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from tremplin.opportunities import rules
from tremplin.opportunities.fairs import FairValues, save_fair
from tremplin.opportunities.models import Fair, Forecast, Source
from tremplin.opportunities.rules import ForecastData, LotData
from tremplin.opportunities.services import save_forecast
from tremplin.referentials.models import CpvCode, Department
from tremplin.referentials.rules import cpv_ancestor_candidates

DEMO_PREFIX = "demo-"


@dataclass
class DemoForecasts:
    forecasts: list[Forecast] = field(default_factory=list)
    created: int = 0
    fair: Fair | None = None
    fair_created: bool = False


def _cpv(code: str) -> str:
    """The code when the referential has it, else its nearest existing ancestor, else "" (partial referentials)."""
    existing = set(CpvCode.objects.filter(pk__in=[code, *cpv_ancestor_candidates(code)]).values_list("pk", flat=True))
    return next((c for c in [code, *cpv_ancestor_candidates(code)] if c in existing), "")


def _places(buyer) -> tuple[list[str], list[str]]:
    communes = [buyer.commune_id] if buyer.commune_id else []
    department = buyer.department_id or Department.objects.order_by("pk").values_list("pk", flat=True).first()
    return ([department] if department else []), communes


def _specs(buyer, today: datetime.date) -> list[tuple[str, ForecastData]]:
    departments, communes = _places(buyer)
    next_quarter = rules.upcoming_quarters(today, 2)[1]
    in_two_months = today + datetime.timedelta(days=60)
    contact = {"contact_name": "Service de la commande publique", "contact_email": "", "messaging_enabled": True}
    return [
        (
            "renovation-ecole",
            ForecastData(
                title="Rénovation énergétique du groupe scolaire Jean-Moulin",
                description="Isolation par l'extérieur, remplacement des menuiseries, réfection des peintures et "
                "des sols de 14 classes, travaux en site occupé pendant les vacances scolaires.",
                category="travaux",
                cpv=_cpv("45214200"),
                estimated_amount=Decimal("920000"),
                max_duration_months=14,
                publication_quarter=next_quarter,
                procedure_type="aoo",
                departments=departments,
                communes=communes,
                keywords=["rénovation énergétique", "école", "menuiseries"],
                social_kinds=["clause_sociale"],
                environmental_kinds=["critere_environnemental"],
                considerations_details="Clause d'insertion : 5 % des heures travaillées sur les lots 1 et 2.",
                lots=[
                    LotData(1, "Isolation et menuiseries extérieures", _cpv("45210000"), Decimal("610000")),
                    LotData(2, "Peintures et revêtements de sols", "", Decimal("230000"), "L2113-13"),
                    LotData(3, "Nettoyage de fin de chantier", "", Decimal("80000"), "L2113-12"),
                ],
                status=rules.PUBLISHED,
                **contact,
            ),
        ),
        (
            "transport-sport",
            ForecastData(
                title="Transport des élèves vers les équipements sportifs",
                description="Navettes en car entre les écoles et les gymnases ou la piscine, environ 1 200 trajets "
                "par an, hors vacances scolaires.",
                category="services",
                cpv=_cpv("60112000"),
                estimated_amount=Decimal("140000"),
                max_duration_months=36,
                publication_target_date=in_two_months,
                offer_deadline=in_two_months + datetime.timedelta(days=35),
                procedure_type="mapa",
                departments=departments,
                keywords=["transport", "car", "scolaire"],
                environmental_kinds=["clause_environnementale"],
                status=rules.PUBLISHED,
                **contact,
            ),
        ),
        (
            "electricite-verte",
            ForecastData(
                title="Fourniture d'électricité d'origine renouvelable pour les bâtiments communaux",
                description="Environ 4,2 GWh par an pour 85 points de livraison (écoles, équipements sportifs, "
                "éclairage public), avec garanties d'origine.",
                category="fournitures",
                cpv=_cpv("09310000"),
                estimated_amount=Decimal("1200000"),
                max_duration_months=48,
                publication_quarter=next_quarter,
                procedure_type="aoo",
                departments=departments,
                keywords=["électricité", "énergie renouvelable"],
                environmental_kinds=["critere_environnemental"],
                status=rules.PUBLISHED,
                **contact,
            ),
        ),
        (
            "velos-agents",
            ForecastData(
                title="Vélos à assistance électrique pour les déplacements des agents",
                description="Une trentaine de vélos et leur maintenance ; le besoin est encore à préciser.",
                category="fournitures",
                cpv=_cpv("34430000"),
                departments=departments,
                **contact,
            ),
        ),
    ]


def create_demo_forecasts(buyer_org, agent_user) -> DemoForecasts:
    today = timezone.localdate()
    result = DemoForecasts()
    for reference, data in _specs(buyer_org, today):
        external_id = DEMO_PREFIX + reference
        forecast = Forecast.objects.filter(buyer=buyer_org, source=Source.PLATFORM, external_id=external_id).first()
        if forecast is None:
            data.contact_email = agent_user.email
            forecast = save_forecast(
                agent_user, buyer_org, data, external_id=external_id, keep_status=data.status == rules.DRAFT
            )
            result.created += 1
        result.forecasts.append(forecast)

    title = "Rencontre acheteurs : nos achats des prochains mois"
    result.fair = Fair.objects.filter(organiser=buyer_org, title=title).first()
    if result.fair is None:
        start = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=21), datetime.time(9, 30))
        )
        values = FairValues(
            title=title,
            description="Les services présentent les achats à venir, puis rendez-vous de 15 minutes avec les "
            "acheteurs. Entreprises locales, TPE, PME et structures inclusives bienvenues.",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            venue="Hôtel de ville, salle du conseil",
            address=buyer_org.address,
            commune_id=buyer_org.commune_id,
            capacity=40,
            registration_deadline=start - datetime.timedelta(days=2),
            contact_email=agent_user.email,
            forecast_ids=tuple(f.pk for f in result.forecasts if not f.is_draft),
        )
        result.fair = save_fair(agent_user, buyer_org, values)
        result.fair_created = True
    return result
