"""Mediation cases between a company and a public buyer: the case, its messages, its documents and its audit log.

Who may see a case is decided in tremplin.policy (members of the two parties, the assigned mediator, staff);
the workflow lives in rules.py."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tremplin.mediation import rules
from tremplin.mediation.document_types import format_size
from tremplin.mediation.storage import PrivateFileStorage


class Case(models.Model):
    company = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="mediation_cases_as_company",
        verbose_name="entreprise",
    )
    buyer = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="mediation_cases_as_buyer",
        verbose_name="acheteur public",
    )
    filed_by_side = models.CharField("déposée par", max_length=10, choices=list(rules.SIDE_LABELS.items()))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="déposée par (personne)",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediation_cases",
        verbose_name="marché",
    )
    category = models.CharField("objet du différend", max_length=20, choices=rules.CATEGORY_CHOICES)
    amount_at_stake = models.DecimalField("montant en jeu (€)", max_digits=14, decimal_places=2, null=True, blank=True)
    description = models.TextField("exposé du différend")
    region = models.ForeignKey(
        "referentials.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="région (de l'acheteur)",
        help_text="Région de l'acheteur au dépôt : elle désigne les médiateurs compétents.",
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_cases",
        verbose_name="médiateur",
    )
    status = models.CharField("statut", max_length=15, choices=rules.STATUS_CHOICES, default=rules.FILED)
    status_reason = models.TextField("motif de la dernière décision", blank=True)
    filed_at = models.DateTimeField("déposée le", auto_now_add=True)
    first_contact_at = models.DateTimeField("premier contact du médiateur", null=True, blank=True)
    mediation_started_at = models.DateTimeField("médiation ouverte le", null=True, blank=True)
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "demande de médiation"
        verbose_name_plural = "demandes de médiation"
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["mediator", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} — {self.company} / {self.buyer}"

    def get_absolute_url(self) -> str:
        return reverse("mediation:case", args=[self.pk])

    @property
    def reference(self) -> str:
        year = timezone.localtime(self.filed_at).year if self.filed_at else ""
        return f"MED-{year}-{self.pk:05d}" if self.pk else "MED-nouvelle"

    @property
    def status_tone(self) -> str:
        return rules.STATUS_TONES[self.status]

    @property
    def status_reason_label(self) -> str:
        return rules.STATUS_REASON_LABELS.get(self.status, "Commentaire")

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_STATUSES

    @property
    def filing_organisation(self):
        return self.company if self.filed_by_side == rules.COMPANY else self.buyer

    @property
    def other_organisation(self):
        return self.buyer if self.filed_by_side == rules.COMPANY else self.company


class Message(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages", verbose_name="demande")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="auteur"
    )
    author_label = models.CharField("signé", max_length=300, help_text="Nom et qualité de l'auteur à l'envoi.")
    author_role = models.CharField("qualité", max_length=15)
    body = models.TextField("message", blank=True)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "message"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} — {self.author_label}"


def document_path(instance, filename: str) -> str:
    """A random path: neither the case, the party nor the original name can be guessed from it."""
    return f"mediation/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents", verbose_name="demande")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents", verbose_name="message"
    )
    file = models.FileField("fichier", upload_to=document_path, storage=PrivateFileStorage(), max_length=200)
    name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveBigIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="déposé par"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mediation:document", args=[self.case_id, self.pk])

    @property
    def size_label(self) -> str:
        return format_size(self.size)


class EventAction(models.TextChoices):
    FILED = "filed", "Demande déposée"
    ASSIGNED = "assigned", "Médiateur désigné"
    AWAITING_ASSIGNMENT = "awaiting_assignment", "En attente de désignation d'un médiateur"
    REASSIGNED = "reassigned", "Médiateur remplacé"
    ACCEPT = "accept", "Demande acceptée"
    DECLINE = "decline", "Demande déclarée irrecevable"
    START = "start", "Médiation ouverte"
    AGREEMENT = "agreement", "Accord constaté"
    FAILURE = "failure", "Échec constaté"
    WITHDRAW = "withdraw", "Demande retirée"
    MESSAGE = "message", "Message envoyé"
    DOCUMENT = "document", "Pièce jointe ajoutée"
    DOWNLOAD = "download", "Pièce jointe téléchargée"


class Event(models.Model):
    """The audit log: one row per action on a case, never updated."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name="demande")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="auteur",
    )
    actor_label = models.CharField("auteur (à la date de l'action)", max_length=300)
    action = models.CharField("action", max_length=25, choices=EventAction.choices)
    details = models.TextField("détails", blank=True)
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "événement du journal"
        verbose_name_plural = "journal des demandes"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_action_display()} ({self.actor_label})"
