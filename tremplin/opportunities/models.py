"""Purchase forecasts (prévisions d'achat) with their lots, and purchase fairs (salons, rencontres acheteurs)
with registrations and a waiting list.

A forecast is a superset of an APProch purchase project (see `approch.py` for the mapping) and of an OCDS
`planning` release. Later features attach to it by foreign key: an interest funnel (one row per forecast and
supplier, a timestamp per step) and buyer ↔ supplier messaging (allowed when `messaging_enabled`)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from tremplin.opportunities import rules


class Category(models.TextChoices):
    TRAVAUX = "travaux", rules.CATEGORIES["travaux"]
    FOURNITURES = "fournitures", rules.CATEGORIES["fournitures"]
    SERVICES = "services", rules.CATEGORIES["services"]


class Status(models.TextChoices):
    DRAFT = rules.DRAFT, rules.STATUS_LABELS[rules.DRAFT]
    PUBLISHED = rules.PUBLISHED, rules.STATUS_LABELS[rules.PUBLISHED]
    IN_CONSULTATION = rules.IN_CONSULTATION, rules.STATUS_LABELS[rules.IN_CONSULTATION]
    AWARDED = rules.AWARDED, rules.STATUS_LABELS[rules.AWARDED]
    ABANDONED = rules.ABANDONED, rules.STATUS_LABELS[rules.ABANDONED]


class Source(models.TextChoices):
    PLATFORM = "tremplin", "Saisie sur Tremplin"
    API = "api", "API Tremplin"
    APPROCH = "approch", "Import APProch"
    PROGRAMME = "programme", "Programme d'achat importé"


PROCEDURE_CHOICES = [("", "À déterminer"), *rules.PROCEDURES.items()]
RESERVATION_CHOICES = [("", "Aucune"), *rules.RESERVATIONS.items()]


class ForecastQuerySet(models.QuerySet):
    def public(self):
        """Everything but drafts."""
        return self.exclude(status=Status.DRAFT)

    def open(self):
        return self.filter(status__in=rules.OPEN_STATUSES)


class Forecast(models.Model):
    buyer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="forecasts", verbose_name="acheteur"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)

    title = models.CharField("intitulé", max_length=rules.MAX_TITLE)
    description = models.TextField("description du besoin", blank=True)
    category = models.CharField("catégorie", max_length=12, choices=Category.choices, blank=True)
    cpv = models.ForeignKey(
        "referentials.CpvCode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="code CPV principal",
    )
    cpv_secondary = models.ManyToManyField(
        "referentials.CpvCode", blank=True, related_name="+", verbose_name="codes CPV secondaires"
    )
    estimated_amount = models.DecimalField(
        "montant estimé (€ HT)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_duration_months = models.PositiveIntegerField("durée maximale (mois)", null=True, blank=True)
    publication_target_date = models.DateField("date de publication prévue", null=True, blank=True)
    publication_quarter = models.CharField(
        "trimestre de publication prévu", max_length=7, blank=True, db_index=True, help_text="Par exemple 2026-T3."
    )
    offer_deadline = models.DateField("date limite de remise des offres prévue", null=True, blank=True)
    procedure_type = models.CharField("procédure envisagée", max_length=20, choices=PROCEDURE_CHOICES, blank=True)
    procedure_details = models.CharField("précisions sur la procédure", max_length=200, blank=True)
    departments = models.ManyToManyField(
        "referentials.Department", blank=True, related_name="+", verbose_name="départements d'exécution"
    )
    communes = models.ManyToManyField(
        "referentials.Commune", blank=True, related_name="+", verbose_name="communes d'exécution"
    )
    keywords = models.JSONField("mots-clés", default=list, blank=True)
    contact_name = models.CharField("contact", max_length=150, blank=True)
    contact_email = models.EmailField("e-mail du contact", blank=True)
    contact_phone = models.CharField("téléphone du contact", max_length=30, blank=True)
    messaging_enabled = models.BooleanField("messagerie ouverte aux entreprises", default=False)
    consultation_url = models.URLField("lien vers la consultation", max_length=500, blank=True)
    social_considerations = models.BooleanField("considérations sociales prévues", default=False)
    social_kinds = models.JSONField("considérations sociales", default=list, blank=True)
    environmental_considerations = models.BooleanField("considérations environnementales prévues", default=False)
    environmental_kinds = models.JSONField("considérations environnementales", default=list, blank=True)
    considerations_details = models.TextField("précisions sur les considérations", blank=True)
    reservations = models.JSONField("réservations du marché entier", default=list, blank=True)
    reserved_articles = models.CharField(
        "réservations (prévision et lots)",
        max_length=40,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Articles du code séparés par des espaces, recalculés à chaque enregistrement.",
    )

    source = models.CharField("origine", max_length=12, choices=Source.choices, default=Source.PLATFORM)
    external_id = models.CharField("identifiant d'origine", max_length=200, blank=True)
    search_text = models.TextField(editable=False, default="")
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ForecastQuerySet.as_manager()

    class Meta:
        verbose_name = "prévision d'achat"
        verbose_name_plural = "prévisions d'achat"
        ordering = ["publication_quarter", "publication_target_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_forecast_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opportunities:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_editable(self) -> bool:
        return self.status in rules.EDITABLE_STATUSES

    @property
    def quarter_label(self) -> str:
        return rules.quarter_label(self.publication_quarter) if self.publication_quarter else ""

    @property
    def reserved_list(self) -> list[str]:
        return self.reserved_articles.split()


class Lot(models.Model):
    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=rules.MAX_TITLE)
    cpv = models.ForeignKey(
        "referentials.CpvCode", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="CPV"
    )
    estimated_amount = models.DecimalField(
        "montant estimé (€ HT)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    reservation = models.CharField("réservation", max_length=10, choices=RESERVATION_CHOICES, blank=True)

    class Meta:
        verbose_name = "lot"
        ordering = ["forecast", "number"]
        constraints = [models.UniqueConstraint(fields=["forecast", "number"], name="unique_forecast_lot_number")]

    def __str__(self) -> str:
        return f"Lot {self.number} — {self.title}"


class StatusChange(models.Model):
    """The history of a forecast's status (who moved it, when)."""

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("ancien statut", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("nouveau statut", max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "changement de statut"
        verbose_name_plural = "changements de statut"
        ordering = ["forecast", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.forecast_id}: {self.from_status} → {self.to_status}"


class Fair(models.Model):
    """A purchase fair: a buyer presents forecasts to companies, who register (capacity counts companies)."""

    organiser = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="fairs", verbose_name="organisateur"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("présentation", blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    venue = models.CharField("lieu", max_length=200)
    address = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(
        "referentials.Commune", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    capacity = models.PositiveIntegerField("nombre de places (entreprises)", null=True, blank=True)
    registration_required = models.BooleanField("inscription obligatoire", default=True)
    registration_deadline = models.DateTimeField("date limite d'inscription", null=True, blank=True)
    contact_email = models.EmailField("e-mail de contact", blank=True)
    forecasts = models.ManyToManyField(Forecast, blank=True, related_name="fairs", verbose_name="prévisions présentées")
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    sequence = models.PositiveIntegerField(
        "version (calendrier)", default=0, help_text="Augmente à chaque changement d'horaire ou de lieu (ICS)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "salon acheteurs"
        verbose_name_plural = "salons acheteurs"
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opportunities:fair", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Registration(models.Model):
    """A company's registration to a fair: confirmed, on the waiting list, or cancelled. The waiting list is
    ordered by `requested_at`; a cancellation promotes the first in line."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="fair_registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="fair_registrations",
        verbose_name="inscrit par",
    )
    status = models.CharField(
        "statut",
        max_length=10,
        choices=[(code, label) for code, label in rules.REGISTRATION_LABELS.items()],
        db_index=True,
    )
    requested_at = models.DateTimeField("demandée le")
    promoted_at = models.DateTimeField("sortie de la liste d'attente le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription"
        ordering = ["fair", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "organisation"], name="unique_fair_registration"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.fair} ({self.get_status_display()})"
