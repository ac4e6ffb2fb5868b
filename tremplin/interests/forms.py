"""Forms of the interest panel (follow, interested with lots, not interested with a reason) and of messages."""

from django import forms

from tremplin.interests import rules


class InterestForm(forms.Form):
    organisation = forms.ChoiceField(label="Vous répondez pour")
    action = forms.ChoiceField(choices=list(rules.ACTIONS.items()), widget=forms.HiddenInput)
    lots = forms.MultipleChoiceField(
        label="Lots qui vous intéressent",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Laissez vide si toute la prévision vous intéresse.",
    )
    reason = forms.ChoiceField(
        label="Pourquoi ?", required=False, choices=[("", "Choisissez une raison"), *rules.REASONS.items()]
    )
    details = forms.CharField(
        label="Précisions",
        required=False,
        max_length=rules.MAX_DETAILS,
        help_text="Obligatoire pour « Autre raison ».",
        error_messages={"max_length": f"{rules.MAX_DETAILS} caractères au plus."},
    )

    def __init__(self, *args, organisations=(), lots=(), **kwargs):
        kwargs.setdefault("auto_id", "interet-%s")
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        self.fields["organisation"].choices = [(o.siret, o.name) for o in self.organisations]
        if len(self.organisations) <= 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            if self.organisations:
                self.fields["organisation"].initial = self.organisations[0].siret
        self.fields["lots"].choices = [(str(lot.pk), lot_label(lot)) for lot in lots]

    def clean(self):
        data = super().clean()
        for name, message in rules.answer_errors(
            data.get("action", ""), data.get("reason", ""), data.get("details", "")
        ).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    @property
    def chosen_organisation(self):
        siret = self.cleaned_data.get("organisation")
        return next((o for o in self.organisations if o.siret == siret), None)


class MessageForm(forms.Form):
    organisation = forms.ChoiceField(label="Vous écrivez pour")
    body = forms.CharField(
        label="Votre message",
        max_length=rules.MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": rules.MAX_MESSAGE}),
        help_text=f"Texte simple, {rules.MAX_MESSAGE} caractères au plus. Les retours à la ligne sont conservés.",
        error_messages={
            "required": "Écrivez votre message.",
            "max_length": f"Message trop long : {rules.MAX_MESSAGE} caractères au plus.",
        },
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        self.fields["organisation"].choices = [(o.siret, o.name) for o in self.organisations]
        if len(self.organisations) <= 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].required = bool(self.organisations)
            if self.organisations:
                self.fields["organisation"].initial = self.organisations[0].siret

    @property
    def chosen_organisation(self):
        siret = self.cleaned_data.get("organisation")
        return next((o for o in self.organisations if o.siret == siret), None)


def lot_label(lot) -> str:
    """ "Lot 2 — Entretien des espaces verts (réservé : SIAE)": a reserved lot says so, for a company to know before
    declaring interest (it may still answer in a groupement with an eligible structure, or not at all)."""
    from tremplin.opportunities.rules import RESERVATION_SHORT

    reservation = getattr(lot, "reservation", "")
    if reservation in RESERVATION_SHORT:
        return f"{lot} (réservé : {RESERVATION_SHORT[reservation]})"
    return str(lot)
