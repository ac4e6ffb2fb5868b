"""Demo data: supplier profiles pre-filled from the contracts suppliers actually won.

`create_demo_profiles()` is idempotent: it only creates profiles for suppliers that hold contracts and have no
profile yet. Each profile is marked `prefilled` (shown as "non vérifié" until the company saves it): activities
are the CPV codes of its contracts, the perimeter is its department — its region when its contracts are spread
over several departments of that region, the whole country when they span three regions or more. No turnover or
headcount is invented."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import Count, Exists, OuterRef

from tremplin.contracts.models import ContractHolder
from tremplin.organisations.models import Organisation
from tremplin.referentials.models import CpvCode, Department
from tremplin.referentials.rules import cpv_parent
from tremplin.suppliers import rules
from tremplin.suppliers.models import PerimeterKind, SupplierActivity, SupplierPerimeter, SupplierProfile
from tremplin.suppliers.references import contracts_held

MAX_ACTIVITIES = 3


def known_code(code: str, known: set[str]) -> str | None:
    """`code` if it is in the CPV vocabulary, else its nearest existing ancestor (DECP codes are sometimes
    truncated or from an older version)."""
    if code in known:
        return code
    return cpv_parent(code, known)


def _activities(profile: SupplierProfile, cpv_counts: Counter, known: set[str]) -> list[SupplierActivity]:
    per_code: Counter = Counter()
    for code, count in cpv_counts.items():
        existing = known_code(code, known)
        if existing:
            per_code[existing] += count
    activities = []
    for code, count in sorted(per_code.items(), key=lambda item: (-item[1], item[0]))[:MAX_ACTIVITIES]:
        plural = "s" if count > 1 else ""
        activity = SupplierActivity(
            profile=profile, cpv_id=code, description=f"D'après {count} marché{plural} remporté{plural}."
        )
        activity.service_types = rules.service_types_for_cpv(code)
        activities.append(activity)
    if not activities and profile.organisation.naf_id:
        activity = SupplierActivity(profile=profile, naf_id=profile.organisation.naf_id)
        activity.service_types = ["PREST"]
        activities.append(activity)
    return activities


NATIONAL_FROM_REGIONS = 3
"""Contracts executed in this many regions or more make a national supplier."""


def _perimeter(profile: SupplierProfile, territories: Counter, departments: dict[str, Department]):
    """National when its contracts span several regions; its region when they span several departments of
    the establishment's region; else the establishment's department (or its contracts' usual department)."""
    organisation = profile.organisation
    known = [code for code in territories if code in departments]
    if len({departments[code].region_id for code in known}) >= NATIONAL_FROM_REGIONS:
        return [SupplierPerimeter(profile=profile, kind=PerimeterKind.NATIONAL)]
    home = organisation.department or (departments[max(known, key=lambda c: (territories[c], c))] if known else None)
    if home is None:
        return []
    same_region = {code for code in known if departments[code].region_id == home.region_id}
    if len(same_region | {home.code}) >= 2:
        return [SupplierPerimeter(profile=profile, kind=PerimeterKind.REGION, region_id=home.region_id)]
    return [SupplierPerimeter(profile=profile, kind=PerimeterKind.DEPARTMENT, department=home)]


@transaction.atomic
def create_demo_profiles(limit: int | None = 300) -> int:
    """Give a pre-filled profile to the `limit` suppliers holding the most contracts (all of them when None),
    except those that already have one. Returns how many were created: 0 when run again."""
    known = set(CpvCode.objects.values_list("code", flat=True))
    departments = Department.objects.in_bulk()
    suppliers = (
        Organisation.objects.filter(is_supplier=True)
        .filter(Exists(ContractHolder.objects.filter(organisation=OuterRef("pk"))))
        .select_related("department")
        .annotate(
            held=Count("contracts_held"),
            has_profile=Exists(SupplierProfile.objects.filter(organisation=OuterRef("pk"))),
        )
        .order_by("-held", "siret")
    )
    if limit is not None:
        suppliers = suppliers[:limit]
    suppliers = [organisation for organisation in suppliers if not organisation.has_profile]
    created = 0
    for organisation in suppliers:
        contracts = contracts_held(organisation)
        cpv_counts = Counter(dict(contracts.exclude(cpv="").values_list("cpv").annotate(n=Count("id"))))
        territories = Counter(
            dict(contracts.exclude(territory_department="").values_list("territory_department").annotate(n=Count("id")))
        )
        profile = SupplierProfile(organisation=organisation, prefilled=True)
        activities = _activities(profile, cpv_counts, known)
        if not activities:
            continue
        profile.save()
        SupplierActivity.objects.bulk_create(activities)
        SupplierPerimeter.objects.bulk_create(_perimeter(profile, territories, departments))
        created += 1
    return created
