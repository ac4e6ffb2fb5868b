"""Clause forms: attaching a clause, declaring insertion hours, declaring EGalim purchases, filtering the
summary. They work without JavaScript: the insertion inputs are simply ignored for the other clause kinds."""

import datetime
from decimal import Decimal

from django import forms

from tremplin.clauses import rules
from tremplin.clauses.models import ClauseType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_ERRORS = {"invalid": "Indiquez un nombre (par exemple 12,5).", "required": "Ce champ est obligatoire."}


class FrenchDecimalField(forms.DecimalField):
    """A number as people type it: "1 000 000", "12,5" or "12.5"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


def decimal_field(label: str, help_text: str = "", required: bool = False, **kwargs) -> forms.DecimalField:
    return FrenchDecimalField(
        label=label,
        help_text=help_text,
        required=required,
        error_messages=NUMBER_ERRORS
        | {
            "max_value": "Indiquez une valeur inférieure ou égale à %(limit_value)s.",
            "min_value": "Indiquez une valeur supérieure ou égale à %(limit_value)s.",
            "max_digits": "Ce nombre est trop long.",
            "max_decimal_places": "Au plus %(max)s décimales.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
        **kwargs,
    )


class ClauseForm(forms.Form):
    clause_type = forms.ModelChoiceField(
        label="Type de clause",
        queryset=ClauseType.objects.all(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez un type de clause.", "invalid_choice": "Type de clause inconnu."},
    )
    lot = forms.ChoiceField(label="S'applique à", required=False)
    amount_excl_vat = decimal_field("Montant HT retenu (€)", min_value=0, max_digits=14, decimal_places=2)
    labour_share = decimal_field("Part de main-d'œuvre (%)", min_value=0, max_value=100, decimal_places=2)
    insertion_rate = decimal_field("Taux d'insertion (%)", min_value=0, max_value=100, decimal_places=2)
    hourly_cost = decimal_field("Coût horaire chargé (€/h)", min_value=Decimal("0.01"), max_digits=7, decimal_places=2)
    hours_due = forms.IntegerField(
        label="Heures d'insertion dues",
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text="Laissez vide pour les calculer avec les quatre valeurs ci-dessus ; une valeur saisie prime.",
        error_messages={"invalid": "Indiquez un nombre entier d'heures.", "min_value": "Nombre négatif."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 10}),
    )
    target_percent = decimal_field(
        "Objectif (%)",
        "Poids du critère carbone, part de produits durables, part du marché réservée…",
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    target_text = forms.CharField(
        label="Objectif ou engagement",
        required=False,
        max_length=500,
        help_text="Par exemple : « réservé aux SIAE (L2113-13) », « au plus 120 000 kgCO2e », « interprète sur le "
        "chantier pour l'accueil sécurité ».",
    )
    notes = forms.CharField(
        label="Remarques", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, lots=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lots:
            self.fields["lot"].choices = [("", "Toute la prévision")] + [
                (str(lot.pk), f"Lot {lot.number} — {lot.title}") for lot in lots
            ]
            self.lots = {str(lot.pk): lot for lot in lots}
        else:
            del self.fields["lot"]
            self.lots = {}

    def clean_lot(self):
        value = self.cleaned_data.get("lot") or ""
        return self.lots.get(value)

    def targets(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in ("hours_due", "target_percent", "target_text", "notes")} | {
            name: data.get(name) for name in ("amount_excl_vat", "labour_share", "insertion_rate", "hourly_cost")
        }


class HoursForm(forms.Form):
    organisation = forms.ChoiceField(label="Vous déclarez pour")
    period_start = forms.DateField(
        label="Début de la période", widget=DATE, error_messages={"invalid": "Date invalide (jj/mm/aaaa)."}
    )
    period_end = forms.DateField(
        label="Fin de la période", widget=DATE, error_messages={"invalid": "Date invalide (jj/mm/aaaa)."}
    )
    hours = decimal_field(
        "Heures d'insertion réalisées",
        "Heures travaillées par des personnes éligibles sur la période, toutes modalités confondues.",
        required=True,
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
    )
    comment = forms.CharField(
        label="Précisions",
        required=False,
        max_length=500,
        help_text="Modalité (embauche directe, mise à disposition, sous-traitance SIAE…), nombre de personnes.",
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.siret: o for o in organisations}
        self.fields["organisation"].choices = [(o.siret, o.name) for o in organisations]
        if len(self.organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = next(iter(self.organisations))

    def clean_organisation(self):
        return self.organisations.get(self.cleaned_data["organisation"])


class EgalimForm(forms.Form):
    year = forms.IntegerField(
        label="Année",
        min_value=2019,
        error_messages={"invalid": "Indiquez une année (par exemple 2025).", "min_value": "Année trop ancienne."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    family = forms.ChoiceField(
        label="Famille de produits", choices=list(rules.FAMILIES.items()), widget=forms.RadioSelect
    )
    category = forms.ChoiceField(
        label="Catégorie EGalim", choices=list(rules.CATEGORIES.items()), widget=forms.RadioSelect
    )
    amount_excl_vat = decimal_field(
        "Montant des achats HT (€)", required=True, min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    label = forms.CharField(
        label="Précision", required=False, max_length=200, help_text="Label, fournisseur, restaurant… (facultatif)."
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > datetime.date.today().year:
            raise forms.ValidationError("Déclarez des achats de l'année en cours ou des années passées.")
        return year


class SummaryFilterForm(forms.Form):
    year = forms.IntegerField(
        label="Année de notification",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": "Indiquez une année (par exemple 2025)."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    department = forms.CharField(
        label="Département (code)", required=False, max_length=3, widget=forms.TextInput(attrs={"size": 4})
    )
    buyer = forms.CharField(
        label="SIRET de l'acheteur",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 16}),
    )

    def clean_department(self):
        return self.cleaned_data["department"].strip().upper()

    def clean_buyer(self):
        return "".join(self.cleaned_data["buyer"].split())
