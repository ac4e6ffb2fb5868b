"""Forecast pages: the public list and detail, "mes prévisions", writing a forecast with its lots, its status.

Access is decided by tremplin.policy; a forecast a person may not see (a draft of another organisation) answers
404, so as not to reveal that it exists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin import policy
from tremplin.interests import services as interest_services
from tremplin.opportunities import rules
from tremplin.opportunities.forms import ForecastFilterForm, ForecastForm, LotForm, LotFormSet, TransitionForm
from tremplin.opportunities.models import Fair, Forecast, Lot
from tremplin.opportunities.queries import Filters, public_forecasts
from tremplin.opportunities.services import (
    ForecastError,
    ForecastInvalid,
    forecast_data,
    save_forecast,
    transition,
)
from tremplin.organisations.models import Organisation

PAGE_SIZE = 20
LOTS_PREFIX = "lots"


def get_visible_forecast_or_404(user, pk: int) -> Forecast:
    forecast = get_object_or_404(Forecast.objects.select_related("buyer__commune", "cpv"), pk=pk)
    if not policy.can_view_forecast(user, forecast):
        raise Http404("Prévision inconnue.")
    return forecast


def not_a_buyer(request):
    return render(request, "opportunities/not_a_buyer.html", status=403)


def forecast_list(request):
    form = ForecastFilterForm(request.GET or None)
    form.is_valid()  # an invalid filter (unknown department…) is ignored, the valid ones apply
    filters = Filters(**getattr(form, "cleaned_data", {}))
    queryset = public_forecasts(filters).prefetch_related("departments", "communes", "lots")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_write": bool(policy.forecast_buyer_organisations(request.user))}
    return render(request, "opportunities/list.html", context)


def forecast_detail(request, pk: int):
    forecast = get_visible_forecast_or_404(request.user, pk)
    interest_services.record_view(request.user, forecast)  # the "viewed" step of the interest funnel
    user = request.user
    can_edit = policy.can_edit_forecast(user, forecast)
    data = forecast_data(forecast)
    context = {
        "forecast": forecast,
        "lots": forecast.lots.select_related("cpv"),
        "secondary": forecast.cpv_secondary.all(),
        "departments": forecast.departments.all(),
        "communes": forecast.communes.select_related("department"),
        "social_kinds": [rules.SOCIAL_KINDS.get(k, k) for k in forecast.social_kinds],
        "environmental_kinds": [rules.ENVIRONMENTAL_KINDS.get(k, k) for k in forecast.environmental_kinds],
        "reservations": [rules.RESERVATIONS[a] for a in forecast.reservations if a in rules.RESERVATIONS],
        "fairs": Fair.objects.filter(forecasts=forecast, ends_at__gte=timezone.now(), cancelled_at__isnull=True),
        "can_edit": can_edit and forecast.is_editable,
        "is_member": policy.is_member(user, forecast.buyer),
    }
    if can_edit:
        context["transitions"] = [(s, rules.TRANSITION_ACTIONS[s]) for s in rules.allowed_transitions(forecast.status)]
        context["blockers"] = rules.publication_blockers(data) if forecast.is_draft else []
        context["history"] = forecast.status_changes.select_related("by")
    return render(request, "opportunities/detail.html", context)


@login_required
def mine(request):
    user = request.user
    member_of = policy.member_organisation_ids(user)
    organisations = Organisation.objects.filter(pk__in=member_of, is_buyer=True).order_by("name")
    writable = {o.pk for o in policy.forecast_buyer_organisations(user)}
    lots = Prefetch("lots", queryset=Lot.objects.order_by("number"))
    sections = [
        {
            "organisation": organisation,
            "can_write": organisation.pk in writable,
            "forecasts": organisation.forecasts.prefetch_related(lots).order_by("-updated_at"),
            "fairs": organisation.fairs.filter(ends_at__gte=timezone.now()).order_by("starts_at"),
        }
        for organisation in organisations
    ]
    return render(request, "opportunities/mine.html", {"sections": sections})


def _selected_organisation(request, organisations: list[Organisation]) -> Organisation:
    siret = request.POST.get("organisation") or request.GET.get("organisation")
    return next((o for o in organisations if o.siret == siret), organisations[0])


def add_forecast_errors(form: ForecastForm, errors: dict[str, list[str]]) -> None:
    for name, messages_ in errors.items():
        for message in messages_:
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, message)


def _write(request, organisation: Organisation, forecast: Forecast | None):
    user = request.user
    if request.method == "POST":
        form = ForecastForm(request.POST)
        formset = LotFormSet(request.POST, prefix=LOTS_PREFIX)
        if form.is_valid() and formset.is_valid():
            data = form.to_data(formset.to_lots())
            try:
                saved = save_forecast(user, organisation, data, forecast)
            except ForecastInvalid as error:
                add_forecast_errors(form, error.errors)
            except ForecastError as error:
                form.add_error(None, str(error))
            else:
                verb = "enregistrée" if forecast else "créée (brouillon)"
                messages.success(request, f"La prévision « {saved.title} » est {verb}.")
                return redirect(saved)
    elif forecast is not None:
        data = forecast_data(forecast)
        form = ForecastForm(initial=ForecastForm.initial_from(data))
        formset = LotFormSet(initial=[LotForm.initial_from(lot) for lot in data.lots], prefix=LOTS_PREFIX)
    else:
        form = ForecastForm(initial={"contact_name": user.get_full_name(), "contact_email": user.email})
        formset = LotFormSet(prefix=LOTS_PREFIX)
    return form, formset


@login_required
def create(request):
    organisations = policy.forecast_buyer_organisations(request.user)
    if not organisations:
        return not_a_buyer(request)
    organisation = _selected_organisation(request, organisations)
    result = _write(request, organisation, None)
    if not isinstance(result, tuple):
        return result
    form, formset = result
    context = {"form": form, "formset": formset, "organisation": organisation, "organisations": organisations}
    return render(request, "opportunities/form.html", context)


@login_required
def edit(request, pk: int):
    forecast = get_visible_forecast_or_404(request.user, pk)
    if not policy.can_edit_forecast(request.user, forecast):
        raise Http404("Prévision inconnue.")
    if not forecast.is_editable:
        messages.error(request, f"Une prévision « {forecast.get_status_display()} » ne se modifie plus.")
        return redirect(forecast)
    result = _write(request, forecast.buyer, forecast)
    if not isinstance(result, tuple):
        return result
    form, formset = result
    return render(
        request,
        "opportunities/form.html",
        {"form": form, "formset": formset, "organisation": forecast.buyer, "forecast": forecast},
    )


@login_required
@require_POST
def change_status(request, pk: int):
    forecast = get_visible_forecast_or_404(request.user, pk)
    if not policy.can_edit_forecast(request.user, forecast):
        raise Http404("Prévision inconnue.")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Statut inconnu.")
        return redirect(forecast)
    try:
        forecast = transition(request.user, forecast, form.cleaned_data["target"])
    except ForecastError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"La prévision est maintenant au statut « {forecast.get_status_display()} ».")
    return redirect(forecast)
