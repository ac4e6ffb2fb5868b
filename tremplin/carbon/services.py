"""Use cases of the carbon estimate: choosing factors by date, writing estimates and their lines, the public
calculator. Access is checked here through tremplin.policy, so that pages and API behave the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from tremplin import policy
from tremplin.carbon import rules
from tremplin.carbon.models import EmissionFactor, Estimate, EstimateLine


class EstimateNotFound(Exception):
    """The estimate does not exist for this person (pages and API: 404)."""


class EstimateError(Exception):
    """A write that is refused; the message is French, `field` names the input at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


# ---------- Factors ----------


def factors_valid_on(on: date, kind: str | None = None) -> list[EmissionFactor]:
    """One version per source reference: the one valid on `on` (rules.pick_factor); references without a valid
    version are left out."""
    queryset = EmissionFactor.objects.filter(valid_from__lte=on)
    if kind:
        queryset = queryset.filter(kind=kind)
    by_reference: dict[str, list[EmissionFactor]] = {}
    for factor in queryset.order_by("kind", "name", "valid_from"):
        by_reference.setdefault(factor.source_reference, []).append(factor)
    chosen = []
    for versions in by_reference.values():
        try:
            version = rules.pick_factor([v.as_version() for v in versions], on)
        except rules.CarbonError:
            continue
        chosen.append(next(v for v in versions if v.pk == version.key))
    return sorted(chosen, key=lambda f: (f.kind, f.name.lower()))


def factor_for(reference: str, on: date, section: str | None = None) -> EmissionFactor:
    """The version of the factor `reference` valid on `on`; CarbonError when unknown or none is valid then."""
    versions = list(EmissionFactor.objects.filter(source_reference=reference))
    if not versions:
        raise rules.CarbonError(f"Facteur d'émission « {reference} » inconnu.", "factor")
    chosen = rules.pick_factor([v.as_version() for v in versions], on)
    factor = next(v for v in versions if v.pk == chosen.key)
    if section is not None and factor.kind != rules.SECTION_KIND[section]:
        raise rules.CarbonError(
            f"Le facteur « {factor.name} » est un facteur « {factor.get_kind_display()} » : il ne peut pas servir pour "
            f"une ligne « {rules.SECTIONS[section]} ».",
            "factor",
        )
    return factor


# ---------- Lines ----------


@dataclass(frozen=True)
class LineData:
    section: str
    description: str
    factor_reference: str
    quantity: Decimal | None = None  # production
    unit: str = ""  # production: quantity unit; use: energy unit
    tonnes: Decimal | None = None
    km: Decimal | None = None
    energy_per_year: Decimal | None = None
    years: Decimal | None = None


@dataclass(frozen=True)
class ComputedLine:
    data: LineData
    factor: EmissionFactor
    kgco2e: Decimal


def compute(data: LineData, on: date) -> ComputedLine:
    """Compute one line with the factor valid on `on`; CarbonError on bad input."""
    if data.section not in rules.SECTIONS:
        raise rules.CarbonError("Section inconnue : production, transport ou use.", "section")
    factor = factor_for(data.factor_reference, on, data.section)
    unit = data.unit or factor.unit
    quantity = data.energy_per_year if data.section == rules.USE else data.quantity
    line = rules.LineInput(data.section, quantity, unit, data.tonnes, data.km, data.years)
    return ComputedLine(data, factor, rules.compute_line(line, factor.as_version()))


def calculate(lines: list[LineData], on: date) -> tuple[list[ComputedLine], rules.Totals]:
    """The public calculator: nothing is stored. Raises CarbonError with `field` = "lines.<i>.<name>"."""
    if not lines:
        raise rules.CarbonError("Indiquez au moins une ligne.", "lines")
    computed = []
    for index, data in enumerate(lines):
        try:
            computed.append(compute(data, on))
        except rules.CarbonError as error:
            raise rules.CarbonError(str(error), f"lines.{index}.{error.field or 'factor'}") from error
    return computed, rules.totals((c.data.section, c.kgco2e) for c in computed)


def store_line(line: EstimateLine, computed: ComputedLine) -> EstimateLine:
    data, factor = computed.data, computed.factor
    line.section = data.section
    line.description = data.description
    line.quantity = data.quantity if data.section == rules.PRODUCTION else None
    line.unit = (data.unit or factor.unit) if data.section != rules.TRANSPORT else ""
    line.tonnes = data.tonnes if data.section == rules.TRANSPORT else None
    line.km = data.km if data.section == rules.TRANSPORT else None
    line.transport_mode = factor.transport_mode if data.section == rules.TRANSPORT else ""
    line.energy_per_year = data.energy_per_year if data.section == rules.USE else None
    line.years = data.years if data.section == rules.USE else None
    line.factor = factor
    line.factor_value = factor.value
    line.factor_unit = factor.unit
    line.kgco2e = computed.kgco2e
    line.save()
    return line


