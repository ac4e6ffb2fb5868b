"""Demo data: one carbon estimate built only from the factors already imported. The platform ships no factor value
and the demo invents none: without factors, it does nothing and says so."""

from django.utils import timezone

from tremplin.carbon import rules, services
from tremplin.carbon.models import EmissionFactor, Estimate, EstimateLine

NO_FACTORS = "Estimations carbone : aucun facteur d'émission chargé, aucune estimation de démonstration créée."

QUANTITIES = {
    rules.PRODUCTION: {"quantity": 1000},
    rules.TRANSPORT: {"tonnes": 2, "km": 150},
    rules.USE: {"energy_per_year": 500, "years": 5},
}


def create_demo_estimates(organisation, user) -> tuple[list[Estimate], str]:
    """One estimate with one line per section for which a factor is valid today. Returns the estimates and a
    French sentence saying what was done."""
    today = timezone.localdate()
    if not EmissionFactor.objects.exists():
        return [], NO_FACTORS
    title = "Démonstration — estimation carbone d'un lot"
    estimate, _ = Estimate.objects.get_or_create(
        organisation=organisation, title=title, defaults={"reference_date": today, "created_by": user}
    )
    estimate.lines.all().delete()
    for section, quantities in QUANTITIES.items():
        factors = services.factors_valid_on(today, rules.SECTION_KIND[section])
        if not factors:
            continue
        factor = factors[0]
        data = services.LineData(
            section=section,
            description=f"{rules.SECTIONS[section]} — {factor.name}"[:200],
            factor_reference=factor.source_reference,
            unit=factor.unit if section != rules.TRANSPORT else "",
            **{key: value for key, value in quantities.items()},
        )
        services.store_line(EstimateLine(estimate=estimate), services.compute(data, today))
    count = estimate.lines.count()
    return [estimate], f"Estimations carbone : 1 estimation de démonstration ({count} ligne(s)) pour {organisation}."
