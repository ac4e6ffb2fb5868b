"""Saved searches (criteria that mirror the matching query, an e-mail frequency, a secret feed token) and the
record of every item e-mailed to a person, so that nobody receives the same item twice."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from tremplin.alerts import rules
from tremplin.matching.types import OPPORTUNITY_KINDS


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


def all_kinds() -> list[str]:
    return list(OPPORTUNITY_KINDS)


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name="personne"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="saved_searches",
        verbose_name="pour l'entreprise",
    )
    name = models.CharField("nom", max_length=120)
    text = models.CharField("mots", max_length=200, blank=True)
    cpv = models.JSONField("codes CPV", default=list, blank=True)
    departments = models.JSONField("départements", default=list, blank=True)
    regions = models.JSONField("régions", default=list, blank=True)
    kinds = models.JSONField("types d'opportunité", default=all_kinds, blank=True)
    min_amount = models.PositiveBigIntegerField("montant minimum (euros HT)", null=True, blank=True)
    max_amount = models.PositiveBigIntegerField("montant maximum (euros HT)", null=True, blank=True)
    frequency = models.CharField("fréquence", max_length=10, choices=rules.FREQUENCY_CHOICES, default=rules.DAILY)
    is_active = models.BooleanField("alerte par e-mail active", default=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    last_sent_at = models.DateTimeField("dernier envoi", null=True, blank=True, editable=False)
    pending_since = models.DateTimeField(
        "reste à envoyer depuis",
        null=True,
        blank=True,
        editable=False,
        help_text="Le dernier e-mail a été écourté : le suivant reprend les opportunités publiées depuis cette date.",
    )

    class Meta:
        verbose_name = "recherche enregistrée"
        verbose_name_plural = "recherches enregistrées"
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["is_active", "frequency"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("alerts:detail", args=[self.pk])

    @property
    def criteria(self) -> rules.Criteria:
        return rules.Criteria(
            text=self.text,
            cpv=tuple(self.cpv or ()),
            departments=tuple(self.departments or ()),
            regions=tuple(self.regions or ()),
            kinds=tuple(self.kinds or ()) or OPPORTUNITY_KINDS,
            min_amount=self.min_amount,
            max_amount=self.max_amount,
        )

    def query(self):
        return self.criteria.to_query()

    def regenerate_feed_token(self) -> None:
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token", "updated_at"])


class AlertDelivery(models.Model):
    """An item e-mailed (or being e-mailed) to a person. The row is written *before* the e-mail is sent and the
    unique constraint on (user, item) lets only one run claim an item: `sent_at` is set once the SMTP server
    accepted the message; the row is deleted when sending failed (retried next run). A row left without
    `sent_at` means a run stopped between claiming and confirming: the item is not sent again (see services)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_deliveries", verbose_name="personne"
    )
    item_id = models.CharField("opportunité", max_length=40)
    search = models.ForeignKey(
        SavedSearch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name="recherche",
    )
    title = models.CharField("intitulé", max_length=300, blank=True)
    batch = models.CharField("envoi", max_length=32, db_index=True)
    claimed_at = models.DateTimeField("préparé le")
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "opportunité envoyée"
        verbose_name_plural = "opportunités envoyées"
        ordering = ["-claimed_at"]
        constraints = [models.UniqueConstraint(fields=["user", "item_id"], name="alert_item_once_per_user")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.user}"
