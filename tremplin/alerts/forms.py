"""The saved-search form, shared by the pages and the API (same checks, same French messages)."""

from django import forms

from tremplin import policy
from tremplin.alerts import rules
from tremplin.core.text import search_key
from tremplin.matching.types import OPPORTUNITY_KINDS
from tremplin.referentials.models import CpvCode, Department, Region

MAX_CODES = 50
MAX_AMOUNT = 10**12


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        label="Nom de la recherche",
        max_length=120,
        help_text="Pour la reconnaître dans vos e-mails, par exemple « Menuiserie dans le Rhône ».",
    )
    organisation = forms.TypedChoiceField(
        label="Pour l'entreprise",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Les opportunités reçues sont alors signalées comme « notifiées » dans le suivi de l'entreprise.",
        error_messages={"invalid_choice": "Choisissez une entreprise dont vous êtes membre."},
    )
    text = forms.CharField(
        label="Mots-clés",
        max_length=200,
        required=False,
        help_text="Dans l'intitulé ou la description, par exemple « menuiserie bois ».",
    )
    cpv = forms.CharField(
        label="Codes CPV",
        max_length=1000,
        required=False,
        help_text="Séparés par des virgules, par exemple 45214200, 45000000. Un code de division (45000000) couvre "
        "toute la division.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    departments = forms.CharField(
        label="Départements",
        max_length=500,
        required=False,
        help_text="Codes séparés par des virgules, par exemple 69, 01, 2A. Vide : toute la France.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    regions = forms.MultipleChoiceField(label="Régions", required=False, widget=forms.CheckboxSelectMultiple)
    kinds = forms.MultipleChoiceField(
        label="Types d'opportunité",
        choices=rules.KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un type d'opportunité."},
    )
    min_amount = forms.IntegerField(
        label="Montant estimé minimum (euros HT)",
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text="Vide : pas de minimum. Les montants inconnus sont retenus.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    max_amount = forms.IntegerField(
        label="Montant estimé maximum (euros HT)",
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text="Vide : pas de maximum. Les montants inconnus sont retenus.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    frequency = forms.ChoiceField(
        label="Fréquence des e-mails", choices=rules.FREQUENCY_CHOICES, widget=forms.RadioSelect
    )
    is_active = forms.BooleanField(label="Recevoir les nouvelles opportunités par e-mail", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.organisations = {org.pk: org for org in policy.saved_search_organisations(user)}
        self.fields["organisation"].choices = [("", "— Aucune —")] + [
            (pk, org.name) for pk, org in self.organisations.items()
        ]
        regions = sorted(Region.objects.all(), key=lambda region: search_key(region.name))
        self.fields["regions"].choices = [(region.code, region.name) for region in regions]
        self.fields["regions"].error_messages["invalid_choice"] = "Région inconnue : « %(value)s »."

    def clean_organisation(self):
        pk = self.cleaned_data.get("organisation")
        if pk is None:
            return None
        if pk not in self.organisations:
            raise forms.ValidationError("Choisissez une entreprise dont vous êtes membre.")
        return self.organisations[pk]

    def clean_cpv(self) -> list[str]:
        try:
            codes = rules.parse_cpv_list(self.cleaned_data["cpv"])
        except rules.CriteriaError as error:
            raise forms.ValidationError(str(error)) from error
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(f"{MAX_CODES} codes CPV au plus.")
        known = set(CpvCode.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise forms.ValidationError("Code CPV inconnu du vocabulaire CPV 2008 : " + ", ".join(unknown) + ".")
        return codes

    def clean_departments(self) -> list[str]:
        try:
            codes = rules.parse_department_list(self.cleaned_data["departments"])
        except rules.CriteriaError as error:
            raise forms.ValidationError(str(error)) from error
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(f"{MAX_CODES} départements au plus.")
        known = set(Department.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise forms.ValidationError("Département inconnu : " + ", ".join(unknown) + ".")
        return codes

    def clean_kinds(self) -> list[str]:
        wanted = set(self.cleaned_data["kinds"])
        return [kind for kind in OPPORTUNITY_KINDS if kind in wanted]

    def clean(self):
        data = super().clean()
        try:
            rules.check_amounts(data.get("min_amount"), data.get("max_amount"))
        except rules.CriteriaError as error:
            self.add_error("max_amount", str(error))
        return data


def initial_from_criteria(criteria: rules.Criteria) -> dict:
    return {
        "text": criteria.text,
        "cpv": ", ".join(criteria.cpv),
        "departments": ", ".join(criteria.departments),
        "regions": list(criteria.regions),
        "kinds": list(criteria.kinds),
        "min_amount": criteria.min_amount,
        "max_amount": criteria.max_amount,
    }


def initial_from_search(search) -> dict:
    return {
        **initial_from_criteria(search.criteria),
        "name": search.name,
        "organisation": search.organisation_id,
        "frequency": search.frequency,
        "is_active": search.is_active,
    }


def initial_from_prefill(params) -> dict:
    """A prefill link from the matching page: ?text=&cpv=&departement=&type= (several cpv, departement or type
    values may be given, repeated or comma-separated). Invalid values are kept as typed: the form reports them."""
    initial = {"frequency": rules.DAILY, "is_active": True, "kinds": list(OPPORTUNITY_KINDS)}
    text = params.get("text", "").strip()[:200]
    if text:
        initial["text"] = text
        initial["name"] = text[:120]
    cpv = rules.split_cpv_codes(params.getlist("cpv"))
    if cpv:
        initial["cpv"] = ", ".join(cpv)[:1000]
    departments = rules.split_codes(params.getlist("departement") + params.getlist("departements"))
    if departments:
        initial["departments"] = ", ".join(departments)[:500]
    kinds = rules.parse_kinds(params.getlist("type"))
    if kinds:
        initial["kinds"] = kinds
    return initial
