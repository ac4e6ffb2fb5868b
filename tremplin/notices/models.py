"""Published notices (BOAMP, TED): calls for competition, awards, corrections…, their lots, award decisions and
winners, the CPV codes they are indexed by, and the records the importer could not use.

A notice is identified by (source, source_id) where ``source_id`` is the key of ``rules.notice_identity`` (the
eForms identifier without its version). Whether a call for competition is open is computed at query time
(``NoticeQuerySet.open``), never stored. The importer (``tremplin.notices.importer``) is the only writer."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from tremplin.ingest.notices import FLAGS, KINDS
from tremplin.ingest.notices.model import (
    KIND_AWARD,
    KIND_CANCELLATION,
    KIND_COMPETITION,
    KIND_CORRECTION,
    KIND_MODIFICATION,
    KIND_PRIOR_INFORMATION,
)
from tremplin.ingest.notices.vocabulary import (
    PROC_ADAPTEE,
    PROC_AOO,
    PROC_AOR,
    PROC_AUTRE,
    PROC_CONCESSION,
    PROC_CONCOURS,
    PROC_DIALOGUE,
    PROC_INNOVATION,
    PROC_NEGO,
    PROC_SANS_PUB,
    PROC_TRANSPORT,
)
from tremplin.notices import rules


class Source(models.TextChoices):
    BOAMP = "boamp", "BOAMP"
    TED = "ted", "TED (Journal officiel de l'Union européenne)"


class Kind(models.TextChoices):
    COMPETITION = KIND_COMPETITION, KINDS[KIND_COMPETITION]
    PRIOR_INFORMATION = KIND_PRIOR_INFORMATION, KINDS[KIND_PRIOR_INFORMATION]
    AWARD = KIND_AWARD, KINDS[KIND_AWARD]
    MODIFICATION = KIND_MODIFICATION, KINDS[KIND_MODIFICATION]
    CORRECTION = KIND_CORRECTION, KINDS[KIND_CORRECTION]
    CANCELLATION = KIND_CANCELLATION, KINDS[KIND_CANCELLATION]


PROCEDURES = [
    PROC_ADAPTEE,
    PROC_AOO,
    PROC_AOR,
    PROC_NEGO,
    PROC_DIALOGUE,
    PROC_INNOVATION,
    PROC_CONCOURS,
    PROC_CONCESSION,
    PROC_TRANSPORT,
    PROC_SANS_PUB,
    PROC_AUTRE,
]


class NoticeQuerySet(models.QuerySet):
    def cancelled_filter(self):
        return Exists(Notice.objects.filter(related=OuterRef("pk"), kind=Kind.CANCELLATION))

    def with_cancelled(self):
        """Annotate ``cancelled``, so that ``Notice.is_open`` needs no query per notice."""
        return self.annotate(cancelled=self.cancelled_filter())

    def open(self, now=None):
        """Calls for competition whose deadline is not passed and that no cancellation closed (``rules.is_open``)."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        deadline = Q(deadline_at__gt=now) | Q(deadline_at__isnull=True, deadline_date__gte=today)
        return self.filter(deadline, kind=Kind.COMPETITION).exclude(self.cancelled_filter())

    def with_cpv_prefixes(self, prefixes):
        """Notices having a CPV code (main, additional or of a lot) that starts with one of ``prefixes``
        (``rules.cpv_prefix``): an index range scan on ``NoticeCpv.code`` per prefix."""
        condition = Q()
        for prefix in prefixes:
            low, high = rules.cpv_prefix_range(prefix)
            condition |= Q(code__gte=low, code__lt=high) if high else Q(code__gte=low)
        if not condition:
            return self
        return self.filter(Exists(NoticeCpv.objects.filter(condition, notice=OuterRef("pk"))))


