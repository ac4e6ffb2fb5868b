"""Public supplier pages: the directory (the buyers' sourcing entry point) and a supplier's profile."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render

from tremplin import policy
from tremplin.organisations.rules import HEADCOUNT_BANDS
from tremplin.organisations.views import get_organisation_or_404, reserved_market_article
from tremplin.suppliers import perimeters
from tremplin.suppliers.directory import search_profiles
from tremplin.suppliers.forms import DirectoryForm
from tremplin.suppliers.models import SupplierActivity, SupplierProfile
from tremplin.suppliers.references import reference_counts, references_for

PAGE_SIZE = 20


def _activities():
    return Prefetch("activities", SupplierActivity.objects.select_related("cpv", "naf"))


def directory(request):
    form = DirectoryForm(request.GET or None)
    profiles = search_profiles(form.filters()).prefetch_related(
        _activities(), "perimeters__region", "perimeters__department"
    )
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = reference_counts(profile.organisation_id for profile in page.object_list)
    rows = [
        {
            "profile": profile,
            "organisation": profile.organisation,
            "activities": list(profile.activities.all()),
            "perimeter": perimeters.describe(profile),
            "references": counts.get(profile.organisation_id, 0),
        }
        for profile in page.object_list
    ]
    return render(request, "suppliers/directory.html", {"form": form, "page": page, "rows": rows})


def public_supplier_or_404(siret: str):
    """The organisation behind /fournisseurs/<siret>/: a supplier (or one with a profile); others are 404."""
    organisation = get_organisation_or_404(siret)
    profile = (
        SupplierProfile.objects.prefetch_related(_activities(), "perimeters__region", "perimeters__department")
        .filter(organisation=organisation)
        .first()
    )
    if profile is None and not organisation.is_supplier:
        raise Http404("Cette organisation n'est pas un fournisseur.")
    if profile is not None:
        profile.organisation = organisation  # already loaded with its commune and department
    return organisation, profile


def headcount_label(code: str) -> str:
    band = HEADCOUNT_BANDS.get(code or "")
    return band[0] if band and band[1] is not None else ""


def detail(request, siret):
    organisation, profile = public_supplier_or_404(siret)
    context = {
        "organisation": organisation,
        "profile": profile,
        "activities": list(profile.activities.all()) if profile else [],
        "perimeter": perimeters.describe(profile),
        "references": references_for(organisation),
        "labels": list(organisation.labels.all()),
        "sirene_headcount": headcount_label(organisation.headcount_band),
        "declared_headcount": headcount_label(profile.headcount_band) if profile else "",
        "reserved_article": reserved_market_article(organisation),
        "can_edit": policy.can_edit_supplier_profile(request.user, organisation),
    }
    return render(request, "suppliers/detail.html", context)
