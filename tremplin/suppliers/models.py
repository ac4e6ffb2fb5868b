"""Supplier profiles: what a company does (activities), where (perimeters), and its capacity.

Identity, address, size, inclusive status and labels stay on `organisations.Organisation` (the profile editor
changes them there); references are not stored but read from the awarded contracts (see `references.py`).
Geography is stored as INSEE codes (foreign keys to the reference tables); bands are derived, never stored.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from tremplin.organisations.rules import HEADCOUNT_BANDS
from tremplin.suppliers import rules

HEADCOUNT_CHOICES = [(code, label) for code, (label, low, _high) in HEADCOUNT_BANDS.items() if low is not None]


class SupplierProfile(models.Model):
    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="supplier_profile",
        verbose_name="organisation",
    )
    headcount_band = models.CharField(
        "tranche d'effectif déclarée",
        max_length=2,
        choices=HEADCOUNT_CHOICES,
        blank=True,
        help_text="Code INSEE de la tranche d'effectif salarié, déclaré par l'entreprise.",
    )
    turnover = models.PositiveBigIntegerField("chiffre d'affaires (euros)", null=True, blank=True)
    turnover_year = models.PositiveSmallIntegerField("exercice du chiffre d'affaires", null=True, blank=True)
    prefilled = models.BooleanField(
        "pré-rempli d'après les marchés attribués",
        default=False,
        help_text="Profil déduit des marchés remportés, pas encore vérifié par l'entreprise.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "profil fournisseur"
        verbose_name_plural = "profils fournisseurs"
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(turnover__isnull=True, turnover_year__isnull=True)
                | Q(turnover__isnull=False, turnover_year__isnull=False),
                name="supplier_turnover_with_year",
            )
        ]

    def __str__(self) -> str:
        return f"Profil de {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:detail", args=[self.organisation.siret])

    @property
    def turnover_band(self) -> str:
        return rules.turnover_band(self.turnover)


class SupplierActivity(models.Model):
    """One thing the supplier does: a CPV code and/or a NAF code, in its own words, with the service types."""

    profile = models.ForeignKey(SupplierProfile, on_delete=models.CASCADE, related_name="activities")
    cpv = models.ForeignKey(
        "referentials.CpvCode", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="CPV"
    )
    naf = models.ForeignKey(
        "referentials.NafCode", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="NAF"
    )
    description = models.TextField("description", blank=True)
    offers_service = models.BooleanField(rules.SERVICE_TYPES["PREST"], default=False)
    offers_goods = models.BooleanField(rules.SERVICE_TYPES["BUILD"], default=False)
    offers_staffing = models.BooleanField(rules.SERVICE_TYPES["DISP"], default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    SERVICE_TYPE_FIELDS = {"PREST": "offers_service", "BUILD": "offers_goods", "DISP": "offers_staffing"}

    class Meta:
        verbose_name = "activité"
        ordering = ["profile", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cpv__isnull=False) | Q(naf__isnull=False), name="supplier_activity_has_code"
            )
        ]

    def __str__(self) -> str:
        return " / ".join(str(code) for code in (self.cpv, self.naf) if code) or self.description[:60]

    @property
    def service_types(self) -> list[str]:
        return [code for code, field in self.SERVICE_TYPE_FIELDS.items() if getattr(self, field)]

    @service_types.setter
    def service_types(self, codes) -> None:
        for code, field in self.SERVICE_TYPE_FIELDS.items():
            setattr(self, field, code in codes)

    @property
    def service_type_labels(self) -> list[str]:
        return [rules.SERVICE_TYPES[code] for code in self.service_types]


class PerimeterKind(models.TextChoices):
    NATIONAL = rules.NATIONAL, rules.PERIMETER_KINDS[rules.NATIONAL]
    REGION = rules.REGION, "Région"
    DEPARTMENT = rules.DEPARTMENT, "Département"
    RADIUS = rules.RADIUS, rules.PERIMETER_KINDS[rules.RADIUS]


class SupplierPerimeter(models.Model):
    """One area of the supplier's perimeter: the whole country, one region, one department, or a radius in km
    around the establishment (whose commune gives the centre)."""

    profile = models.ForeignKey(SupplierProfile, on_delete=models.CASCADE, related_name="perimeters")
    kind = models.CharField("type", max_length=10, choices=PerimeterKind.choices)
    region = models.ForeignKey(
        "referentials.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="région"
    )
    department = models.ForeignKey(
        "referentials.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="département",
    )
    radius_km = models.PositiveSmallIntegerField("rayon (km)", null=True, blank=True)

    class Meta:
        verbose_name = "zone d'intervention"
        verbose_name_plural = "zones d'intervention"
        ordering = ["profile", "kind", "region_id", "department_id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="national", region__isnull=True, department__isnull=True, radius_km__isnull=True)
                    | Q(kind="region", region__isnull=False, department__isnull=True, radius_km__isnull=True)
                    | Q(kind="department", region__isnull=True, department__isnull=False, radius_km__isnull=True)
                    | Q(kind="radius", region__isnull=True, department__isnull=True, radius_km__gte=1)
                ),
                name="supplier_perimeter_fields_match_kind",
            ),
            models.UniqueConstraint(
                fields=["profile", "kind"], condition=Q(kind__in=["national", "radius"]), name="unique_perimeter_kind"
            ),
            models.UniqueConstraint(
                fields=["profile", "region"], condition=Q(kind="region"), name="unique_perimeter_region"
            ),
            models.UniqueConstraint(
                fields=["profile", "department"], condition=Q(kind="department"), name="unique_perimeter_department"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == PerimeterKind.REGION:
            return f"Région {self.region_id}"
        if self.kind == PerimeterKind.DEPARTMENT:
            return f"Département {self.department_id}"
        if self.kind == PerimeterKind.RADIUS:
            return f"{self.radius_km} km autour de l'établissement"
        return self.get_kind_display()