class Notice(models.Model):
    source = models.CharField("source", max_length=5, choices=Source.choices)
    source_id = models.CharField("identifiant à la source", max_length=100)
    version = models.PositiveIntegerField("version (eForms)", default=0)
    publication_number = models.CharField("numéro de publication", max_length=40, blank=True)
    publication_key = models.CharField(
        "numéro de publication normalisé", max_length=40, blank=True, db_index=True, editable=False
    )
    format = models.CharField("format", max_length=20)
    kind = models.CharField("type d'avis", max_length=20, choices=Kind.choices, db_index=True)
    form_type = models.CharField("formulaire", max_length=40, blank=True)
    form_subtype = models.CharField("sous-type", max_length=40, blank=True)

    title = models.TextField("objet", blank=True)
    description = models.TextField("description", blank=True)
    buyer_reference = models.CharField("référence de l'acheteur", max_length=200, blank=True)
    search_text = models.TextField(editable=False, default="")

    buyer = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_notices",
        verbose_name="acheteur",
    )
    buyer_name = models.CharField("acheteur (nom publié)", max_length=500, blank=True)
    buyer_legal_id = models.CharField("identifiant de l'acheteur (publié)", max_length=60, blank=True)
    buyer_country = models.CharField("pays de l'acheteur", max_length=2, blank=True)
    buyer_town = models.CharField("ville de l'acheteur", max_length=200, blank=True)
    buyer_postcode = models.CharField("code postal de l'acheteur", max_length=20, blank=True)

    cpv = models.CharField("code CPV principal", max_length=8, blank=True)
    additional_cpv = models.JSONField("codes CPV supplémentaires", default=list, blank=True)
    descriptors = models.JSONField("descripteurs BOAMP", default=list, blank=True)
    contract_nature = models.CharField("nature du marché", max_length=20, blank=True)
    procedure = models.CharField("procédure", max_length=120, blank=True, db_index=True)
    procedure_code = models.CharField("code de procédure (publié)", max_length=60, blank=True)

    place_department = models.CharField("département du lieu d'exécution", max_length=3, blank=True, db_index=True)
    place_region = models.CharField("région du lieu d'exécution", max_length=3, blank=True, db_index=True)
    place_nuts = models.CharField("code NUTS", max_length=5, blank=True)
    place_postcode = models.CharField("code postal", max_length=20, blank=True)
    place_town = models.CharField("ville", max_length=200, blank=True)
    place_country = models.CharField("pays", max_length=2, blank=True)

    publication_date = models.DateField("date de publication", null=True, blank=True, db_index=True)
    deadline_at = models.DateTimeField("date limite de réception des offres", null=True, blank=True, db_index=True)
    deadline_date = models.DateField("jour limite (publié)", null=True, blank=True, db_index=True)
    deadline_time = models.TimeField("heure limite (publiée)", null=True, blank=True)
    deadline_tz = models.CharField("fuseau horaire de la date limite", max_length=40, blank=True)

    estimated_value = models.DecimalField(
        "valeur estimée",
        max_digits=17,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Valeur estimée de l'avis, à défaut somme des valeurs estimées de ses lots.",
    )
    currency = models.CharField("devise", max_length=3, blank=True)

    notice_url = models.URLField("avis officiel", max_length=500, blank=True)
    documents_url = models.URLField("documents de la consultation", max_length=500, blank=True)
    buyer_profile_url = models.URLField("profil d'acheteur", max_length=500, blank=True)

    related_reference = models.CharField("avis lié (référence publiée)", max_length=100, blank=True)
    related_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    related = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name="avis lié",
        help_text="L'avis que celui-ci rectifie, annule ou attribue, quand il est importé.",
    )
    language = models.CharField("langue", max_length=5, blank=True)

    is_social = models.BooleanField("considérations sociales", default=False)
    is_environmental = models.BooleanField("considérations environnementales", default=False)
    is_innovative = models.BooleanField("achat innovant", default=False)
    is_reserved = models.BooleanField(
        "marché réservé",
        default=False,
        db_index=True,
        help_text="Tout ou partie du marché réservé (structures d'insertion, entreprises adaptées, ESAT, ESS).",
    )
    strategic_details = models.JSONField("codes publiés (achats stratégiques, réservations)", default=list)
    flags = models.JSONField("anomalies", default=list, blank=True)

    raw_file = models.CharField("fichier", max_length=500)
    raw_position = models.CharField("position dans le fichier", max_length=200, default="$")
    content_hash = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField("importé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "avis publié"
        verbose_name_plural = "avis publiés"
        ordering = ["deadline_date", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="unique_notice_source_id")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.publication_number or self.source_id} — {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        cancelled = getattr(self, "cancelled", None)
        if cancelled is None:
            cancelled = self.follow_ups.filter(kind=Kind.CANCELLATION).exists()
        return bool(cancelled)

    def is_open_at(self, now) -> bool:
        today = timezone.localdate(now)
        return rules.is_open(self.kind, self.deadline_at, self.deadline_date, self.is_cancelled, now, today)

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())

    @property
    def flag_labels(self) -> list[tuple[str, str]]:
        return [(code, FLAGS.get(code, code)) for code in self.flags]


