"""The interest funnel — one row per (opportunity, supplier organisation) with a timestamp per step — its event
history, and the message threads between a forecast's buyer and an interested supplier.

An opportunity is a published forecast (with the lots the company chose) or a published notice: exactly one of
`forecast` and `notice` is set. Other apps write `notified_at` through `services.mark_notified`."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from tremplin.interests import rules

REASON_CHOICES = [("", "—"), *rules.REASONS.items()]
ACTION_CHOICES = [("notified", "Notifiée"), ("viewed", "Consultée"), *rules.ACTIONS.items()]


class Interest(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="interests", verbose_name="entreprise"
    )
    forecast = models.ForeignKey(
        "opportunities.Forecast",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name="prévision",
    )
    notice = models.ForeignKey(
        "notices.Notice", null=True, blank=True, on_delete=models.CASCADE, related_name="interests", verbose_name="avis"
    )
    lots = models.ManyToManyField("opportunities.Lot", blank=True, related_name="+", verbose_name="lots visés")
    notified_at = models.DateTimeField("notifiée le", null=True, blank=True)
    viewed_at = models.DateTimeField("consultée le", null=True, blank=True)
    followed_at = models.DateTimeField("suivie depuis le", null=True, blank=True)
    interested_at = models.DateTimeField("intéressée le", null=True, blank=True)
    not_interested_at = models.DateTimeField("pas intéressée le", null=True, blank=True)
    reason = models.CharField("raison", max_length=30, choices=REASON_CHOICES, blank=True)
    reason_details = models.CharField("précisions", max_length=rules.MAX_DETAILS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "intérêt"
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(forecast__isnull=False, notice__isnull=True)
                | Q(forecast__isnull=True, notice__isnull=False),
                name="interest_one_opportunity",
            ),
            models.UniqueConstraint(
                fields=["forecast", "organisation"],
                condition=Q(forecast__isnull=False),
                name="unique_forecast_interest",
            ),
            models.UniqueConstraint(
                fields=["notice", "organisation"], condition=Q(notice__isnull=False), name="unique_notice_interest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.opportunity}"

    @property
    def opportunity(self):
        return self.forecast if self.forecast_id else self.notice

    @property
    def answer(self) -> rules.Answer:
        return rules.Answer(
            self.followed_at, self.interested_at, self.not_interested_at, self.reason, self.reason_details
        )

    def set_answer(self, answer: rules.Answer) -> None:
        self.followed_at = answer.followed_at
        self.interested_at = answer.interested_at
        self.not_interested_at = answer.not_interested_at
        self.reason = answer.reason
        self.reason_details = answer.details

    @property
    def state(self) -> str:
        return self.answer.state


class InterestEvent(models.Model):
    """The history of a row: each notification, first view and answer, by whom."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("étape", max_length=20, choices=ACTION_CHOICES)
    reason = models.CharField("raison", max_length=30, choices=REASON_CHOICES, blank=True)
    details = models.CharField("précisions", max_length=rules.MAX_DETAILS, blank=True)
    lots = models.JSONField("lots (numéros)", default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("le")

    class Meta:
        verbose_name = "étape"
        ordering = ["interest", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.interest_id}: {self.action} ({self.at:%Y-%m-%d})"


class Thread(models.Model):
    """The conversation between a forecast's buyer and one supplier, started by the supplier."""

    forecast = models.ForeignKey("opportunities.Forecast", on_delete=models.CASCADE, related_name="threads")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="threads", verbose_name="entreprise"
    )
    created_at = models.DateTimeField("ouvert le", auto_now_add=True)
    last_message_at = models.DateTimeField("dernier message le", null=True, blank=True)

    class Meta:
        verbose_name = "fil d'échanges"
        verbose_name_plural = "fils d'échanges"
        ordering = ["-last_message_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["forecast", "organisation"], name="unique_forecast_thread")]

    def __str__(self) -> str:
        return f"{self.organisation} ↔ {self.forecast}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("interests:thread", args=[self.pk])


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField("côté", max_length=10, choices=rules.SIDES.items())
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField("message")
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "message"
        ordering = ["thread", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread_id} ({self.side}, {self.created_at:%Y-%m-%d %H:%M})"
