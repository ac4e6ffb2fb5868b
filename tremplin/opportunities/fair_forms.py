"""Forms of the purchase fairs: announcing one, registering a company."""

from __future__ import annotations

from django import forms

from tremplin.opportunities import rules
from tremplin.opportunities.fairs import FairValues
from tremplin.organisations.forms import CommuneCodeField


class LocalDateTimeField(forms.DateTimeField):
    """A date and time picker (datetime-local sends AAAA-MM-JJTHH:MM), read in Paris time."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]
    default_error_messages = {"invalid": "Saisissez une date et une heure valides (JJ/MM/AAAA HH:MM)."}


class FairForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=200)
    description = forms.CharField(
        label="Présentation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Le programme, les services présents, à qui s'adresse la rencontre.",
    )
    starts_at = LocalDateTimeField(label="Début")
    ends_at = LocalDateTimeField(label="Fin")
    venue = forms.CharField(label="Lieu", max_length=200, help_text="Par exemple : Hôtel de Région, salle 2.")
    address = forms.CharField(label="Adresse", required=False, max_length=255)
    commune = CommuneCodeField(label="Code commune INSEE", required=False, help_text="Par exemple 69123 pour Lyon.")
    capacity = forms.IntegerField(
        label="Nombre de places",
        required=False,
        min_value=1,
        help_text="Nombre d'entreprises accueillies ; au-delà, les inscriptions vont en liste d'attente. Vide : "
        "sans limite.",
    )
    registration_required = forms.BooleanField(label="Inscription obligatoire", required=False, initial=True)
    registration_deadline = LocalDateTimeField(label="Date limite d'inscription", required=False)
    contact_email = forms.EmailField(label="E-mail de contact", required=False)
    forecasts = forms.ModelMultipleChoiceField(
        label="Prévisions présentées",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les prévisions publiées de votre organisation.",
    )

    def __init__(self, *args, forecasts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forecasts"].queryset = forecasts

    def clean(self):
        cleaned = super().clean()
        errors = rules.fair_errors(
            cleaned.get("starts_at"),
            cleaned.get("ends_at"),
            cleaned.get("capacity"),
            cleaned.get("registration_deadline"),
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        return cleaned

    def to_values(self) -> FairValues:
        data = self.cleaned_data
        commune = data["commune"]
        return FairValues(
            title=data["title"].strip(),
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            venue=data["venue"].strip(),
            address=data["address"].strip(),
            commune_id=commune.pk if commune else None,
            capacity=data["capacity"],
            registration_required=data["registration_required"],
            registration_deadline=data["registration_deadline"],
            contact_email=data["contact_email"],
            forecast_ids=tuple(forecast.pk for forecast in data["forecasts"]),
        )

    @staticmethod
    def initial_from(fair) -> dict:
        return {
            "title": fair.title,
            "description": fair.description,
            "starts_at": fair.starts_at,
            "ends_at": fair.ends_at,
            "venue": fair.venue,
            "address": fair.address,
            "commune": fair.commune_id,
            "capacity": fair.capacity,
            "registration_required": fair.registration_required,
            "registration_deadline": fair.registration_deadline,
            "contact_email": fair.contact_email,
            "forecasts": list(fair.forecasts.values_list("pk", flat=True)),
        }


class RegistrationForm(forms.Form):
    organisation = forms.ChoiceField(label="Entreprise inscrite")

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.siret, o.name) for o in organisations]
