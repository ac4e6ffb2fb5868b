"""Emission factors (dated data with their source, imported from CSV) and carbon estimates of an offer or a lot.

The platform ships no factor value: platform staff import them (e.g. from a Base Empreinte® export). A line of an
estimate keeps the factor it used and a copy of its value and unit at computation time, so that a later import
that corrects a factor does not silently change past estimates."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from tremplin.carbon import rules

KIND_CHOICES = list(rules.KINDS.items())
UNIT_CHOICES = [(unit.code, unit.label) for unit in rules.UNITS.values()]
SECTION_CHOICES = list(rules.SECTIONS.items())
MODE_CHOICES = [("", "—"), *rules.TRANSPORT_MODES.items()]


class FactorImport(models.Model):
    """One import of a factor file (command or staff page), with its counts and rejected lines."""

    file_name = models.CharField("fichier", max_length=255)
    default_source = models.CharField("source par défaut", max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.PositiveIntegerField("créés", default=0)
    updated = models.PositiveIntegerField("mis à jour", default=0)
    unchanged = models.PositiveIntegerField("inchangés", default=0)
    rejected = models.JSONField("lignes rejetées", default=list, blank=True)
    created_at = models.DateTimeField("importé le", auto_now_add=True)

    class Meta:
        verbose_name = "import de facteurs"
        verbose_name_plural = "imports de facteurs"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y})"


class EmissionFactor(models.Model):
    kind = models.CharField("type", max_length=12, choices=KIND_CHOICES, db_index=True)
    name = models.CharField("nom", max_length=300)
    unit = models.CharField("unité", max_length=6, choices=UNIT_CHOICES, help_text="kgCO2e par cette unité.")
    value = models.DecimalField("valeur (kgCO2e par unité)", max_digits=20, decimal_places=8)
    transport_mode = models.CharField("mode de transport", max_length=10, choices=MODE_CHOICES, blank=True)
    valid_from = models.DateField("valide à partir du")
    valid_to = models.DateField("valide jusqu'au", null=True, blank=True)
    source_name = models.CharField("source", max_length=200)
    source_reference = models.CharField(
        "référence dans la source", max_length=200, help_text="Par exemple l'identifiant de l'élément Base Empreinte®."
    )
    source_url = models.URLField("adresse de la source", max_length=500, blank=True)
    uncertainty_percent = models.DecimalField("incertitude (%)", max_digits=6, decimal_places=2, null=True, blank=True)
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=True)
    imported_at = models.DateTimeField("importé le", auto_now=True)
    import_batch = models.ForeignKey(
        FactorImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="factors", verbose_name="import"
    )

    class Meta:
        verbose_name = "facteur d'émission"
        verbose_name_plural = "facteurs d'émission"
        ordering = ["kind", "name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["source_reference", "valid_from"], name="unique_factor_reference_date")
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.value} kgCO2e/{self.get_unit_display()}"

    def save(self, *args, **kwargs):
        from tremplin.core.text import search_key

        self.search_text = search_key(f"{self.name} {self.source_reference} {self.source_name}")[:400]
        super().save(*args, **kwargs)

    @property
    def validity(self) -> str:
        return rules.validity_label(self.valid_from, self.valid_to)

    def as_version(self) -> rules.FactorVersion:
        return rules.FactorVersion(
            reference=self.source_reference,
            name=self.name,
            kind=self.kind,
            unit=self.unit,
            value=self.value,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            key=self.pk,
        )


class Estimate(models.Model):
    """A carbon estimate owned by an organisation: a buyer estimating a lot, or a company estimating its offer."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="carbon_estimates",
        verbose_name="organisation",
    )
    title = models.CharField("intitulé", max_length=200)
    forecast = models.ForeignKey(
        "opportunities.Forecast",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="prévision d'achat",
    )
    lot = models.ForeignKey(
        "opportunities.Lot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="lot"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="marché attribué",
    )
    shared_with_buyer = models.BooleanField(
        "partagée avec l'acheteur de la prévision",
        default=False,
        help_text="Les membres de l'acheteur de la prévision liée pourront la consulter (sans la modifier).",
    )
    reference_date = models.DateField(
        "date de référence", help_text="Les facteurs utilisés sont ceux valides à cette date."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "estimation carbone"
        verbose_name_plural = "estimations carbone"
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("carbon:estimate", args=[self.pk])

    def totals(self) -> rules.Totals:
        return rules.totals((line.section, line.kgco2e) for line in self.lines.all())


class EstimateLine(models.Model):
    estimate = models.ForeignKey(Estimate, on_delete=models.CASCADE, related_name="lines")
    section = models.CharField("section", max_length=12, choices=SECTION_CHOICES)
    description = models.CharField("description", max_length=200)
    quantity = models.DecimalField(
        "quantité", max_digits=18, decimal_places=6, null=True, blank=True, help_text="Production : la quantité."
    )
    unit = models.CharField("unité", max_length=6, choices=UNIT_CHOICES, blank=True)
    tonnes = models.DecimalField("tonnes transportées", max_digits=18, decimal_places=6, null=True, blank=True)
    km = models.DecimalField("distance (km)", max_digits=18, decimal_places=3, null=True, blank=True)
    transport_mode = models.CharField("mode de transport", max_length=10, choices=MODE_CHOICES, blank=True)
    energy_per_year = models.DecimalField("consommation par an", max_digits=18, decimal_places=6, null=True, blank=True)
    years = models.DecimalField("années d'utilisation", max_digits=6, decimal_places=2, null=True, blank=True)
    factor = models.ForeignKey(
        EmissionFactor, on_delete=models.PROTECT, related_name="estimate_lines", verbose_name="facteur utilisé"
    )
    factor_value = models.DecimalField("valeur du facteur au calcul", max_digits=20, decimal_places=8)
    factor_unit = models.CharField("unité du facteur au calcul", max_length=6, choices=UNIT_CHOICES)
    kgco2e = models.DecimalField("émissions (kgCO2e)", max_digits=20, decimal_places=3)
    computed_at = models.DateTimeField("calculée le", auto_now=True)

    class Meta:
        verbose_name = "ligne d'estimation"
        ordering = ["estimate", "pk"]

    def __str__(self) -> str:
        return f"{self.get_section_display()} — {self.description}"

    @property
    def factor_changed(self) -> bool:
        """The factor was corrected by a later import: this line still shows the value it was computed with."""
        return self.factor.value != self.factor_value or self.factor.unit != self.factor_unit
