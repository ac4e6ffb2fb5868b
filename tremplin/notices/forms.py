"""The notice search form (GET): used by the list page and, for the same validation and French messages, by the
API."""

from django import forms

from tremplin.notices import rules
from tremplin.notices.models import PROCEDURES
from tremplin.notices.search import SHOW_CHOICES, SHOW_OPEN
from tremplin.referentials.models import Department

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CheckboxInput(forms.CheckboxInput):
    """A checkbox that, typed in a URL, also reads 0 / non / no / off as unchecked (Django reads them as True).
    Its class name keeps the widget type "checkbox" that core/includes/field.html relies on."""

    FALSE = {"", "0", "false", "non", "no", "off"}

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if isinstance(value, str):
            return value.strip().lower() not in self.FALSE
        return bool(value)


class DepartmentChoiceField(forms.ChoiceField):
    """A department picked from the list; as typed in a URL, "2a" or "1" are understood as 2A and 01."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        try:
            return rules.department_code(value) if value else ""
        except rules.FilterValueError:
            return value


class NoticeSearchForm(forms.Form):
    show = forms.ChoiceField(label="Avis affichés", choices=SHOW_CHOICES, required=False)
    q = forms.CharField(
        label="Mots-clés",
        required=False,
        max_length=100,
        help_text="Dans l'objet, le nom de l'acheteur ou la ville.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    cpv = forms.CharField(
        label="Code CPV",
        required=False,
        max_length=20,
        help_text="Le début du code suffit : 45 pour tous les travaux, 4521 ou 45214200 pour être plus précis.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    department = forms.CharField(
        label="Département du lieu d'exécution",
        required=False,
        max_length=3,
        help_text="Code du département, par exemple 69, 2A ou 974.",
    )
    deadline_from = forms.DateField(
        label="Date limite à partir du", required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    deadline_to = forms.DateField(
        label="Date limite jusqu'au", required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    procedure = forms.ChoiceField(
        label="Procédure", required=False, choices=[("", "Toutes les procédures"), *((p, p) for p in PROCEDURES)]
    )
    reserved = forms.BooleanField(
        label="Marchés réservés uniquement",
        required=False,
        widget=CheckboxInput(),
        help_text="Réservés aux structures d'insertion (SIAE), entreprises adaptées, ESAT ou entreprises de l'ESS "
        "(code de la commande publique, L2113-12 à L2113-15).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = list(Department.objects.order_by("code").values_list("code", "name"))
        if departments:  # a list to choose from when the reference data is loaded, else the code to type
            field = self.fields["department"]
            self.fields["department"] = DepartmentChoiceField(
                label=field.label,
                required=False,
                choices=[("", "Tous les départements"), *((code, f"{code} — {name}") for code, name in departments)],
                error_messages={"invalid_choice": "Département inconnu : choisissez-en un dans la liste."},
            )
        for name in ("deadline_from", "deadline_to"):
            self.fields[name].error_messages["invalid"] = "Date invalide : indiquez-la au format JJ/MM/AAAA."
        self.fields["show"].error_messages["invalid_choice"] = "Choix inconnu pour les avis affichés."
        self.fields["procedure"].error_messages["invalid_choice"] = (
            "Procédure inconnue : choisissez-en une dans la liste."
        )

    def clean_show(self) -> str:
        return self.cleaned_data["show"] or SHOW_OPEN

    def clean_cpv(self) -> str:
        raw = self.cleaned_data["cpv"].strip()
        if not raw:
            return ""
        try:
            return rules.cpv_prefix(raw)
        except rules.FilterValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_department(self) -> str:
        raw = (self.cleaned_data["department"] or "").strip()
        if not raw:
            return ""
        try:
            return rules.department_code(raw)
        except rules.FilterValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("deadline_from"), cleaned.get("deadline_to")
        if start and end and start > end:
            self.add_error("deadline_to", "Cette date doit être postérieure ou égale à la date de début.")
        return cleaned
