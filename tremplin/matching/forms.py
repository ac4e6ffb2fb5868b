"""The forms of the matching pages (filters of a supplier's opportunities, a buyer's need)."""

from django import forms

from tremplin.matching.types import FORECAST, LOT, NOTICE

KIND_CHOICES = [
    ("", "Tous les types"),
    (FORECAST, "Prévisions d'achat"),
    (LOT, "Lots de prévisions"),
    (NOTICE, "Avis publiés"),
]
FILTER_CHOICES = [
    ("inclusive", "Structures inclusives (SIAE, EA, ESAT)"),
    ("siae", "SIAE uniquement"),
    ("ea_esat", "EA et ESAT uniquement"),
    ("ess", "Entreprises de l'ESS"),
    ("local", "Établies dans le département"),
    ("sme", "TPE et PME"),
]


class OpportunityFilterForm(forms.Form):
    type = forms.ChoiceField(label="Type", choices=KIND_CHOICES, required=False)
    departement = forms.CharField(label="Département", max_length=3, required=False, help_text="Par exemple 69.")
    texte = forms.CharField(label="Mots-clés", max_length=200, required=False)


class NeedForm(forms.Form):
    text = forms.CharField(
        label="Description du besoin", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cpv = forms.CharField(
        label="Codes CPV", max_length=200, required=False, help_text="Séparés par des espaces, par exemple 45210000."
    )
    department = forms.CharField(
        label="Département d'exécution", max_length=3, required=False, help_text="Par exemple 69."
    )
    commune = forms.CharField(
        label="Commune d'exécution (code INSEE)", max_length=5, required=False, help_text="Par exemple 69123 pour Lyon."
    )
    amount = forms.IntegerField(label="Montant estimé (€ HT)", min_value=0, required=False)
    filters = forms.MultipleChoiceField(
        label="Restreindre aux", choices=FILTER_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("text", "cpv", "department", "commune")):
            raise forms.ValidationError("Décrivez le besoin : des mots, un code CPV ou un lieu d'exécution.")
        return data
