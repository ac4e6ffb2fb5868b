"""Matching pages: a company's ranked opportunities, the need form ("Trouver des fournisseurs"), and the suppliers
ranked for a forecast and each of its lots."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from tremplin import policy
from tremplin.matching import services
from tremplin.matching.forms import NeedForm, OpportunityFilterForm
from tremplin.matching.types import SupplierQuery
from tremplin.opportunities.models import Forecast
from tremplin.suppliers.models import SupplierProfile

SAVE_SEARCH_PATH = "/alertes/nouvelle/"  # alerts:create, built by the alerts app


def _my_profiles(user) -> list[SupplierProfile]:
    ids = [o.pk for o in policy.fair_registrant_organisations(user)]
    return list(SupplierProfile.objects.filter(organisation_id__in=ids).select_related("organisation__commune"))


@login_required
def opportunities(request):
    profiles = _my_profiles(request.user)
    form = OpportunityFilterForm(request.GET or None)
    context = {"form": form, "profiles": profiles, "profile": None, "matches": [], "count": 0}
    if profiles:
        chosen = request.GET.get("siret")
        profile = next((p for p in profiles if p.organisation.siret == chosen), profiles[0])
        query = services.query_for_profile(profile)
        filters = form.cleaned_data if form.is_valid() else {}
        if filters.get("type"):
            query = services.replace(query, kinds=(filters["type"],))
        if filters.get("departement"):
            query = services.replace(
                query, departments=(filters["departement"].upper(),), regions=(), national=False, radius_km=None
            )
        if filters.get("texte"):
            query = services.replace(query, text=filters["texte"])
        page = services.match_opportunities(query, limit=30)
        save = {
            # Only the words the person typed: the profile's own text (its description, "D'après 15 marchés
            # remportés." on pre-filled profiles) is no keyword list and made a nonsense search name.
            "text": filters.get("texte", "")[:200],
            "cpv": " ".join(query.cpv),
            "departement": " ".join(query.departments),
            "type": filters.get("type", ""),
        }
        context.update(
            profile=profile,
            matches=page.items,
            count=page.count,
            save_url=f"{SAVE_SEARCH_PATH}?{urlencode({k: v for k, v in save.items() if v})}",
        )
    return render(request, "matching/opportunities.html", context)


def suppliers(request):
    form = NeedForm(request.GET or None)
    matches, count = None, 0
    if form.is_valid():
        data = form.cleaned_data
        query = SupplierQuery(
            text=data["text"],
            cpv=tuple(data["cpv"].replace(",", " ").split()),
            departments=(data["department"],) if data["department"] else (),
            commune=data["commune"],
            amount=data["amount"],
            filters=tuple(data["filters"]),
        )
        try:
            query = services.check_supplier_query(query)
        except services.MatchingError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            page = services.match_suppliers(query, limit=30)
            matches, count = page.items, page.count
    return render(request, "matching/suppliers.html", {"form": form, "matches": matches, "count": count})


def visible_forecast_or_404(user, pk: int) -> Forecast:
    forecast = get_object_or_404(Forecast.objects.select_related("buyer"), pk=pk)
    if not policy.can_view_forecast(user, forecast):
        raise Http404("Prévision introuvable.")
    return forecast


def forecast_suppliers(request, pk: int):
    forecast = visible_forecast_or_404(request.user, pk)
    needs = [("La prévision entière", services.search_suppliers(services.query_for_forecast(forecast), limit=10))]
    for lot in forecast.lots.all():
        needs.append((str(lot), services.search_suppliers(services.query_for_forecast(forecast, lot), limit=10)))
    return render(request, "matching/forecast.html", {"forecast": forecast, "needs": needs})
