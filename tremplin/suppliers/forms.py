"""Forms of the supplier pages: an activity, the perimeter, the capacity and status, the CPV search and the
directory filters. Typed codes are read by `codes.py`, as in the API."""

import re

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from tremplin.organisations.models import InclusiveStatus, Label, SizeCategory
from tremplin.referentials.models import Department, Region
from tremplin.suppliers import codes, directory, rules
from tremplin.suppliers.errors import ProfileError
from tremplin.suppliers.models import HEADCOUNT_CHOICES
from tremplin.suppliers.services import MAX_DESCRIPTION

SERVICE_TYPE_CHOICES = list(rules.SERVICE_TYPES.items())


def add_profile_error(form: forms.Form, error: ProfileError) -> None:
    """Show a use-case error on its field when the form has it, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, str(error))


class ActivityForm(forms.Form):
    cpv = forms.CharField(
        label="Code CPV",
        required=False,
        max_length=200,
        help_text="8 chiffres, par ex. 45210000 (travaux de construction de bâtiments). Un code général (45000000) "
        "couvre toute sa division. La recherche de codes CPV vous aide à le trouver.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    naf = forms.CharField(
        label="Code NAF",
        required=False,
        max_length=100,
        help_text="Facultatif si vous indiquez un code CPV. Par ex. 43.21A ; celui de votre fiche SIRENE est proposé.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 10, "spellcheck": "false"}),
    )
    service_types = forms.MultipleChoiceField(
        label="Types de prestation",
        choices=SERVICE_TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un type de prestation."},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=MAX_DESCRIPTION,
        help_text="Ce que vous faites dans ce domaine, avec vos mots : savoir-faire, références, moyens.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_cpv(self):
        try:
            return codes.resolve_cpv(self.cleaned_data["cpv"])
        except ProfileError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_naf(self):
        try:
            return codes.resolve_naf(self.cleaned_data["naf"])
        except ProfileError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("cpv") is None and cleaned.get("naf") is None:
            self.add_error("cpv", "Indiquez un code CPV, un code NAF, ou les deux.")
        return cleaned


class CpvSearchForm(forms.Form):
    cpv_q = forms.CharField(
        label="Rechercher un code CPV",
        required=False,
        max_length=100,
        help_text="Des mots (par ex. « nettoyage de locaux ») ou le début d'un code (par ex. 4521).",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def regions_in_display_order():
    """Metropolitan regions first, then overseas regions, then overseas collectivities; by name in each."""
    zone_order = Case(
        When(zone="metro", then=Value(0)),
        When(zone="drom", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return Region.objects.order_by(zone_order, "search_text")


class RegionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PerimeterForm(forms.Form):
    national = forms.BooleanField(
        label="Toute la France",
        required=False,
        help_text="Vous intervenez partout, outre-mer compris : les autres choix sont alors inutiles.",
    )
    regions = RegionChoiceField(
        label="Régions",
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.CharField(
        label="Départements",
        required=False,
        max_length=500,
        help_text="Codes INSEE séparés par des virgules, par ex. 69, 42, 01 (2A et 2B pour la Corse, 971 à 976 "
        "pour l'outre-mer).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    radius_km = forms.IntegerField(
        label="Rayon autour de votre établissement (km)",
        required=False,
        min_value=rules.RADIUS_KM_MIN,
        max_value=rules.RADIUS_KM_MAX,
        help_text="Par ex. 50. Le centre est la commune de l'établissement indiquée sur la fiche de l'organisation.",
        error_messages={
            "invalid": "Indiquez un nombre entier de kilomètres.",
            "min_value": f"Le rayon doit être compris entre {rules.RADIUS_KM_MIN} et {rules.RADIUS_KM_MAX} km.",
            "max_value": f"Le rayon doit être compris entre {rules.RADIUS_KM_MIN} et {rules.RADIUS_KM_MAX} km.",
        },
        widget=forms.NumberInput(attrs={"size": 6, "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = regions_in_display_order()

    def clean_departments(self):
        try:
            return codes.resolve_departments(self.cleaned_data["departments"])
        except ProfileError as error:
            raise forms.ValidationError(str(error)) from error


_EUROS_NOISE = re.compile(r"[\s\u00a0\u202f€]+|eur(os?)?$", re.IGNORECASE)


class EurosField(forms.Field):
    """A whole amount in euros, typed as people write it: "1 250 000", "1250000 €"."""

    widget = forms.TextInput

    def to_python(self, value):
        text = _EUROS_NOISE.sub("", str(value or "").strip())
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise forms.ValidationError("Indiquez un montant entier en euros, par ex. 1 250 000.")
        if len(text) > 15:
            raise forms.ValidationError("Ce montant est trop grand.")
        return int(text)


class CompanyForm(forms.Form):
    headcount_band = forms.ChoiceField(
        label="Effectif salarié",
        required=False,
        choices=[("", "Non renseigné"), *HEADCOUNT_CHOICES],
        help_text="Tranche de l'INSEE. Celle du répertoire SIRENE, quand elle existe, reste la référence pour la "
        "taille de l'entreprise.",
    )
    turnover = EurosField(
        label="Chiffre d'affaires annuel (en euros)",
        required=False,
        help_text="Montant exact hors taxes, par ex. 1 250 000. Il est publié sur votre profil.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 30}),
    )
    turnover_year = forms.IntegerField(
        label="Exercice de ce chiffre d'affaires",
        required=False,
        help_text="L'année de clôture, par ex. 2024.",
        error_messages={"invalid": "Indiquez une année, par ex. 2024."},
        widget=forms.NumberInput(attrs={"size": 6, "inputmode": "numeric"}),
    )
    declared_size_category = forms.ChoiceField(
        label="Taille de l'entreprise",
        required=False,
        choices=[("", "Non renseignée"), *SizeCategory.choices],
        help_text="Utilisée seulement quand le répertoire SIRENE ne renseigne pas la taille.",
    )
    inclusive_status = forms.ChoiceField(
        label="Statut de l'économie inclusive",
        required=False,
        choices=[("", "Aucun"), *InclusiveStatus.choices],
        help_text="Structure d'insertion (SIAE), entreprise adaptée ou ESAT : vous pouvez alors répondre aux "
        "marchés réservés.",
    )
    labels = forms.ModelMultipleChoiceField(
        label="Labels",
        queryset=Label.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_ess = forms.BooleanField(label="Entreprise de l'économie sociale et solidaire (ESS)", required=False)
    is_esus = forms.BooleanField(label="Agrément « entreprise solidaire d'utilité sociale » (ESUS)", required=False)

    def clean(self):
        cleaned = super().clean()
        if "turnover" in cleaned and "turnover_year" in cleaned:
            errors = rules.check_turnover(cleaned["turnover"], cleaned["turnover_year"], timezone.localdate().year)
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class DirectoryForm(forms.Form):
    q = forms.CharField(
        label="Nom ou SIRET",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    cpv = forms.CharField(
        label="Code CPV",
        required=False,
        max_length=20,
        help_text="Début de code : 45, 4521…",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    department = DepartmentChoiceField(
        label="Département couvert",
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="Tous les départements",
        error_messages={"invalid_choice": "Département inconnu."},
    )
    inclusive = forms.ChoiceField(label="Économie inclusive", required=False, choices=directory.INCLUSIVE_CHOICES)
    size = forms.ChoiceField(label="Taille", required=False, choices=directory.SIZE_CHOICES)

    def clean_cpv(self):
        try:
            return directory.cpv_prefix(self.cleaned_data["cpv"])
        except ProfileError as error:
            raise forms.ValidationError(str(error)) from error

    def filters(self) -> directory.DirectoryFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return directory.DirectoryFilters(
            q=data.get("q", ""),
            cpv=data.get("cpv", ""),
            department=data.get("department"),
            inclusive=data.get("inclusive", ""),
            size=data.get("size", ""),
        )
