"""Payment requests (invoices) on awarded contracts, and the ECB rate table used for late-payment interest.

Nothing computed is stored: due dates, lateness and interest come from tremplin.payments.rules each time."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class EcbRate(models.Model):
    """The ECB main refinancing operations rate in force from a date. A row is either a change (dated on its
    date of effect) or a confirmation that the rate was unchanged on that date; the latest date is how far the
    table is known (see rules.py: "taux à confirmer")."""

    effective_date = models.DateField(
        "en vigueur à partir du",
        unique=True,
        help_text="Date d'effet de la décision de la BCE (règlement de la première opération au nouveau taux), "
        "ou date à laquelle le taux est confirmé inchangé.",
    )
    rate = models.DecimalField("taux (%)", max_digits=5, decimal_places=2, help_text="Par exemple 2,15 pour 2,15 %.")
    note = models.CharField("note", max_length=255, blank=True, help_text="Décision, source, confirmation…")

    class Meta:
        verbose_name = "taux de la BCE"
        verbose_name_plural = "taux de la BCE"
        ordering = ["-effective_date"]

    def __str__(self) -> str:
        return f"{self.rate} % à partir du {self.effective_date:%d/%m/%Y}"


class Invoice(models.Model):
    """A payment request of a holder (supplier) on a contract, as received by the buyer."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="invoices", verbose_name="marché"
    )
    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="invoices_issued",
        verbose_name="titulaire émetteur",
    )
    number = models.CharField("numéro de facture", max_length=60)
    amount_ttc = models.DecimalField("montant TTC (€)", max_digits=14, decimal_places=2)
    received_on = models.DateField("reçue par l'acheteur le")
    executed_on = models.DateField("prestations exécutées le", null=True, blank=True)
    contract_delay_days = models.PositiveSmallIntegerField(
        "délai de paiement prévu par le marché (jours)",
        null=True,
        blank=True,
        help_text="Laissez vide si le marché ne prévoit pas de délai plus court que le délai légal.",
    )
    interruption_notified_on = models.DateField("interruption notifiée à l'entreprise le", null=True, blank=True)
    interruption_reason = models.CharField("motif de l'interruption", max_length=255, blank=True)
    documents_received_on = models.DateField("pièces manquantes reçues le", null=True, blank=True)
    paid_on = models.DateField("payée le", null=True, blank=True)
    amount_paid = models.DecimalField("montant payé (€)", max_digits=14, decimal_places=2, null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "demande de paiement"
        verbose_name_plural = "demandes de paiement"
        ordering = ["-received_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "supplier", "number"], name="unique_invoice_number"),
        ]

    def __str__(self) -> str:
        return f"Facture {self.number} ({self.contract.decp_id})"

    def get_absolute_url(self) -> str:
        return reverse("payments:invoice", args=[self.pk])

    @property
    def buyer_type(self) -> str:
        """The buyer's type as the rules know it; an unknown one counts as "autre" (30 days)."""
        buyer = self.contract.buyer
        return (buyer.buyer_type if buyer else "") or "autre"
