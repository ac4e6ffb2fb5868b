"""Responsible-procurement clauses: the catalogue of clause types, the clauses attached to forecasts, lots and
contracts, the insertion practice defaults, the hours declared on insertion clauses and EGalim purchases."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tremplin.clauses import rules

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Family(models.TextChoices):
    SOCIAL = "social", "Social"
    ENVIRONMENTAL = "environmental", "Environnemental"
    FOOD = "food", "Alimentation"
    LANGUAGE = "language", "Langue et sécurité"


class TargetUnit(models.TextChoices):
    HOURS = "hours", "Heures d'insertion"
    PERCENT = "percent", "Pourcentage"
    TEXT = "text", "Engagement décrit"


class ClauseType(models.Model):
    """One kind of clause of the catalogue (seeded by a data migration)."""

    INSERTION = "insertion"
    RESERVED = "reserve"
    INTERPRETER = "interpretariat"
    CARBON = "carbone"
    EGALIM = "egalim"
    SHORT_CIRCUIT = "circuit_court"

    code = models.SlugField("code", max_length=30, unique=True)
    name = models.CharField("nom", max_length=120)
    family = models.CharField("famille", max_length=15, choices=Family.choices)
    description = models.TextField("description")
    legal_basis = models.CharField("fondement", max_length=255, blank=True)
    target_unit = models.CharField("unité de l'objectif", max_length=10, choices=TargetUnit.choices)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "type de clause"
        verbose_name_plural = "types de clauses"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Clause(models.Model):
    """A clause attached to exactly one forecast, lot or awarded contract, with its targets."""

    clause_type = models.ForeignKey(ClauseType, on_delete=models.PROTECT, related_name="clauses", verbose_name="type")
    forecast = models.ForeignKey(
        "opportunities.Forecast", null=True, blank=True, on_delete=models.CASCADE, related_name="clauses"
    )
    lot = models.ForeignKey(
        "opportunities.Lot", null=True, blank=True, on_delete=models.CASCADE, related_name="clauses"
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.CASCADE, related_name="clauses"
    )

    # Insertion: the computation inputs are kept so that the hours due can be explained.
    amount_excl_vat = models.DecimalField(
        "montant HT retenu (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    labour_share = models.DecimalField(
        "part de main-d'œuvre (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    insertion_rate = models.DecimalField(
        "taux d'insertion (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    hourly_cost = models.DecimalField(
        "coût horaire chargé (€/h)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    hours_due = models.PositiveIntegerField("heures d'insertion dues", null=True, blank=True)

    target_percent = models.DecimalField(
        "objectif (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    target_text = models.CharField("objectif ou engagement", max_length=500, blank=True)
    notes = models.TextField("remarques", blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("ajoutée le", auto_now_add=True)

    class Meta:
        verbose_name = "clause"
        ordering = ["clause_type__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(forecast__isnull=False, lot__isnull=True, contract__isnull=True)
                    | Q(forecast__isnull=True, lot__isnull=False, contract__isnull=True)
                    | Q(forecast__isnull=True, lot__isnull=True, contract__isnull=False)
                ),
                name="clause_attached_to_exactly_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.clause_type} — {self.target_label}"

    @property
    def is_insertion(self) -> bool:
        return self.clause_type.code == ClauseType.INSERTION

    @property
    def target_label(self) -> str:
        parts = []
        if self.hours_due is not None:
            parts.append(f"{self.hours_due} h d'insertion")
        if self.target_percent is not None:
            parts.append(f"{self.target_percent.normalize():f} %".replace(".", ","))
        if self.target_text:
            parts.append(self.target_text)
        return " — ".join(parts) or "Sans objectif chiffré"

    @property
    def attached_label(self) -> str:
        if self.lot_id:
            return f"Lot {self.lot.number} — {self.lot.title}"
        if self.forecast_id:
            return "Toute la prévision"
        return "Le marché"


class InsertionDefaults(models.Model):
    """The practice values proposed when a buyer sizes an insertion clause (one row; staff edit it in the
    admin). A practice, not a rule of law: buyers and facilitators change them clause by clause."""

    insertion_rate = models.DecimalField(
        "taux d'insertion proposé (%)", max_digits=5, decimal_places=2, default=Decimal(5), validators=PERCENT
    )
    hourly_cost = models.DecimalField("coût horaire chargé proposé (€/h)", max_digits=7, decimal_places=2, default=30)
    default_labour_share = models.DecimalField(
        "part de main-d'œuvre hors tableau (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=PERCENT,
        help_text="Appliquée aux divisions CPV sans ligne dans le tableau des parts de main-d'œuvre.",
    )
    source = models.TextField("source", blank=True)
    updated_at = models.DateTimeField("modifiées le", auto_now=True)

    class Meta:
        verbose_name = "valeurs d'insertion par défaut"
        verbose_name_plural = "valeurs d'insertion par défaut"

    def __str__(self) -> str:
        return f"Taux {self.insertion_rate} %, {self.hourly_cost} €/h"

    @classmethod
    def current(cls) -> "InsertionDefaults":
        return cls.objects.order_by("pk").first() or cls()


class LabourShare(models.Model):
    """The labour share of a CPV division, as commonly used to size insertion clauses (practice)."""

    division = models.CharField("division CPV", max_length=2, unique=True, help_text="2 chiffres, par ex. 45.")
    label = models.CharField("intitulé", max_length=200)
    labour_share = models.DecimalField("part de main-d'œuvre (%)", max_digits=5, decimal_places=2, validators=PERCENT)
    source = models.CharField("source", max_length=500, blank=True)

    class Meta:
        verbose_name = "part de main-d'œuvre par division CPV"
        verbose_name_plural = "parts de main-d'œuvre par division CPV"
        ordering = ["division"]

    def __str__(self) -> str:
        return f"{self.division} — {self.label} : {self.labour_share} %"


class HoursDeclaration(models.Model):
    """Insertion hours done over a period, declared by a holder's member or a facilitator."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="declarations")
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    hours = models.DecimalField("heures réalisées", max_digits=9, decimal_places=2)
    comment = models.CharField("précisions", max_length=500, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="déclarée par"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="pour"
    )
    created_at = models.DateTimeField("déclarée le", auto_now_add=True)

    class Meta:
        verbose_name = "déclaration d'heures d'insertion"
        verbose_name_plural = "déclarations d'heures d'insertion"
        ordering = ["clause", "period_start"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="hours_period_ordered"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h du {self.period_start:%d/%m/%Y} au {self.period_end:%d/%m/%Y}"


class EgalimPurchase(models.Model):
    """Food purchases of a buyer's catering for one year, in one EGalim category and product family."""

    buyer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="egalim_purchases", verbose_name="acheteur"
    )
    year = models.PositiveSmallIntegerField("année")
    category = models.CharField("catégorie", max_length=25, choices=list(rules.CATEGORIES.items()))
    family = models.CharField("famille de produits", max_length=20, choices=list(rules.FAMILIES.items()))
    amount_excl_vat = models.DecimalField(
        "montant HT (€)", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    label = models.CharField("précision", max_length=200, blank=True, help_text="Label, fournisseur, restaurant…")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="déclaré par"
    )
    created_at = models.DateTimeField("déclaré le", auto_now_add=True)

    class Meta:
        verbose_name = "achat alimentaire (EGalim)"
        verbose_name_plural = "achats alimentaires (EGalim)"
        ordering = ["buyer", "-year", "family", "category", "pk"]
        indexes = [models.Index(fields=["buyer", "year"])]
        constraints = [models.CheckConstraint(condition=Q(amount_excl_vat__gt=0), name="egalim_amount_positive")]

    def __str__(self) -> str:
        return f"{self.buyer} {self.year} {self.category}/{self.family}: {self.amount_excl_vat} €"

    def as_rule(self) -> rules.Purchase:
        return rules.Purchase(self.category, self.family, self.amount_excl_vat)
