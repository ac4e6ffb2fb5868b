"""The supplier directory: profiles filtered by CPV prefix, department covered, inclusive status and size.
Shared by the directory page and the list API. Establishments closed in SIRENE are not listed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from tremplin.contracts.models import ContractHolder
from tremplin.core.text import search_words
from tremplin.organisations.models import HANDICAP_STATUSES, SIAE_STATUSES
from tremplin.organisations.rules import clean_identifier, is_ascii_digits
from tremplin.referentials.models import Department
from tremplin.referentials.rules import CpvCodeError, cpv_significant_digits, normalize_cpv
from tremplin.suppliers.errors import ProfileError
from tremplin.suppliers.models import SupplierActivity, SupplierProfile
from tremplin.suppliers.perimeters import covering_department

INCLUSIVE_CHOICES = [
    ("", "Toutes les entreprises"),
    ("true", "Toutes structures inclusives"),
    ("siae", "Insertion (SIAE, L2113-13)"),
    ("handicap", "Handicap : EA, ESAT (L2113-12)"),
]
INCLUSIVE_FILTERS = {
    "true": ~Q(organisation__inclusive_status=""),
    "siae": Q(organisation__inclusive_status__in=SIAE_STATUSES),
    "handicap": Q(organisation__inclusive_status__in=HANDICAP_STATUSES),
}
SIZE_CHOICES = [
    ("", "Toutes les tailles"),
    ("tpe_pme", "TPE et PME"),
    ("micro", "Microentreprises (TPE)"),
    ("pme", "PME (hors TPE)"),
    ("eti", "ETI"),
    ("ge", "Grandes entreprises"),
]
SIZE_FILTERS = {
    "tpe_pme": Q(organisation__size_category__in=["micro", "pme"]),
    "micro": Q(organisation__size_category="micro"),
    "pme": Q(organisation__size_category="pme"),
    "eti": Q(organisation__size_category="eti"),
    "ge": Q(organisation__size_category="ge"),
}


def cpv_prefix(raw: str | None) -> str:
    """The digits a CPV filter stands for: "45" → "45", "4521" → "4521", "45210000-2" → "4521" (trailing
    zeros are the hierarchy's, not the filter's). "" when blank; ProfileError when unreadable."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        return cpv_significant_digits(normalize_cpv(text))
    except CpvCodeError as error:
        raise ProfileError(str(error), "cpv") from error


@dataclass
class DirectoryFilters:
    q: str = ""
    cpv: str = ""  # a prefix, see cpv_prefix()
    department: Department | None = None
    inclusive: str = ""
    size: str = ""


def search_profiles(filters: DirectoryFilters) -> QuerySet[SupplierProfile]:
    profiles = SupplierProfile.objects.select_related("organisation__commune", "organisation__department").filter(
        organisation__is_closed=False  # a closed establishment cannot be sourced
    )
    query = filters.q.strip()
    digits = clean_identifier(query)
    if digits and is_ascii_digits(digits):
        profiles = profiles.filter(organisation__siret__startswith=digits)
    else:
        for word in search_words(query):
            profiles = profiles.filter(organisation__search_text__contains=word)
    if filters.cpv:
        declared = SupplierActivity.objects.filter(profile=OuterRef("pk"), cpv__code__startswith=filters.cpv)
        won = ContractHolder.objects.filter(
            organisation=OuterRef("organisation"), contract__cpv__startswith=filters.cpv
        )
        profiles = profiles.filter(Exists(declared) | Exists(won))
    if filters.department is not None:
        profiles = profiles.filter(covering_department(filters.department))
    if filters.inclusive in INCLUSIVE_FILTERS:
        profiles = profiles.filter(INCLUSIVE_FILTERS[filters.inclusive])
    if filters.size in SIZE_FILTERS:
        profiles = profiles.filter(SIZE_FILTERS[filters.size])
    return profiles.order_by("organisation__search_text", "organisation__siret")
