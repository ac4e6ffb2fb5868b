"""Demo data for clauses: insertion and other clauses on the demo buyer's contracts and forecasts, hours declared
by the demo company where it holds a contract, and a year of EGalim purchases. Idempotent: run it again and
nothing is added twice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from tremplin.clauses import rules
from tremplin.clauses.catalogue import ensure_catalogue
from tremplin.clauses.models import Clause, ClauseType, EgalimPurchase, HoursDeclaration
from tremplin.clauses.services import suggest_insertion
from tremplin.contracts.models import Contract
from tremplin.opportunities.models import Forecast, Lot

EGALIM_PURCHASES = [  # (family, category, amount excl. VAT, detail)
    (rules.OTHER_FOOD, rules.ORGANIC, Decimal("38000"), "Légumes et produits laitiers bio"),
    (rules.OTHER_FOOD, rules.SIQO, Decimal("21000"), "Fromages AOP"),
    (rules.OTHER_FOOD, rules.OTHER_LABELS, Decimal("12000"), "Fruits HVE"),
    (rules.OTHER_FOOD, rules.NON_QUALIFYING, Decimal("64000"), "Épicerie"),
    (rules.MEAT_FISH, rules.SIQO, Decimal("26000"), "Volaille Label Rouge"),
    (rules.MEAT_FISH, rules.ORGANIC, Decimal("9000"), "Bœuf bio"),
    (rules.MEAT_FISH, rules.NON_QUALIFYING, Decimal("30000"), "Poisson surgelé"),
]


@dataclass
class DemoClauses:
    clauses: int = 0
    declarations: int = 0
    purchases: int = 0


def _attach(target: dict, code: str, user, **values) -> tuple[Clause, bool]:
    clause_type = ClauseType.objects.get(code=code)
    existing = Clause.objects.filter(clause_type=clause_type, **target).first()
    if existing:
        return existing, False
    return Clause.objects.create(clause_type=clause_type, created_by=user, **target, **values), True


def _insertion_values(cpv: str | None, amount) -> dict:
    suggestion = suggest_insertion(cpv, amount)
    return {
        "amount_excl_vat": suggestion.amount_excl_vat,
        "labour_share": suggestion.labour_share,
        "insertion_rate": suggestion.insertion_rate,
        "hourly_cost": suggestion.hourly_cost,
        "hours_due": suggestion.hours_due,
    }


def _quarters(start: datetime.date, today: datetime.date, limit: int) -> list[tuple[datetime.date, datetime.date]]:
    periods = []
    begin = start
    while len(periods) < limit:
        month = begin.month + 3
        end = datetime.date(begin.year + (month - 1) // 12, (month - 1) % 12 + 1, 1) - datetime.timedelta(days=1)
        if end >= today:
            break
        periods.append((begin, end))
        begin = end + datetime.timedelta(days=1)
    return periods


def _declare(clause: Clause, company_org, company_user, today: datetime.date) -> int:
    if clause.declarations.exists() or not clause.hours_due:
        return 0
    start = (clause.contract.notification_date or today.replace(year=today.year - 1)).replace(day=1)
    periods = _quarters(start, today, limit=3)
    share = Decimal(clause.hours_due) * Decimal("0.15")
    for begin, end in periods:
        HoursDeclaration.objects.create(
            clause=clause,
            period_start=begin,
            period_end=end,
            hours=share.quantize(Decimal(1)),
            comment="Embauche directe de deux personnes en parcours d'insertion",
            declared_by=company_user,
            organisation=company_org,
        )
    return len(periods)


def create_demo_clauses(buyer_org, agent_user, company_org, company_user) -> DemoClauses:
    ensure_catalogue()
    result = DemoClauses()
    today = datetime.date.today()
    contracts = (
        Contract.objects.filter(buyer=buyer_org, amount_initial__isnull=False, amount_suspicious=False)
        .annotate(held=Count("holders", filter=Q(holders__organisation=company_org)) if company_org else Count("pk"))
        .order_by("-held", "-notification_date", "key")
    )
    held = [c for c in contracts[:20] if company_org and c.held]
    others = [c for c in contracts[:20] if c not in held]
    for contract in (held[:2] + others[:2])[:3]:
        amount = contract.amount_current or contract.amount_initial
        clause, created = _attach(
            {"contract": contract}, ClauseType.INSERTION, agent_user, **_insertion_values(contract.cpv, amount)
        )
        result.clauses += created
        if company_org and company_user and contract in held:
            result.declarations += _declare(clause, company_org, company_user, today)
    if others:
        _, created = _attach(
            {"contract": others[0]},
            ClauseType.INTERPRETER,
            agent_user,
            target_text="Interprète pour l'accueil sécurité des travailleurs sur le chantier",
        )
        result.clauses += created

    forecasts = list(Forecast.objects.filter(buyer=buyer_org).exclude(status="draft").order_by("pk")[:2])
    if forecasts:
        forecast = forecasts[0]
        _, created = _attach(
            {"forecast": forecast},
            ClauseType.INSERTION,
            agent_user,
            **_insertion_values(forecast.cpv_id, forecast.estimated_amount or Decimal("500000")),
        )
        result.clauses += created
        _, created = _attach(
            {"forecast": forecast},
            ClauseType.CARBON,
            agent_user,
            target_percent=Decimal(15),
            target_text="Critère d'attribution : émissions de gaz à effet de serre du transport et des matériaux",
        )
        result.clauses += created
        lot = Lot.objects.filter(forecast__in=forecasts).order_by("forecast_id", "number").first()
        if lot:
            _, created = _attach(
                {"lot": lot}, ClauseType.RESERVED, agent_user, target_text="Lot réservé aux SIAE (CCP L2113-13)"
            )
            result.clauses += created

    year = today.year - 1
    if not EgalimPurchase.objects.filter(buyer=buyer_org, year=year).exists():
        for family, category, amount, label in EGALIM_PURCHASES:
            EgalimPurchase.objects.create(
                buyer=buyer_org,
                year=year,
                family=family,
                category=category,
                amount_excl_vat=amount,
                label=label,
                declared_by=agent_user,
            )
            result.purchases += 1
    return result
