"""The clause panels shown on the forecast and contract pages (whose views belong to other apps)."""

from decimal import Decimal

from django import template

from tremplin import policy
from tremplin.clauses import services
from tremplin.clauses.models import Clause

register = template.Library()


@register.simple_tag
def forecast_clauses(forecast, user) -> dict:
    if not policy.can_view_forecast(user, forecast):
        return {"clauses": [], "can_add": False}
    clauses = services.clause_queryset().filter(forecast=forecast) | services.clause_queryset().filter(
        lot__forecast=forecast
    )
    clauses = list(clauses.order_by("lot__number", "clause_type__position", "pk"))
    can_add = policy.can_attach_clause_to_forecast(user, forecast)
    return {"clauses": clauses, "can_add": can_add, "can_remove": can_add}


@register.simple_tag
def contract_clauses(contract, user) -> dict:
    clauses: list[Clause] = list(services.clause_queryset().filter(contract=contract))
    rows = [(clause, services.clause_progress(clause) if clause.is_insertion else None) for clause in clauses]
    can_add = policy.can_attach_clause_to_contract(user, contract)
    has_insertion = any(clause.is_insertion for clause in clauses)
    return {
        "rows": rows,
        "can_add": can_add,
        "can_remove": can_add,
        "can_follow": has_insertion and policy.can_view_hours_declarations(user, contract),
        "can_declare": has_insertion and bool(policy.hours_declarant_organisations(user, contract)),
    }


@register.filter
def heures(value) -> str:
    """Hours the French way, without useless decimals: 250.50 → "250,5", 1200 → "1 200", None → "—"."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


@register.filter
def taux(value) -> str:
    """A percentage already in % with one decimal: 30.1 → "30,1 %", 25.0 → "25 %", None → "—"."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)):.1f}".removesuffix(".0")
    return text.replace(".", ",") + "\u00a0%"
