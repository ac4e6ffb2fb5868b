"""Carbon pages: the public list of emission factors, the organisation's estimates (create, edit, lines, printable
summary). Access is decided by tremplin.policy through the services; an estimate a person may not see is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin import policy
from tremplin.carbon import rules, services
from tremplin.carbon.forms import LINE_FORMS, EstimateForm, FactorSearchForm
from tremplin.carbon.models import EmissionFactor, EstimateLine
from tremplin.core.text import search_words

PAGE_SIZE = 30


def index(request):
    return redirect("carbon:factors")


def factors(request):
    form = FactorSearchForm(request.GET or None)
    queryset = EmissionFactor.objects.all()
    if form.is_valid():
        for word in search_words(form.cleaned_data["q"]):
            queryset = queryset.filter(search_text__contains=word)
        if form.cleaned_data["kind"]:
            queryset = queryset.filter(kind=form.cleaned_data["kind"])
        if on := form.cleaned_data["date"]:
            queryset = queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
    page = Paginator(queryset.order_by("kind", "name", "-valid_from"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "total": EmissionFactor.objects.count(),
        "can_import": policy.can_import_emission_factors(request.user),
    }
    return render(request, "carbon/factors.html", context)


def _estimate_or_404(user, pk):
    try:
        return services.get_estimate_for(user, pk)
    except services.EstimateNotFound as error:
        raise Http404("Estimation inconnue.") from error


def _editable_or_404(user, pk):
    estimate = _estimate_or_404(user, pk)
    if not policy.can_edit_carbon_estimate(user, estimate):
        raise Http404("Estimation inconnue.")
    return estimate


@login_required
def estimates(request):
    user = request.user
    visible = services.visible_estimates(user).order_by("-updated_at", "-pk")
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = policy.member_organisation_ids(user)
    return render(
        request,
        "carbon/estimates.html",
        {
            "page": page,
            "mine": mine,
            "can_create": bool(policy.carbon_estimate_organisations(user)),
        },
    )


@login_required
def estimate_create(request):
    organisations = policy.carbon_estimate_organisations(request.user)
    if not organisations:
        return render(request, "carbon/estimate_form.html", {"form": None}, status=403)
    initial = {"reference_date": timezone.localdate(), "forecast": request.GET.get("prevision", "")}
    form = EstimateForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            estimate = services.create_estimate(
                request.user, form.cleaned_data["organisation"], **form.estimate_fields()
            )
        except services.EstimateError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Estimation créée : ajoutez maintenant ses lignes.")
            return redirect(estimate)
    return render(request, "carbon/estimate_form.html", {"form": form, "estimate": None})


@login_required
def estimate_edit(request, pk):
    estimate = _editable_or_404(request.user, pk)
    form = EstimateForm.for_estimate(estimate, [estimate.organisation], request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problems = services.update_estimate(request.user, estimate, **form.estimate_fields())
        except services.EstimateError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Estimation enregistrée.")
            for problem in problems:
                messages.error(request, f"Ligne non recalculée — {problem}")
            return redirect(estimate)
    return render(request, "carbon/estimate_form.html", {"form": form, "estimate": estimate})


def _line_forms(estimate, data=None, section=None):
    forms = {}
    for name, form_class in LINE_FORMS.items():
        factors = services.factors_valid_on(estimate.reference_date, rules.SECTION_KIND[name])
        forms[name] = form_class(data if name == section else None, factors=factors)
    return forms


def _detail_context(request, estimate, line_forms=None):
    lines = list(estimate.lines.select_related("factor"))
    totals = rules.totals((line.section, line.kgco2e) for line in lines)
    sections = [
        {
            "key": key,
            "label": label,
            "lines": [line for line in lines if line.section == key],
            "total": totals.by_section()[key],
        }
        for key, label in rules.SECTIONS.items()
    ]
    can_edit = policy.can_edit_carbon_estimate(request.user, estimate)
    return {
        "estimate": estimate,
        "sections": sections,
        "totals": totals,
        "can_edit": can_edit,
        "line_forms": (line_forms or _line_forms(estimate)) if can_edit else {},
        "rounding": rules.ROUNDING_NOTE,
        "modes": rules.TRANSPORT_MODES,
    }


@login_required
def estimate_detail(request, pk):
    estimate = _estimate_or_404(request.user, pk)
    return render(request, "carbon/estimate_detail.html", _detail_context(request, estimate))


@login_required
def estimate_summary(request, pk):
    estimate = _estimate_or_404(request.user, pk)
    context = _detail_context(request, estimate)
    context["line_forms"] = {}
    return render(request, "carbon/estimate_summary.html", context)


@login_required
@require_POST
def line_add(request, pk, section):
    estimate = _editable_or_404(request.user, pk)
    if section not in LINE_FORMS:
        raise Http404("Section inconnue.")
    forms = _line_forms(estimate, request.POST, section)
    form = forms[section]
    if form.is_valid():
        data = services.LineData(
            section=section,
            description=form.cleaned_data["description"],
            factor_reference=form.cleaned_data["factor"],
            **form.line_fields(),
        )
        try:
            services.add_line(request.user, estimate, data)
        except services.EstimateError as error:
            form.add_rule_error(error.field, str(error))
        else:
            messages.success(request, f"Ligne « {data.description} » ajoutée.")
            return redirect(f"{estimate.get_absolute_url()}#section-{section}")
    context = _detail_context(request, estimate, forms)
    context["open_section"] = section
    return render(request, "carbon/estimate_detail.html", context, status=422)


@login_required
@require_POST
def line_delete(request, pk, line_pk):
    estimate = _editable_or_404(request.user, pk)
    line = get_object_or_404(EstimateLine, pk=line_pk, estimate=estimate)
    services.delete_line(request.user, line)
    messages.success(request, f"Ligne « {line.description} » supprimée.")
    return redirect(estimate)


@login_required
@require_POST
def estimate_recompute(request, pk):
    estimate = _editable_or_404(request.user, pk)
    problems = services.recompute(request.user, estimate)
    messages.success(request, "Lignes recalculées avec les facteurs valides à la date de référence.")
    for problem in problems:
        messages.error(request, f"Ligne non recalculée — {problem}")
    return redirect(estimate)


@login_required
def estimate_delete(request, pk):
    """GET: a confirmation page (works without JavaScript); POST: the deletion."""
    estimate = _editable_or_404(request.user, pk)
    if request.method != "POST":
        return render(request, "carbon/estimate_delete.html", {"estimate": estimate, "lines": estimate.lines.count()})
    services.delete_estimate(request.user, estimate)
    messages.success(request, f"Estimation « {estimate.title} » supprimée.")
    return redirect("carbon:estimates")
