"""Forms of the carbon pages: the estimate, one form per line section, the factor search and the CSV import."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from tremplin.carbon import rules
from tremplin.carbon.imports import MAX_UPLOAD_BYTES, decode
from tremplin.carbon.models import Estimate
from tremplin.contracts.models import Contract
from tremplin.core.form_fields import DayField
from tremplin.core.parsing import parse_decimal
from tremplin.opportunities.models import Forecast

MAX_NUMBER = Decimal(10) ** 12


class NumberField(forms.CharField):
    """A positive number as typed in France: "1 200,5", "0.25"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            number = parse_decimal(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        if number < 0:
            raise forms.ValidationError("Indiquez un nombre positif.")
        if number >= MAX_NUMBER or abs(number.as_tuple().exponent) > 6:
            raise forms.ValidationError("Nombre hors limites (6 décimales au plus, moins de mille milliards).")
        return number


class EstimateForm(forms.Form):
    organisation = forms.TypedChoiceField(label="Pour l'organisation", coerce=int)
    title = forms.CharField(
        label="Intitulé",
        max_length=200,
        help_text="Par exemple « Offre lot 2 — mobilier scolaire » ou « Lot 1 — restauration collective ».",
    )
    reference_date = DayField(
        label="Date de référence",
        help_text="Les facteurs d'émission utilisés sont ceux valides à cette date (JJ/MM/AAAA).",
    )
    forecast = forms.IntegerField(
        label="Numéro de la prévision d'achat (facultatif)",
        required=False,
        min_value=1,
        help_text="Le nombre à la fin de l'adresse de la prévision, par exemple 42 pour /previsions/42/.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )
    lot = forms.IntegerField(
        label="Numéro du lot (facultatif)",
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
    )
    contract = forms.CharField(
        label="Clé du marché attribué (facultatif)",
        required=False,
        max_length=120,
        help_text="Affichée sur la page du marché : pour une estimation faite après l'attribution.",
    )
    shared_with_buyer = forms.BooleanField(
        label="Partager cette estimation avec l'acheteur de la prévision",
        required=False,
        help_text="Ses agents pourront la consulter, sans la modifier.",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk

    @classmethod
    def for_estimate(cls, estimate: Estimate, organisations, data=None):
        initial = {
            "organisation": estimate.organisation_id,
            "title": estimate.title,
            "reference_date": estimate.reference_date,
            "forecast": estimate.forecast_id,
            "lot": estimate.lot.number if estimate.lot else None,
            "contract": estimate.contract.key if estimate.contract else "",
            "shared_with_buyer": estimate.shared_with_buyer,
        }
        form = cls(data, organisations=organisations, initial=initial)
        form.fields["organisation"].disabled = True
        form.fields["organisation"].choices = [(estimate.organisation_id, estimate.organisation.name)]
        form.organisations = {estimate.organisation_id: estimate.organisation}
        return form

    def clean(self):
        data = super().clean()
        organisation = self.organisations.get(data.get("organisation"))
        if organisation is None and "organisation" not in self.errors:
            self.add_error("organisation", "Choisissez l'une de vos organisations.")
        forecast_id, lot_number, key = data.get("forecast"), data.get("lot"), (data.get("contract") or "").strip()
        forecast = lot = contract = None
        if forecast_id:
            forecast = Forecast.objects.select_related("buyer").filter(pk=forecast_id).first()
            if forecast is None:
                self.add_error("forecast", "Aucune prévision d'achat ne porte ce numéro.")
        if lot_number:
            if not forecast_id:
                self.add_error("lot", "Indiquez aussi le numéro de la prévision.")
            elif forecast is not None:
                lot = forecast.lots.filter(number=lot_number).first()
                if lot is None:
                    self.add_error("lot", "Cette prévision n'a pas de lot portant ce numéro.")
        if key:
            contract = Contract.objects.filter(key=key).first()
            if contract is None:
                self.add_error("contract", "Aucun marché attribué ne porte cette clé.")
        if data.get("shared_with_buyer") and not forecast_id:
            self.add_error("shared_with_buyer", "Le partage suppose une prévision d'achat liée.")
        if not self.errors:
            data.update(organisation=organisation, forecast=forecast, lot=lot, contract=contract)
        return data

    def estimate_fields(self) -> dict:
        names = ("title", "reference_date", "forecast", "lot", "contract", "shared_with_buyer")
        return {name: self.cleaned_data[name] for name in names}


def factor_choices(factors) -> list[tuple[str, str]]:
    return [("", "Choisissez un facteur")] + [
        (
            f.source_reference,
            f"{f.name} — {f.value.normalize():f} kgCO2e/{f.get_unit_display()} ({f.source_name})",
        )
        for f in factors
    ]


class LineForm(forms.Form):
    section = ""
    description = forms.CharField(label="Description", max_length=200)
    factor = forms.ChoiceField(label="Facteur d'émission")

    def __init__(self, *args, factors, **kwargs):
        kwargs.setdefault("prefix", self.section)
        super().__init__(*args, **kwargs)
        self.fields["factor"].choices = factor_choices(factors)
        self.has_factors = bool(factors)

    def add_rule_error(self, field: str, message: str) -> None:
        self.add_error(field if field in self.fields else None, message)


class ProductionLineForm(LineForm):
    section = rules.PRODUCTION
    quantity = NumberField(label="Quantité")
    unit = forms.ChoiceField(
        label="Unité de la quantité",
        choices=[(code, rules.unit_label(code)) for code in rules.KIND_UNITS[rules.KIND_PRODUCTION]],
        help_text="Elle doit correspondre à l'unité du facteur (kg ou t pour un facteur par kg…).",
    )

    def line_fields(self) -> dict:
        return {"quantity": self.cleaned_data["quantity"], "unit": self.cleaned_data["unit"]}


class TransportLineForm(LineForm):
    section = rules.TRANSPORT
    tonnes = NumberField(label="Tonnes transportées")
    km = NumberField(label="Distance (km)")

    def line_fields(self) -> dict:
        return {"tonnes": self.cleaned_data["tonnes"], "km": self.cleaned_data["km"]}


class UseLineForm(LineForm):
    section = rules.USE
    energy_per_year = NumberField(label="Consommation par an")
    unit = forms.ChoiceField(
        label="Unité de la consommation",
        choices=[(code, rules.unit_label(code)) for code in rules.KIND_UNITS[rules.KIND_ENERGY]],
    )
    years = NumberField(label="Durée d'utilisation (années)")

    def line_fields(self) -> dict:
        names = ("energy_per_year", "unit", "years")
        return {name: self.cleaned_data[name] for name in names}


LINE_FORMS = {form.section: form for form in (ProductionLineForm, TransportLineForm, UseLineForm)}


class FactorSearchForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "Tous"), *rules.KINDS.items()])
    date = DayField(label="Valides au", required=False)


class FactorUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV des facteurs",
        help_text="Séparateur point-virgule ou virgule, virgule décimale acceptée, UTF-8 (avec ou sans BOM) ; "
        "1 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    source = forms.CharField(
        label="Source par défaut (facultatif)",
        required=False,
        max_length=200,
        help_text="Utilisée pour les lignes dont la colonne « source » est vide.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers.")
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Envoyez un fichier CSV (extension .csv).")
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError("Ce fichier n'est pas un fichier texte CSV.")
        try:
            return upload.name, decode(raw)
        except ValueError as error:  # pragma: no cover - cp1252 decodes almost anything
            raise forms.ValidationError(str(error)) from error


class FactorConfirmForm(forms.Form):
    """The previewed file comes back as text; it is checked again before anything is saved."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_UPLOAD_BYTES * 2, strip=False)
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    file_name = forms.CharField(widget=forms.HiddenInput, max_length=255)
