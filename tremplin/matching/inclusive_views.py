"""Pages of the inclusive potential (a forecast, a free need), of the partner finder, and the forecast-page card.

Thin: the use cases are in inclusive_services / partners_services, access in tremplin.policy; a forecast the
person may not see answers 404."""

from __future__ import annotations

import re

from django import forms
from django.http import Http404
from django.shortcuts import render

from tremplin.matching import inclusive
from tremplin.matching.inclusive_services import (
    ForecastNotFound,
    forecast_potential,
    free_need_potential,
    visible_forecast,
)
from tremplin.matching.partners_services import find_partners, supplier_viewpoints
from tremplin.referentials.models import CpvCode, Department
from tremplin.referentials.rules import normalize_cpv

MAX_AMOUNT = 10**11  # euros: beyond, a typing error


def _forecast_or_404(user, pk: int):
    try:
        return visible_forecast(user, pk)
    except ForecastNotFound as error:
        raise Http404(str(error)) from error


def _thresholds() -> list[str]:
    return list(inclusive.THRESHOLDS.values())


def forecast_view(request, pk: int):
    forecast = _forecast_or_404(request.user, pk)
    result = forecast_potential(request.user, forecast)
    return render(
        request,
        "matching/inclusive_forecast.html",
        {"forecast": forecast, "result": result, "thresholds": _thresholds()},
    )


def card_view(request, pk: int):
    """The short card of the forecast page (loaded after the page, so that it never slows it down)."""
    forecast = _forecast_or_404(request.user, pk)
    result = forecast_potential(request.user, forecast)
    return render(request, "matching/inclusive_card.html", {"forecast": forecast, "result": result})


class PartnerViewpointForm(forms.Form):
    fournisseur = forms.ChoiceField(label="Du point de vue de", required=False)

    def __init__(self, data, organisations):
        super().__init__(data)
        self.organisations = {organisation.siret: organisation for organisation in organisations}
        self.fields["fournisseur"].choices = [
            ("", "Aucune entreprise : un groupement complet"),
            *((o.siret, o.name) for o in organisations),
        ]
        self.fields["fournisseur"].error_messages["invalid_choice"] = "Choisissez l'une de vos entreprises, ou aucune."

    def lead(self):
        return self.organisations.get(self.cleaned_data.get("fournisseur", "")) if self.is_valid() else None


def partners_view(request, pk: int):
    forecast = _forecast_or_404(request.user, pk)
    organisations = supplier_viewpoints(request.user)
    if "fournisseur" in request.GET:
        form = PartnerViewpointForm(request.GET, organisations)
    else:
        initial = {"fournisseur": organisations[0].siret if organisations else ""}
        form = PartnerViewpointForm(initial, organisations)
    finder = find_partners(request.user, forecast, form.lead())
    return render(
        request,
        "matching/partners_forecast.html",
        {"forecast": forecast, "finder": finder, "form": form, "has_viewpoints": bool(organisations)},
    )


class NeedForm(forms.Form):
    text = forms.CharField(
        label="Description du besoin",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Quelques mots sur ce que vous achetez : « entretien des espaces verts », « traiteur »…",
    )
    cpv = forms.CharField(
        label="Code CPV",
        max_length=12,
        required=False,
        help_text="8 chiffres, avec ou sans clé : 45210000 ou 45210000-2.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    department = forms.ModelChoiceField(
        label="Département d'exécution",
        queryset=Department.objects.order_by("code"),
        empty_label="Choisissez un département",
        error_messages={
            "required": "Indiquez le département où le besoin sera exécuté.",
            "invalid_choice": "Département inconnu.",
        },
    )
    amount = forms.CharField(
        label="Montant estimé (€ HT, par an)",
        max_length=20,
        required=False,
        help_text="Par exemple 90 000. Sert à mesurer la dépendance économique des structures.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_cpv(self) -> str:
        raw = self.cleaned_data["cpv"].strip()
        if not raw:
            return ""
        try:
            code = normalize_cpv(raw)
        except ValueError as error:
            raise forms.ValidationError("Code CPV mal formé : 8 chiffres, par exemple 45210000.") from error
        if not CpvCode.objects.filter(code=code).exists():
            raise forms.ValidationError(f"Code CPV inconnu : {code}.")
        return code

    def clean_amount(self) -> int | None:
        raw = re.sub(r"[\s\u00a0\u202f€]", "", self.cleaned_data["amount"])
        raw = re.sub(r"[,.]00?$", "", raw)
        if not raw:
            return None
        if not raw.isascii() or not raw.isdigit():
            raise forms.ValidationError("Montant mal formé : un nombre entier d'euros, par exemple 90 000.")
        amount = int(raw)
        if amount > MAX_AMOUNT:
            raise forms.ValidationError("Montant trop élevé : vérifiez le nombre de zéros.")
        return amount

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("text", "").strip() and not data.get("cpv"):
            raise forms.ValidationError("Décrivez le besoin ou indiquez un code CPV : sans eux, rien à comparer.")
        return data


def need_view(request):
    """A GET form (nothing is stored): the result shows under the form and the address can be shared."""
    form = NeedForm(request.GET) if request.GET else NeedForm()
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        result = free_need_potential(data["text"].strip(), data["cpv"], data["department"].code, data["amount"])
    return render(
        request, "matching/inclusive_need.html", {"form": form, "result": result, "thresholds": _thresholds()}
    )
