"""The supplier-profile editor: activities (with a CPV search), perimeter, capacity and status.

Only the company members of the organisation and platform staff reach it (tremplin.policy); to anyone else it
does not exist (404), and anonymous people are sent to the login page first. Each section is its own form,
posted to its own URL; everything works without JavaScript (htmx only refreshes the CPV search results)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin import policy
from tremplin.organisations.models import Organisation, Role
from tremplin.organisations.views import get_organisation_or_404
from tremplin.referentials.models import CpvCode
from tremplin.suppliers import perimeters, services
from tremplin.suppliers.errors import ProfileError
from tremplin.suppliers.forms import ActivityForm, CompanyForm, CpvSearchForm, PerimeterForm, add_profile_error
from tremplin.suppliers.models import PerimeterKind, SupplierActivity

CPV_RESULTS = 15


def _editable_organisation(request, siret: str) -> Organisation:
    organisation = get_organisation_or_404(siret)
    if not policy.can_edit_supplier_profile(request.user, organisation):
        raise Http404("Organisation inconnue.")
    return organisation


def _editor_context(organisation: Organisation, section: str) -> dict:
    profile = services.profile_of(organisation)
    return {"organisation": organisation, "profile": profile, "section": section}


@login_required
def mine(request):
    """ "Mon profil fournisseur": straight to the editor for a person acting for one company, else a choice."""
    ids = policy.member_organisation_ids(request.user, {Role.COMPANY_MEMBER})
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    if len(organisations) == 1:
        return redirect("suppliers:edit", siret=organisations[0].siret)
    return render(request, "suppliers/mine.html", {"organisations": organisations})


def _cpv_results(search_form: CpvSearchForm) -> list[CpvCode] | None:
    if not search_form.is_valid() or not search_form.cleaned_data["cpv_q"].strip():
        return None
    return list(CpvCode.objects.search(search_form.cleaned_data["cpv_q"])[:CPV_RESULTS])


def _activities_page(request, organisation: Organisation, form: ActivityForm, status: int = 200):
    search_form = CpvSearchForm(request.GET or None)
    context = _editor_context(organisation, "activites")
    context.update(
        form=form,
        search_form=search_form,
        cpv_results=_cpv_results(search_form),
        activities=(
            list(context["profile"].activities.select_related("cpv", "naf")) if context["profile"] is not None else []
        ),
    )
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "suppliers/includes/cpv_results.html", context)
    return render(request, "suppliers/edit_activities.html", context, status=status)


@login_required
@require_GET
def edit(request, siret):
    organisation = _editable_organisation(request, siret)
    profile = services.profile_of(organisation)
    initial = {"cpv": request.GET.get("cpv", "")[:20]}
    if profile is None or not profile.activities.exists():
        initial["naf"] = organisation.naf_id or ""
    return _activities_page(request, organisation, ActivityForm(initial=initial))


@login_required
@require_POST
def activity_add(request, siret):
    organisation = _editable_organisation(request, siret)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            activity = services.save_activity(request.user, organisation, **form.cleaned_data)
        except ProfileError as error:
            add_profile_error(form, error)
        else:
            messages.success(request, f"L'activité « {activity} » est ajoutée à votre profil.")
            return redirect(reverse("suppliers:edit", args=[organisation.siret]) + "#activites")
    return _activities_page(request, organisation, form)


def _activity_or_404(organisation: Organisation, pk: int) -> SupplierActivity:
    return get_object_or_404(
        SupplierActivity.objects.select_related("cpv", "naf", "profile__organisation"),
        pk=pk,
        profile__organisation=organisation,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, siret, pk):
    organisation = _editable_organisation(request, siret)
    activity = _activity_or_404(organisation, pk)
    initial = {
        "cpv": activity.cpv_id or "",
        "naf": activity.naf_id or "",
        "description": activity.description,
        "service_types": activity.service_types,
    }
    form = ActivityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_activity(request.user, organisation, activity=activity, **form.cleaned_data)
        except ProfileError as error:
            add_profile_error(form, error)
        else:
            messages.success(request, "L'activité est modifiée.")
            return redirect(reverse("suppliers:edit", args=[organisation.siret]) + "#activites")
    context = _editor_context(organisation, "activites") | {"form": form, "activity": activity}
    return render(request, "suppliers/edit_activity.html", context)


@login_required
@require_POST
def activity_delete(request, siret, pk):
    organisation = _editable_organisation(request, siret)
    activity = _activity_or_404(organisation, pk)
    name = str(activity)
    services.delete_activity(request.user, activity)
    messages.success(request, f"L'activité « {name} » est supprimée.")
    return redirect(reverse("suppliers:edit", args=[organisation.siret]) + "#activites")


def _perimeter_initial(profile) -> dict:
    if profile is None:
        return {}
    rows = list(profile.perimeters.all())
    radius = next((p.radius_km for p in rows if p.kind == PerimeterKind.RADIUS), None)
    return {
        "national": any(p.kind == PerimeterKind.NATIONAL for p in rows),
        "regions": [p.region_id for p in rows if p.kind == PerimeterKind.REGION],
        "departments": ", ".join(sorted(p.department_id for p in rows if p.kind == PerimeterKind.DEPARTMENT)),
        "radius_km": radius,
    }


@login_required
@require_http_methods(["GET", "POST"])
def perimeter(request, siret):
    organisation = _editable_organisation(request, siret)
    context = _editor_context(organisation, "zone")
    form = PerimeterForm(request.POST or None, initial=_perimeter_initial(context["profile"]))
    if request.method == "POST" and form.is_valid():
        choice = services.PerimeterChoice(
            national=form.cleaned_data["national"],
            regions=list(form.cleaned_data["regions"]),
            departments=form.cleaned_data["departments"],
            radius_km=form.cleaned_data["radius_km"],
        )
        try:
            services.set_perimeter(request.user, organisation, choice)
        except ProfileError as error:
            add_profile_error(form, error)
        else:
            messages.success(request, "Votre zone d'intervention est enregistrée.")
            return redirect("suppliers:perimeter", siret=organisation.siret)
    context |= {
        "form": form,
        "phrases": perimeters.describe(context["profile"]),
        "establishment_point": perimeters.establishment_point(organisation),
    }
    return render(request, "suppliers/edit_perimeter.html", context)


def _company_initial(organisation: Organisation, profile) -> dict:
    initial = {
        "declared_size_category": organisation.declared_size_category,
        "inclusive_status": organisation.inclusive_status,
        "labels": list(organisation.labels.all()),
        "is_ess": organisation.is_ess,
        "is_esus": organisation.is_esus,
    }
    if profile is not None:
        initial |= {
            "headcount_band": profile.headcount_band,
            "turnover": f"{profile.turnover:,}".replace(",", " ") if profile.turnover is not None else "",
            "turnover_year": profile.turnover_year,
        }
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def company(request, siret):
    organisation = _editable_organisation(request, siret)
    context = _editor_context(organisation, "entreprise")
    form = CompanyForm(request.POST or None, initial=_company_initial(organisation, context["profile"]))
    if request.method == "POST" and form.is_valid():
        details = services.CompanyDetails(**{**form.cleaned_data, "labels": list(form.cleaned_data["labels"])})
        try:
            services.set_company_details(request.user, organisation, details)
        except ProfileError as error:
            add_profile_error(form, error)
        else:
            messages.success(request, "Les informations sur l'entreprise sont enregistrées.")
            return redirect("suppliers:company", siret=organisation.siret)
    return render(request, "suppliers/edit_company.html", context | {"form": form})
