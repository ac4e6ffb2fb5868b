"""Forms: a forecast and its lots, the public filters, a status change, the purchase-programme upload.
Consistency checks are the rules' (rules.forecast_errors via services.save_forecast), mapped onto the fields."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from tremplin.core.form_fields import AmountField, DayField
from tremplin.opportunities import rules
from tremplin.opportunities.models import PROCEDURE_CHOICES, RESERVATION_CHOICES
from tremplin.opportunities.programme import MAX_BYTES
from tremplin.opportunities.rules import ForecastData, LotData
from tremplin.referentials.models import Commune, CpvCode, Department
from tremplin.referentials.rules import CpvCodeError, normalize_cpv


def clean_cpv_code(raw: str) -> str:
    if not raw.strip():
        return ""
    try:
        code = normalize_cpv(raw)
    except CpvCodeError as error:
        raise forms.ValidationError(str(error)) from error
    if not CpvCode.objects.filter(pk=code).exists():
        raise forms.ValidationError(f"Code CPV inconnu « {raw.strip()} ».")
    return code


class CpvField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("required", False)
        super().__init__(widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 12}), **kwargs)

    def clean(self, value):
        return clean_cpv_code(super().clean(value) or "")


class ForecastForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=rules.MAX_TITLE)
    description = forms.CharField(
        label="Description du besoin",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce que vous achèterez, pour qui, et ce qui aidera une entreprise à savoir si elle peut répondre.",
    )
    category = forms.ChoiceField(
        label="Catégorie", required=False, choices=[("", "À préciser"), *rules.CATEGORIES.items()]
    )
    cpv = CpvField(label="Code CPV principal", help_text="8 chiffres, par exemple 45233140 (travaux de voirie).")
    cpv_secondary = forms.CharField(
        label="Codes CPV secondaires", required=False, max_length=300, help_text="Séparés par des virgules."
    )
    estimated_amount = AmountField(label="Montant estimé (€ HT)", required=False, help_text="Par exemple 120 000.")
    max_duration_months = forms.IntegerField(
        label="Durée maximale (mois)", required=False, min_value=1, max_value=rules.MAX_DURATION_MONTHS
    )
    publication_target_date = DayField(label="Date de publication prévue", required=False)
    publication_quarter = forms.ChoiceField(
        label="Ou trimestre de publication prévu",
        required=False,
        help_text="Si la date exacte n'est pas encore connue.",
    )
    offer_deadline = DayField(label="Date limite de remise des offres prévue", required=False)
    procedure_type = forms.ChoiceField(label="Procédure envisagée", required=False, choices=PROCEDURE_CHOICES)
    procedure_details = forms.CharField(label="Précisions sur la procédure", required=False, max_length=200)
    departments = forms.CharField(
        label="Départements d'exécution",
        required=False,
        max_length=300,
        help_text="Codes séparés par des virgules, par exemple 69, 42.",
    )
    communes = forms.CharField(
        label="Communes d'exécution",
        required=False,
        max_length=500,
        help_text="Codes INSEE à 5 caractères séparés par des virgules, par exemple 69123 (Lyon).",
    )
    keywords = forms.CharField(
        label="Mots-clés", required=False, max_length=1000, help_text="Séparés par des virgules."
    )
    contact_name = forms.CharField(label="Contact", required=False, max_length=150)
    contact_email = forms.EmailField(label="E-mail du contact", required=False)
    contact_phone = forms.CharField(label="Téléphone du contact", required=False, max_length=30)
    messaging_enabled = forms.BooleanField(
        label="Les entreprises peuvent poser des questions par la messagerie de Tremplin", required=False
    )
    consultation_url = forms.URLField(
        label="Lien vers la consultation",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Une fois la consultation publiée sur votre profil d'acheteur.",
    )
    social_considerations = forms.BooleanField(label="Des considérations sociales sont prévues", required=False)
    social_kinds = forms.MultipleChoiceField(
        label="Considérations sociales envisagées",
        required=False,
        choices=list(rules.SOCIAL_KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    environmental_considerations = forms.BooleanField(
        label="Des considérations environnementales sont prévues", required=False
    )
    environmental_kinds = forms.MultipleChoiceField(
        label="Considérations environnementales envisagées",
        required=False,
        choices=list(rules.ENVIRONMENTAL_KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    considerations_details = forms.CharField(
        label="Précisions sur ces considérations", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reservations = forms.MultipleChoiceField(
        label="Réservation du marché entier",
        required=False,
        choices=list(rules.RESERVATIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Pour réserver un lot seulement, indiquez-le sur le lot.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = rules.upcoming_quarters(timezone.localdate())
        current = self.initial.get("publication_quarter")
        if current and current not in quarters:
            quarters.insert(0, current)
        self.fields["publication_quarter"].choices = [("", "—"), *((q, rules.quarter_label(q)) for q in quarters)]

    def clean_cpv_secondary(self) -> list[str]:
        codes, errors = [], []
        for raw in rules.split_codes(self.cleaned_data["cpv_secondary"]):
            try:
                codes.append(clean_cpv_code(raw))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(codes))

    def clean_departments(self) -> list[str]:
        codes = [rules.normalise_department(code) for code in rules.split_codes(self.cleaned_data["departments"])]
        known = set(Department.objects.filter(pk__in=codes).values_list("pk", flat=True))
        if unknown := [code for code in codes if code not in known]:
            raise forms.ValidationError("Départements inconnus : " + ", ".join(unknown) + ".")
        return codes

    def clean_communes(self) -> list[str]:
        codes = [code.upper() for code in rules.split_codes(self.cleaned_data["communes"])]
        known = set(Commune.objects.filter(pk__in=codes).values_list("pk", flat=True))
        if unknown := [code for code in codes if code not in known]:
            raise forms.ValidationError("Codes commune INSEE inconnus : " + ", ".join(unknown) + ".")
        return codes

    def clean_keywords(self) -> list[str]:
        return rules.parse_keywords(self.cleaned_data["keywords"])

    def to_data(self, lots: list[LotData]) -> ForecastData:
        values = {name: value for name, value in self.cleaned_data.items()}
        values["title"] = values["title"].strip()
        return ForecastData(**values, lots=lots)

    @staticmethod
    def initial_from(data: ForecastData) -> dict:
        return {
            **{name: getattr(data, name) for name in ForecastForm.base_fields if hasattr(data, name)},
            "cpv_secondary": ", ".join(data.cpv_secondary),
            "departments": ", ".join(data.departments),
            "communes": ", ".join(data.communes),
            "keywords": ", ".join(data.keywords),
            "estimated_amount": f"{data.estimated_amount:.2f}".replace(".", ",") if data.estimated_amount else "",
        }


class LotForm(forms.Form):
    number = forms.IntegerField(label="Numéro du lot", required=False, min_value=1, max_value=999)
    title = forms.CharField(label="Intitulé du lot", required=False, max_length=rules.MAX_TITLE)
    cpv = CpvField(label="Code CPV du lot")
    estimated_amount = AmountField(label="Montant du lot (€ HT)", required=False)
    reservation = forms.ChoiceField(label="Réservation du lot", required=False, choices=RESERVATION_CHOICES)

    @staticmethod
    def initial_from(lot: LotData) -> dict:
        amount = f"{lot.estimated_amount:.2f}".replace(".", ",") if lot.estimated_amount is not None else ""
        return {"number": lot.number, "title": lot.title, "cpv": lot.cpv, "estimated_amount": amount} | {
            "reservation": lot.reservation
        }


BaseLotFormSet = forms.formset_factory(LotForm, extra=2, can_delete=True, max_num=50, validate_max=True)


class LotFormSet(BaseLotFormSet):
    def to_lots(self) -> list[LotData]:
        """The lots typed in (empty rows and rows marked for deletion left out), numbered when no number was
        given."""
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        next_number = max((row["number"] or 0 for row in kept), default=0) + 1
        lots = []
        for row in kept:
            number = row["number"]
            if number is None:
                number, next_number = next_number, next_number + 1
            lots.append(LotData(number, row["title"].strip(), row["cpv"], row["estimated_amount"], row["reservation"]))
        return lots


class ForecastFilterForm(forms.Form):
    STATUSES = [("", "À venir et en consultation"), ("tous", "Toutes, y compris attribuées et abandonnées")]
    RESERVED = [("", "Indifférent"), ("oui", "Avec un lot ou un marché réservé"), *rules.RESERVATION_SHORT.items()]

    q = forms.CharField(
        label="Mots-clés", required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    cpv = forms.CharField(label="Début du code CPV", required=False, max_length=12)
    department = forms.ChoiceField(label="Département", required=False)
    category = forms.ChoiceField(label="Catégorie", required=False, choices=[("", "Toutes"), *rules.CATEGORIES.items()])
    quarter = forms.ChoiceField(label="Trimestre prévu", required=False)
    reserved = forms.ChoiceField(label="Marchés réservés", required=False, choices=RESERVED)
    status = forms.ChoiceField(label="Statut", required=False, choices=STATUSES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "Tous"), *((d.pk, str(d)) for d in Department.objects.order_by("pk"))]
        today = timezone.localdate()
        quarters = rules.upcoming_quarters(today.replace(year=today.year - 1), 16)
        self.fields["quarter"].choices = [("", "Tous"), *((q, rules.quarter_label(q)) for q in quarters)]


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=list(rules.TRANSITION_ACTIONS.items()))


class ProgrammeUploadForm(forms.Form):
    organisation = forms.ChoiceField(label="Organisation acheteuse")
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Séparateur point-virgule ou virgule, encodage UTF-8 ou Windows (Excel) ; 1 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.siret, o.name) for o in organisations]

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers.")
        raw = upload.read()
        if raw.startswith(b"PK\x03\x04") or upload.name.lower().endswith((".xlsx", ".xls", ".ods")):
            raise forms.ValidationError(
                "Les classeurs Excel ou LibreOffice ne sont pas encore acceptés : enregistrez votre feuille au "
                "format CSV (« Enregistrer sous… », type CSV) puis envoyez ce fichier."
            )
        if b"\x00" in raw[:4096]:
            raise forms.ValidationError("Ce fichier n'est pas un fichier texte CSV.")
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError("Encodage du fichier illisible : enregistrez-le en CSV UTF-8.")  # pragma: no cover


class ProgrammeConfirmForm(forms.Form):
    """The previewed file comes back as text; it is parsed and checked again before anything is saved."""

    organisation = forms.CharField(widget=forms.HiddenInput, max_length=14)
    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES * 2, strip=False)