def add_line(user, estimate: Estimate, data: LineData) -> EstimateLine:
    if not policy.can_edit_carbon_estimate(user, estimate):
        raise EstimateNotFound
    try:
        computed = compute(data, estimate.reference_date)
    except rules.CarbonError as error:
        raise EstimateError(str(error), error.field) from error
    line = store_line(EstimateLine(estimate=estimate), computed)
    estimate.save(update_fields=["updated_at"])
    return line


def delete_line(user, line: EstimateLine) -> None:
    if not policy.can_edit_carbon_estimate(user, line.estimate):
        raise EstimateNotFound
    line.delete()
    line.estimate.save(update_fields=["updated_at"])


@transaction.atomic
def recompute(user, estimate: Estimate) -> list[str]:
    """Recompute every line with the factors valid at the estimate's reference date (after a change of date, or
    to take a corrected factor). Lines that can no longer be computed are kept unchanged; their errors are
    returned."""
    if not policy.can_edit_carbon_estimate(user, estimate):
        raise EstimateNotFound
    problems = []
    for line in estimate.lines.select_related("factor"):
        data = LineData(
            section=line.section,
            description=line.description,
            factor_reference=line.factor.source_reference,
            quantity=line.quantity,
            unit=line.unit,
            tonnes=line.tonnes,
            km=line.km,
            energy_per_year=line.energy_per_year,
            years=line.years,
        )
        try:
            store_line(line, compute(data, estimate.reference_date))
        except rules.CarbonError as error:
            problems.append(f"{line.description} : {error}")
    estimate.save(update_fields=["updated_at"])
    return problems


# ---------- Estimates ----------


def visible_estimates(user):
    return (
        Estimate.objects.filter(policy.visible_carbon_estimates_filter(user))
        .select_related("organisation", "forecast__buyer", "lot", "contract")
        .annotate(total_kgco2e=Sum("lines__kgco2e"))
    )


def get_estimate_for(user, pk) -> Estimate:
    estimate = (
        Estimate.objects.select_related("organisation", "forecast__buyer", "lot", "contract", "created_by")
        .filter(pk=pk)
        .first()
    )
    if estimate is None or not policy.can_view_carbon_estimate(user, estimate):
        raise EstimateNotFound
    return estimate


def check_links(user, organisation, forecast=None, lot=None, contract=None) -> None:
    if lot is not None and (forecast is None or lot.forecast_id != forecast.pk):
        raise EstimateError("Ce lot n'appartient pas à la prévision choisie.", "lot")
    if forecast is not None and not policy.can_link_estimate_to_forecast(user, forecast):
        raise EstimateError("Prévision d'achat introuvable.", "forecast")
    if contract is not None and not policy.can_link_estimate_to_contract(organisation, contract):
        raise EstimateError(
            "Ce marché n'est pas lié à votre organisation : seul son acheteur ou un titulaire peut y rattacher une "
            "estimation.",
            "contract",
        )


def create_estimate(user, organisation, **fields) -> Estimate:
    if not policy.can_write_carbon_estimate_for(user, organisation):
        raise EstimateError(
            "Vous ne pouvez pas créer d'estimation pour cette organisation : il faut en être agent acheteur "
            "ou membre de l'entreprise.",
            "organisation",
        )
    check_links(user, organisation, fields.get("forecast"), fields.get("lot"), fields.get("contract"))
    return Estimate.objects.create(organisation=organisation, created_by=user, **fields)


def update_estimate(user, estimate: Estimate, **fields) -> list[str]:
    """Change the title, links, sharing or reference date; a new date recomputes the lines."""
    if not policy.can_edit_carbon_estimate(user, estimate):
        raise EstimateNotFound
    check_links(user, estimate.organisation, fields.get("forecast"), fields.get("lot"), fields.get("contract"))
    date_changed = fields.get("reference_date", estimate.reference_date) != estimate.reference_date
    for name, value in fields.items():
        setattr(estimate, name, value)
    estimate.save()
    return recompute(user, estimate) if date_changed else []


def delete_estimate(user, estimate: Estimate) -> None:
    if not policy.can_edit_carbon_estimate(user, estimate):
        raise EstimateNotFound
    estimate.delete()