class NoticeCpv(models.Model):
    """One CPV code of a notice (main, additional or of a lot), for the CPV-prefix searches of matching."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="cpv_codes")
    code = models.CharField("code CPV", max_length=8)
    is_main = models.BooleanField("code principal", default=False)

    class Meta:
        verbose_name = "code CPV d'un avis"
        verbose_name_plural = "codes CPV des avis"
        constraints = [models.UniqueConstraint(fields=["notice", "code"], name="unique_notice_cpv")]
        indexes = [models.Index(fields=["code", "notice"], name="notices_cpv_code_idx")]

    def __str__(self) -> str:
        return self.code


class NoticeLot(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="lots")
    position = models.PositiveIntegerField(default=0)
    lot_ref = models.CharField("lot", max_length=60, blank=True)
    title = models.TextField("intitulé", blank=True)
    description = models.TextField("description", blank=True)
    cpv = models.CharField("code CPV", max_length=8, blank=True)
    additional_cpv = models.JSONField("codes CPV supplémentaires", default=list, blank=True)
    estimated_value = models.DecimalField("valeur estimée", max_digits=17, decimal_places=2, null=True, blank=True)
    currency = models.CharField("devise", max_length=3, blank=True)
    nuts = models.CharField("code NUTS", max_length=5, blank=True)
    department = models.CharField("département", max_length=3, blank=True)
    is_reserved = models.BooleanField(
        "lot réservé",
        null=True,
        blank=True,
        help_text="Connu pour un avis à lot unique ; les avis ne disent pas quel lot d'un avis allotti est réservé.",
    )

    class Meta:
        verbose_name = "lot"
        ordering = ["notice", "position"]

    def __str__(self) -> str:
        return f"Lot {self.lot_ref or self.position + 1}"


class NoticeAward(models.Model):
    """One award decision of an award notice: a lot (or the whole contract) awarded to its winners, or not
    awarded. ``value`` is the decision's, never to be added once per winner."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="awards")
    lot = models.ForeignKey(
        NoticeLot, null=True, blank=True, on_delete=models.SET_NULL, related_name="awards", verbose_name="lot"
    )
    position = models.PositiveIntegerField(default=0)
    lot_ref = models.CharField("lot (publié)", max_length=60, blank=True)
    title = models.TextField("intitulé", blank=True)
    awarded = models.BooleanField("attribué", default=True)
    value = models.DecimalField("montant attribué", max_digits=17, decimal_places=2, null=True, blank=True)
    currency = models.CharField("devise", max_length=3, blank=True)
    award_date = models.DateField("date d'attribution", null=True, blank=True)
    tenders_received = models.PositiveIntegerField("offres reçues", null=True, blank=True)
    contract_id = models.CharField("identifiant du marché", max_length=100, blank=True)
    joint = models.BooleanField("groupement", null=True, blank=True)

    class Meta:
        verbose_name = "attribution"
        ordering = ["notice", "position"]

    def __str__(self) -> str:
        return f"Attribution {self.lot_ref or self.position + 1}"


class NoticeWinner(models.Model):
    award = models.ForeignKey(NoticeAward, on_delete=models.CASCADE, related_name="winners")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField("attributaire (nom publié)", max_length=500, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, db_index=True)
    legal_id = models.CharField("identifiant publié", max_length=60, blank=True)
    country = models.CharField("pays", max_length=2, blank=True)
    town = models.CharField("ville", max_length=200, blank=True)
    postcode = models.CharField("code postal", max_length=20, blank=True)
    is_sme = models.BooleanField("PME", null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notice_awards",
        verbose_name="organisation",
    )

    class Meta:
        verbose_name = "attributaire"
        ordering = ["award", "position"]

    def __str__(self) -> str:
        return self.name or self.legal_id


class RejectedNotice(models.Model):
    """A file or a record the importer could not use, kept with why and the beginning of its raw text."""

    source = models.CharField("import", max_length=5, choices=Source.choices)
    file = models.CharField("fichier", max_length=500)
    position = models.CharField("position", max_length=200, default="$")
    reason_code = models.CharField("motif (code)", max_length=40, db_index=True)
    reason = models.TextField("motif")
    excerpt = models.TextField("début du contenu brut", blank=True)
    created_at = models.DateTimeField("rejeté le", auto_now_add=True)
    updated_at = models.DateTimeField("revu le", auto_now=True)

    class Meta:
        verbose_name = "avis rejeté"
        verbose_name_plural = "avis rejetés"
        ordering = ["-updated_at", "id"]
        constraints = [models.UniqueConstraint(fields=["file", "position"], name="unique_rejected_notice_position")]

    def __str__(self) -> str:
        return f"{self.file}#{self.position} : {self.reason}"
