"""Forms: the public calculator, an invoice of a contract, the CSV ledger upload. Consistency checks are the
rules' (rules.validate), mapped onto the form's fields."""

from __future__ import annotations

from django import forms

from tremplin.core.form_fields import AmountField, DayField
from tremplin.core.imports import UNREADABLE_ENCODING, decode_text
from tremplin.organisations.models import BuyerType
from tremplin.payments import rules
from tremplin.payments.models import Invoice

MAX_UPLOAD_BYTES = 1024 * 1024  # 1 Mo: about 10,000 invoice lines


def add_rule_errors(form: forms.Form, errors: dict[str, str], field_names: dict[str, str]) -> None:
    for name, message in errors.items():
        target = field_names.get(name)
        if target in form.fields and target not in form.errors:
            form.add_error(target, message)
        elif target not in form.fields:
            form.add_error(None, message)


class CalculatorForm(forms.Form):
    """The public late-payment calculator (a GET form: results can be bookmarked and shared)."""

    FIELDS = {
        "buyer_type": "buyer_type",
        "amount_ttc": "amount_ttc",
        "received": "received",
        "execution": "execution",
        "paid": "paid",
        "contract_delay_days": "contract_delay_days",
        "interruption.notified": "interruption_notified",
        "interruption.documents_received": "documents_received",
    }

    buyer_type = forms.ChoiceField(
        label="Type d'acheteur",
        choices=[("", "— Choisissez —"), *BuyerType.choices],
        help_text="Il fixe le délai maximal : 30 jours, 50 jours pour un établissement public de santé, 60 jours "
        "pour une entreprise publique.",
    )
    amount_ttc = AmountField(label="Montant TTC de la demande de paiement (€)", help_text="Par exemple 12 000,00.")
    received = DayField(
        label="Date de réception de la demande de paiement par l'acheteur",
        help_text="Pour une facture déposée sur Chorus Pro : la date de sa mise à disposition de l'acheteur.",
    )
    execution = DayField(
        label="Date d'exécution des prestations",
        required=False,
        help_text="Facultatif. Si elle est postérieure à la réception de la demande, le délai part de cette date.",
    )
    paid = DayField(
        label="Date de paiement",
        required=False,
        help_text="Laissez vide si la demande n'est pas encore payée : le retard est alors compté jusqu'à aujourd'hui.",
    )
    contract_delay_days = forms.IntegerField(
        label="Délai de paiement prévu par le marché (jours)",
        required=False,
        help_text="Facultatif, seulement s'il est plus court que le délai légal.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 5}),
    )
    interruption_notified = DayField(
        label="Date de réception de la notification d'interruption",
        required=False,
        help_text="Si l'acheteur a interrompu le délai pour réclamer des pièces : le jour où l'entreprise a reçu "
        "sa demande.",
    )
    documents_received = DayField(
        label="Date de réception des pièces par l'acheteur",
        required=False,
        help_text="Laissez vide si l'acheteur ne les a pas encore reçues.",
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("documents_received") and not data.get("interruption_notified"):
            message = "Indiquez la date de notification de l'interruption, ou videz celle des pièces."
            self.add_error("interruption_notified", message)
            return data
        request = self.payment_request()
        add_rule_errors(self, rules.validate(request), self.FIELDS)
        return data

    def payment_request(self) -> rules.PaymentRequest:
        data = self.cleaned_data
        interruption = None
        if data.get("interruption_notified"):
            interruption = rules.Interruption(data["interruption_notified"], data.get("documents_received"))
        return rules.PaymentRequest(
            buyer_type=data["buyer_type"],
            amount_ttc=data["amount_ttc"],
            received=data["received"],
            paid=data.get("paid"),
            execution=data.get("execution"),
            contract_delay_days=data.get("contract_delay_days"),
            interruption=interruption,
        )


class InvoiceForm(forms.ModelForm):
    """An invoice of a contract, entered by the buyer or by the holder that issued it."""

    FIELDS = {
        "amount_ttc": "amount_ttc",
        "received": "received_on",
        "execution": "executed_on",
        "paid": "paid_on",
        "amount_paid": "amount_paid",
        "contract_delay_days": "contract_delay_days",
        "interruption.notified": "interruption_notified_on",
        "interruption.documents_received": "documents_received_on",
    }

    amount_ttc = AmountField(label="Montant TTC (€)", help_text="Par exemple 12 000,00.")
    amount_paid = AmountField(label="Montant payé (€)", required=False, help_text="Facultatif.")
    received_on = DayField(label="Reçue par l'acheteur le")
    executed_on = DayField(
        label="Prestations exécutées le",
        required=False,
        help_text="Facultatif. Si elle est postérieure à la réception, le délai part de cette date.",
    )
    interruption_notified_on = DayField(label="Interruption notifiée à l'entreprise le", required=False)
    documents_received_on = DayField(
        label="Pièces manquantes reçues le", required=False, help_text="Laissez vide si elles sont toujours attendues."
    )
    paid_on = DayField(label="Payée le", required=False, help_text="Laissez vide tant que la facture n'est pas payée.")

    class Meta:
        model = Invoice
        fields = [
            "supplier",
            "number",
            "amount_ttc",
            "received_on",
            "executed_on",
            "contract_delay_days",
            "interruption_notified_on",
            "interruption_reason",
            "documents_received_on",
            "paid_on",
            "amount_paid",
        ]
        labels = {
            "supplier": "Titulaire qui a émis la facture",
            "number": "Numéro de facture",
            "contract_delay_days": "Délai de paiement prévu par le marché (jours)",
            "interruption_reason": "Motif de l'interruption",
        }
        help_texts = {"interruption_reason": "Pièces ou mentions réclamées (article R2192-28)."}
        widgets = {"contract_delay_days": forms.NumberInput(attrs={"inputmode": "numeric", "size": 5})}

    def __init__(self, *args, contract, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.fields["supplier"].queryset = self.fields["supplier"].queryset.filter(pk__in=[o.pk for o in issuers])
        self.fields["supplier"].empty_label = None
        if len(issuers) == 1:
            self.fields["supplier"].initial = issuers[0].pk
            self.fields["supplier"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("documents_received_on") and not data.get("interruption_notified_on"):
            self.add_error("interruption_notified_on", "Indiquez la date de notification de l'interruption.")
            return data
        if data.get("interruption_reason") and not data.get("interruption_notified_on"):
            self.add_error("interruption_notified_on", "Indiquez la date de notification de l'interruption.")
            return data
        duplicate = Invoice.objects.filter(contract=self.contract, supplier=data["supplier"], number=data["number"])
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            self.add_error("number", "Ce titulaire a déjà une facture de ce numéro sur ce marché.")
            return data
        buyer = self.contract.buyer
        interruption = None
        if data.get("interruption_notified_on"):
            interruption = rules.Interruption(data["interruption_notified_on"], data.get("documents_received_on"))
        request = rules.PaymentRequest(
            buyer_type=(buyer.buyer_type if buyer else "") or "autre",
            amount_ttc=data["amount_ttc"],
            received=data["received_on"],
            paid=data.get("paid_on"),
            execution=data.get("executed_on"),
            contract_delay_days=data.get("contract_delay_days"),
            interruption=interruption,
            amount_paid=data.get("amount_paid"),
        )
        add_rule_errors(self, rules.validate(request), self.FIELDS)
        return data


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Séparateur point-virgule ou virgule, encodage UTF-8 ou Windows (Excel) ; 1 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers.")
        text = decode_text(upload.read())
        if text is None:  # pragma: no cover - cp1252 reads almost any byte
            raise forms.ValidationError(UNREADABLE_ENCODING)
        return text


class LedgerConfirmForm(forms.Form):
    """The previewed file comes back as text; it is parsed and checked again before anything is saved."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_UPLOAD_BYTES * 2, strip=False)
