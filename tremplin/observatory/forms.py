"""The observatory's filter form: a GET form whose fields are the API's query parameters, so that every page
URL is a shareable link and its CSV links carry the same filters."""

from __future__ import annotations

from django import forms

from tremplin.observatory.filters import FilterError, Filters

ANY = [("", "Toutes")]


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Année de notification", required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        label="Notifié à partir du", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="Notifié jusqu'au", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    region = forms.ChoiceField(label="Région", required=False)
    department = forms.ChoiceField(label="Département", required=False)
    cpv = forms.CharField(
        label="Code CPV",
        required=False,
        max_length=12,
        help_text="Tout niveau : 45, 4521…",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 10}),
    )
    procedure = forms.ChoiceField(label="Procédure", required=False)
    nature = forms.ChoiceField(label="Nature", required=False)
    buyer = forms.CharField(
        label="SIRET de l'acheteur",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    holder = forms.CharField(
        label="SIRET du titulaire",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    include_suspicious = forms.BooleanField(label="Inclure les montants suspects dans les sommes", required=False)

    def __init__(self, data=None, *, years=(), regions=None, departments=None, procedures=(), natures=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [("", "Toutes")] + [(str(year), str(year)) for year in years]
        self.fields["region"].choices = ANY + sorted((regions or {}).items(), key=lambda item: item[1])
        self.fields["department"].choices = [("", "Tous")] + [
            (code, f"{name} ({code})") for code, name in sorted((departments or {}).items())
        ]
        self.fields["procedure"].choices = ANY + [(value, value) for value in procedures]
        self.fields["nature"].choices = ANY + [(value, value) for value in natures]
        # A value from a shared link that is not among today's choices is kept rather than refused.
        if data is not None:
            for name in ("year", "region", "department", "procedure", "nature"):
                value = data.get(name)
                if value and value not in {str(code) for code, _ in self.fields[name].choices}:
                    self.fields[name].choices.append((value, value))

    def clean(self):
        cleaned = super().clean()
        try:
            self.filters = Filters.from_params(
                {name: value for name, value in cleaned.items() if value not in (None, "")}, lenient_identifiers=True
            )
        except FilterError as error:
            for name, message in error.errors.items():
                self.add_error(name if name in self.fields else None, message)
            self.filters = Filters()
        return cleaned

    @property
    def advanced_open(self) -> bool:
        """Whether the "more filters" group should be open (one of its fields is set or wrong)."""
        names = ("buyer", "holder", "procedure", "nature", "date_from", "date_to", "include_suspicious")
        return any(self.data.get(name) for name in names) or any(name in self.errors for name in names)
