"""Forms: filing a case, writing in it (with documents), a workflow action, assigning a mediator, statistics
filters. The use cases (services.py) check everything again; these forms give field errors in French."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from tremplin.core.parsing import ParseError, parse_amount
from tremplin.mediation import document_types, rules
from tremplin.mediation.conf import max_document_bytes
from tremplin.organisations.rules import InvalidIdentifier, validate_siret
from tremplin.referentials.models import Region


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(document_types.ACCEPTED_EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def documents_field(label: str) -> MultipleFileField:
    size = document_types.format_size(max_document_bytes())
    return MultipleFileField(
        label=label,
        required=False,
        help_text=f"{document_types.ACCEPTED_HELP} ; {size} au plus par fichier, "
        f"{document_types.MAX_FILES_PER_POST} fichiers au plus par envoi. Ils ne seront visibles que des deux "
        "parties et du médiateur.",
    )


class FilingForm(forms.Form):
    acting_for = forms.ChoiceField(label="Vous déposez la demande pour", widget=forms.RadioSelect)
    other_party_siret = forms.CharField(
        label="SIRET de l'autre partie",
        max_length=20,
        help_text="L'acheteur public si vous êtes une entreprise, l'entreprise titulaire si vous êtes acheteur. "
        "14 chiffres, espaces acceptés.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    contract_key = forms.CharField(
        label="Référence du marché sur Tremplin",
        max_length=120,
        required=False,
        help_text="Facultatif. La clé indiquée sur la page du marché dans l'observatoire.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    category = forms.ChoiceField(label="Objet du différend", choices=rules.CATEGORY_CHOICES, widget=forms.RadioSelect)
    amount_at_stake = forms.CharField(
        label="Montant en jeu (€)",
        required=False,
        max_length=30,
        help_text="Facultatif. Par exemple 12 500,00.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 16}),
    )
    description = forms.CharField(
        label="Exposé du différend",
        min_length=20,
        max_length=10_000,
        help_text="Les faits, les dates, ce que vous demandez et les démarches déjà faites auprès de l'autre partie.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {option.value: option for option in options}
        self.fields["acting_for"].choices = [(option.value, option.label) for option in options]
        if len(options) == 1:
            self.fields["acting_for"].initial = options[0].value
        self.fields["documents"] = documents_field("Pièces jointes")

    def clean_other_party_siret(self) -> str:
        try:
            return validate_siret(self.cleaned_data["other_party_siret"])
        except InvalidIdentifier as error:
            raise forms.ValidationError(str(error)) from error

    def clean_amount_at_stake(self):
        raw = self.cleaned_data["amount_at_stake"].strip()
        if not raw:
            return None
        try:
            amount = parse_amount(raw)
        except ParseError as error:
            raise forms.ValidationError(str(error)) from error
        if amount < 0:
            raise forms.ValidationError("Le montant en jeu ne peut pas être négatif.")
        return amount

    @property
    def option(self):
        return self.options[self.cleaned_data["acting_for"]]


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Votre message",
        required=False,
        max_length=10_000,
        help_text="Visible des deux parties et du médiateur.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"] = documents_field("Joindre des documents")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("body", "").strip() and not cleaned.get("documents"):
            self.add_error("body", "Écrivez un message ou joignez au moins un document.")
        return cleaned


class ActionForm(forms.Form):
    """The comment of a workflow action (the action itself is the `action` field of the POST)."""

    reason = forms.CharField(
        required=False, max_length=rules.REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, transition: rules.Transition, **kwargs):
        super().__init__(*args, prefix=transition.action, **kwargs)
        self.transition = transition
        if transition.reason_label:
            self.fields["reason"].label = transition.reason_label
            self.fields["reason"].required = transition.reason_required
        else:
            del self.fields["reason"]

    @property
    def comment(self) -> str:
        return self.cleaned_data.get("reason", "")


def mediator_queryset():
    return (
        get_user_model()
        .objects.filter(is_active=True, mediator_region__isnull=False)
        .select_related("mediator_region")
        .annotate(open_cases=Count("mediation_cases", filter=Q(mediation_cases__status__in=rules.OPEN_STATUSES)))
        .order_by("mediator_region__name", "full_name", "email")
    )


class MediatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        n = user.open_cases
        return f"{user.get_full_name()} — {user.mediator_region.name} ({n} demande{'s' if n > 1 else ''} en cours)"


class AssignForm(forms.Form):
    mediator = MediatorChoiceField(
        label="Médiateur",
        queryset=get_user_model().objects.none(),
        empty_label="Choisissez un médiateur",
        help_text="Les médiateurs de la région de l'acheteur sont à privilégier.",
        error_messages={"invalid_choice": "Ce médiateur n'existe pas ou n'est plus actif."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediator_queryset()


class StatisticsForm(forms.Form):
    year = forms.TypedChoiceField(label="Année de dépôt", required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label="Région de l'acheteur", required=False)
    category = forms.ChoiceField(
        label="Objet du différend", required=False, choices=[("", "Tous"), *rules.CATEGORY_CHOICES]
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Toutes"), *[(year, str(year)) for year in years]]
        regions = Region.objects.order_by("name").values_list("code", "name")
        self.fields["region"].choices = [("", "Toutes"), *regions]
