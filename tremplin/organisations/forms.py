"""Organisation forms: claiming by SIRET, deciding on a request, editing the profile, searching."""

from django import forms

from tremplin.organisations.models import Membership, Organisation, Role
from tremplin.organisations.rules import InvalidIdentifier, validate_siret
from tremplin.referentials.models import Commune, CommunePostcode


class ClaimForm(forms.Form):
    siret = forms.CharField(
        label="SIRET de l'organisation",
        max_length=20,
        help_text="14 chiffres, par exemple 216 901 231 00011 (Ville de Lyon). Vous le trouvez sur vos factures ou sur "
        "annuaire-entreprises.data.gouv.fr.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Vous agissez en tant que", choices=Role.choices, widget=forms.RadioSelect)
    name = forms.CharField(
        label="Raison sociale",
        max_length=255,
        required=False,
        help_text="Seulement si l'organisation n'est pas encore sur Tremplin : elle sera créée sous ce nom, "
        "et l'équipe de la plateforme validera votre demande.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    message = forms.CharField(
        label="Message aux personnes qui valideront",
        required=False,
        max_length=2000,
        help_text="Votre fonction, votre service : ce qui les aidera à vous reconnaître.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_siret(self) -> str:
        try:
            return validate_siret(self.cleaned_data["siret"])
        except InvalidIdentifier as error:
            raise forms.ValidationError(str(error)) from error


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accepter", "Accepter"), ("refuser", "Refuser")])
    reason = forms.CharField(
        label="Motif du refus",
        required=False,
        max_length=Membership._meta.get_field("decision_reason").max_length,
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "accepter"


class CommuneCodeField(forms.ModelChoiceField):
    """A commune typed as its INSEE code (a select of 35,000 communes would be unusable)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Commune.objects.select_related("department"),
            to_field_name="code",
            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "maxlength": 5}),
            error_messages={"invalid_choice": "Ce code commune INSEE est inconnu (5 caractères, par ex. 69123)."},
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class OrganisationForm(forms.ModelForm):
    """What members may change on their organisation's profile. SIRET, name and the SIRENE facts are not
    editable here: they come from the official registers."""

    website = forms.URLField(
        label="Site web",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="Adresse complète, par ex. https://www.exemple.fr",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    commune = CommuneCodeField(
        label="Code commune INSEE",
        required=False,
        help_text="Le code officiel géographique à 5 caractères (différent du code postal), par ex. 69123 pour Lyon.",
    )

    class Meta:
        model = Organisation
        fields = [
            "description",
            "website",
            "address",
            "postcode",
            "commune",
            "buyer_type",
            "declared_size_category",
            "inclusive_status",
            "is_ess",
            "is_esus",
        ]
        labels = {
            "description": "Présentation",
            "address": "Adresse",
            "postcode": "Code postal",
            "buyer_type": "Type d'acheteur",
            "declared_size_category": "Taille déclarée",
            "inclusive_status": "Statut de l'économie inclusive",
            "is_ess": "Entreprise de l'économie sociale et solidaire (ESS)",
            "is_esus": "Agrément « entreprise solidaire d'utilité sociale » (ESUS)",
        }
        help_texts = {
            "description": "Vos activités, vos savoir-faire, votre territoire : ce que les autres doivent savoir.",
            "postcode": "5 chiffres.",
            "declared_size_category": "Utilisée seulement quand le répertoire SIRENE ne renseigne pas la taille.",
            "inclusive_status": "Structure d'insertion (SIAE), entreprise adaptée ou ESAT.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.instance
        if not organisation.is_buyer:
            del self.fields["buyer_type"]
        if organisation.is_buyer and not (organisation.is_supplier or organisation.is_network):
            for name in ("declared_size_category", "inclusive_status", "is_ess", "is_esus"):
                del self.fields[name]
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":
                field.choices = [("", "Non renseigné"), *field.choices[1:]]

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and (len(postcode) != 5 or not postcode.isdigit()):
            raise forms.ValidationError("Un code postal compte exactement 5 chiffres.")
        return postcode

    def clean(self):
        cleaned = super().clean()
        commune, postcode = cleaned.get("commune"), cleaned.get("postcode")
        if commune and postcode:
            known = set(CommunePostcode.objects.filter(commune=commune).values_list("postcode", flat=True))
            if known and postcode not in known:
                self.add_error(
                    "postcode", f"Ce code postal ne correspond pas à {commune.name} ({', '.join(sorted(known))})."
                )
        return cleaned

    def save(self, commit=True):
        organisation = super().save(commit=False)
        # The department follows the commune (Organisation.save only fills it when empty).
        if organisation.commune_id:
            organisation.department_id = self.cleaned_data["commune"].department_id
        if commit:
            organisation.save()
        return organisation


class OrganisationSearchForm(forms.Form):
    KINDS = [
        ("", "Toutes"),
        ("acheteurs", "Acheteurs publics"),
        ("fournisseurs", "Fournisseurs"),
        ("inclusives", "Structures inclusives (SIAE, EA, ESAT)"),
    ]

    q = forms.CharField(
        label="Nom ou SIRET",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = forms.ChoiceField(label="Type d'organisation", choices=KINDS, required=False)
