"""Use cases on supplier profiles: editing activities, perimeter and capacity (pages), replacing a whole profile
(API). Access is checked here through tremplin.policy, so that pages and API share one behaviour.

Every edit by a person marks the profile as verified (no longer `prefilled` from the contracts won)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tremplin import policy
from tremplin.organisations.models import InclusiveStatus, Label, Organisation, SizeCategory
from tremplin.referentials.models import CpvCode, Department, NafCode, Region
from tremplin.suppliers import codes, rules
from tremplin.suppliers.errors import PermissionDenied, ProfileError
from tremplin.suppliers.models import (
    HEADCOUNT_CHOICES,
    PerimeterKind,
    SupplierActivity,
    SupplierPerimeter,
    SupplierProfile,
)
from tremplin.suppliers.perimeters import establishment_point

MAX_ACTIVITIES = 30
MAX_DESCRIPTION = 1000
ORGANISATION_FIELDS = [
    "declared_size_category",
    "size_category",
    "size_source",
    "inclusive_status",
    "is_ess",
    "is_esus",
    "updated_at",
]


def profile_of(organisation: Organisation) -> SupplierProfile | None:
    return SupplierProfile.objects.filter(organisation=organisation).first()


def _editable_profile(user, organisation: Organisation) -> SupplierProfile:
    """The profile `user` edits, created on first use; the organisation becomes a supplier if it was not."""
    if not policy.can_edit_supplier_profile(user, organisation):
        raise PermissionDenied("Seuls les membres de l'entreprise peuvent modifier son profil fournisseur.")
    if not organisation.is_supplier:
        organisation.is_supplier = True
        organisation.save(update_fields=["is_supplier", "updated_at"])
    profile, _ = SupplierProfile.objects.select_for_update().get_or_create(organisation=organisation)
    return profile


def _touch(profile: SupplierProfile) -> None:
    profile.prefilled = False
    profile.save(update_fields=["prefilled", "updated_at"])


# ---------- Activities ----------


def check_activity(
    profile: SupplierProfile,
    cpv: CpvCode | None,
    naf: NafCode | None,
    description: str,
    service_types: list[str],
    activity: SupplierActivity | None = None,
    prefix: str = "",
) -> None:
    if cpv is None and naf is None:
        raise ProfileError("Indiquez un code CPV, un code NAF, ou les deux.", prefix + "cpv")
    unknown = [code for code in service_types if code not in rules.SERVICE_TYPES]
    if unknown:
        raise ProfileError(f"Type de prestation inconnu : {', '.join(unknown)}.", prefix + "service_types")
    if not service_types:
        raise ProfileError("Choisissez au moins un type de prestation.", prefix + "service_types")
    if len(description) > MAX_DESCRIPTION:
        raise ProfileError(f"La description compte au plus {MAX_DESCRIPTION} caractères.", prefix + "description")
    others = profile.activities.exclude(pk=activity.pk) if activity and activity.pk else profile.activities.all()
    if others.filter(cpv=cpv, naf=naf).exists():
        raise ProfileError("Cette activité (mêmes codes CPV et NAF) figure déjà dans votre profil.", prefix + "cpv")
    if activity is None and others.count() >= MAX_ACTIVITIES:
        raise ProfileError(f"Un profil compte au plus {MAX_ACTIVITIES} activités : regroupez-en ou supprimez-en une.")


@transaction.atomic
def save_activity(
    user,
    organisation: Organisation,
    *,
    cpv: CpvCode | None,
    naf: NafCode | None,
    description: str = "",
    service_types: list[str],
    activity: SupplierActivity | None = None,
) -> SupplierActivity:
    """Add an activity, or change `activity` (which must belong to this organisation's profile)."""
    profile = _editable_profile(user, organisation)
    if activity is not None and activity.profile_id != profile.pk:
        raise PermissionDenied("Cette activité n'appartient pas à ce profil.")
    description = description.strip()
    check_activity(profile, cpv, naf, description, service_types, activity)
    activity = activity or SupplierActivity(profile=profile)
    activity.cpv, activity.naf, activity.description = cpv, naf, description
    activity.service_types = service_types
    activity.save()
    _touch(profile)
    return activity


@transaction.atomic
def delete_activity(user, activity: SupplierActivity) -> None:
    profile = _editable_profile(user, activity.profile.organisation)
    activity.delete()
    _touch(profile)


# ---------- Perimeter ----------


@dataclass
class PerimeterChoice:
    national: bool = False
    regions: list[Region] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    radius_km: int | None = None


def check_perimeter(organisation: Organisation, choice: PerimeterChoice, prefix: str = "") -> None:
    if choice.radius_km is None:
        return
    try:
        rules.check_radius_km(choice.radius_km)
    except rules.RuleError as error:
        raise ProfileError(str(error), prefix + "radius_km") from error
    if organisation.commune is None:
        raise ProfileError(
            "Pour un rayon, renseignez d'abord la commune de l'établissement sur la fiche de l'organisation : "
            "c'est le centre du cercle.",
            prefix + "radius_km",
        )
    if establishment_point(organisation) is None:
        raise ProfileError(
            f"Les coordonnées de {organisation.commune.name} ne sont pas connues : choisissez plutôt des "
            "départements ou des régions.",
            prefix + "radius_km",
        )


def _write_perimeter(profile: SupplierProfile, choice: PerimeterChoice) -> None:
    profile.perimeters.all().delete()
    if choice.national:  # the whole country: any other area would be redundant
        rows = [SupplierPerimeter(profile=profile, kind=PerimeterKind.NATIONAL)]
    else:
        rows = [SupplierPerimeter(profile=profile, kind=PerimeterKind.REGION, region=r) for r in choice.regions]
        rows += [
            SupplierPerimeter(profile=profile, kind=PerimeterKind.DEPARTMENT, department=d) for d in choice.departments
        ]
        if choice.radius_km is not None:
            rows.append(SupplierPerimeter(profile=profile, kind=PerimeterKind.RADIUS, radius_km=choice.radius_km))
    SupplierPerimeter.objects.bulk_create(rows)


@transaction.atomic
def set_perimeter(user, organisation: Organisation, choice: PerimeterChoice) -> SupplierProfile:
    """Replace the perimeter. An empty choice clears it."""
    profile = _editable_profile(user, organisation)
    check_perimeter(organisation, choice)
    _write_perimeter(profile, choice)
    _touch(profile)
    return profile


# ---------- Capacity, inclusive status and labels (the last two stored on the organisation) ----------


@dataclass
class CompanyDetails:
    headcount_band: str = ""
    turnover: int | None = None
    turnover_year: int | None = None
    declared_size_category: str = ""
    inclusive_status: str = ""
    labels: list[Label] = field(default_factory=list)
    is_ess: bool = False
    is_esus: bool = False


def check_company_details(details: CompanyDetails, prefix: str = "") -> None:
    if details.headcount_band and details.headcount_band not in dict(HEADCOUNT_CHOICES):
        raise ProfileError("Tranche d'effectif inconnue.", prefix + "headcount_band")
    if details.declared_size_category and details.declared_size_category not in SizeCategory.values:
        raise ProfileError("Taille d'entreprise inconnue.", prefix + "declared_size_category")
    if details.inclusive_status and details.inclusive_status not in InclusiveStatus.values:
        raise ProfileError("Statut de l'économie inclusive inconnu.", prefix + "inclusive_status")
    errors = rules.check_turnover(details.turnover, details.turnover_year, timezone.localdate().year)
    if errors:
        name, message = next(iter(errors.items()))
        raise ProfileError(message, prefix + name)


def _write_company_details(profile: SupplierProfile, details: CompanyDetails) -> None:
    profile.headcount_band = details.headcount_band
    profile.turnover, profile.turnover_year = details.turnover, details.turnover_year
    profile.prefilled = False
    profile.save()
    organisation = profile.organisation
    organisation.declared_size_category = details.declared_size_category
    organisation.inclusive_status = details.inclusive_status
    organisation.is_ess, organisation.is_esus = details.is_ess, details.is_esus
    organisation.save(update_fields=ORGANISATION_FIELDS)
    organisation.labels.set(details.labels)


@transaction.atomic
def set_company_details(user, organisation: Organisation, details: CompanyDetails) -> SupplierProfile:
    profile = _editable_profile(user, organisation)
    check_company_details(details)
    _write_company_details(profile, details)
    return profile


# ---------- The whole profile at once (API PUT) ----------


@dataclass
class ActivityInput:
    cpv: str = ""
    naf: str = ""
    description: str = ""
    service_types: list[str] = field(default_factory=list)


@dataclass
class ProfileInput:
    """Raw values as an API client sends them: codes are checked and resolved here. The organisation's own
    attributes (declared size, inclusive status, labels, ESS, ESUS) are left unchanged when None."""

    activities: list[ActivityInput] = field(default_factory=list)
    national: bool = False
    regions: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    radius_km: int | None = None
    headcount_band: str = ""
    turnover: int | None = None
    turnover_year: int | None = None
    declared_size_category: str | None = None
    inclusive_status: str | None = None
    labels: list[str] | None = None
    is_ess: bool | None = None
    is_esus: bool | None = None


def resolve_labels(slugs: list[str], field_name: str = "labels") -> list[Label]:
    found = {label.slug: label for label in Label.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise ProfileError(f"Label inconnu : {', '.join(unknown)}.", field_name)
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _keep(value, current):
    return current if value is None else value


@transaction.atomic
def replace_profile(user, organisation: Organisation, data: ProfileInput) -> SupplierProfile:
    """Replace the activities, the perimeter and the capacity, and set the organisation's attributes that are
    given. Nothing is written unless everything is valid (the first error is raised)."""
    profile = _editable_profile(user, organisation)
    if len(data.activities) > MAX_ACTIVITIES:
        raise ProfileError(f"Un profil compte au plus {MAX_ACTIVITIES} activités.", "activities")
    profile.activities.all().delete()
    for index, item in enumerate(data.activities):
        prefix = f"activities[{index}]."
        cpv = codes.resolve_cpv(item.cpv, prefix + "cpv")
        naf = codes.resolve_naf(item.naf, prefix + "naf")
        description = item.description.strip()
        check_activity(profile, cpv, naf, description, item.service_types, prefix=prefix)
        activity = SupplierActivity(profile=profile, cpv=cpv, naf=naf, description=description)
        activity.service_types = item.service_types
        activity.save()
    choice = PerimeterChoice(
        national=data.national,
        regions=codes.resolve_regions(data.regions, "perimeter.regions"),
        departments=codes.resolve_departments(data.departments, "perimeter.departments"),
        radius_km=data.radius_km,
    )
    check_perimeter(organisation, choice, prefix="perimeter.")
    _write_perimeter(profile, choice)
    details = CompanyDetails(
        headcount_band=data.headcount_band,
        turnover=data.turnover,
        turnover_year=data.turnover_year,
        declared_size_category=_keep(data.declared_size_category, organisation.declared_size_category),
        inclusive_status=_keep(data.inclusive_status, organisation.inclusive_status),
        labels=list(organisation.labels.all()) if data.labels is None else resolve_labels(data.labels),
        is_ess=_keep(data.is_ess, organisation.is_ess),
        is_esus=_keep(data.is_esus, organisation.is_esus),
    )
    check_company_details(details)
    _write_company_details(profile, details)
    return profile
