"""Organisations (buyers, suppliers, networks) identified by SIRET, and who acts for them."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from tremplin.core.text import search_key
from tremplin.organisations.rules import derive_size_category


class BuyerType(models.TextChoices):
    """Keys are stable: the payment-delay rules (CCP R2192-10/11) are keyed on them."""

    ETAT = "etat", "État et ses établissements publics"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI ou syndicat"
    ETABLISSEMENT_PUBLIC_SANTE = "etablissement_public_sante", "Établissement public de santé"
    BAILLEUR_SOCIAL = "bailleur_social", "Bailleur social"
    ENTREPRISE_PUBLIQUE = "entreprise_publique", "Entreprise publique"
    AUTRE = "autre", "Autre acheteur"


class SizeCategory(models.TextChoices):
    MICRO = "micro", "Microentreprise (TPE)"
    PME = "pme", "PME"
    ETI = "eti", "ETI"
    GE = "ge", "Grande entreprise"


class SizeSource(models.TextChoices):
    SIRENE = "sirene", "Déduite de SIRENE"
    DECLARED = "declared", "Déclarée"
    UNKNOWN = "", "Inconnue"


class InclusiveStatus(models.TextChoices):
    """Structure types of the inclusive economy (domain-rules §3.2)."""

    EI = "EI", "Entreprise d'insertion (EI)"
    ETTI = "ETTI", "Entreprise de travail temporaire d'insertion (ETTI)"
    AI = "AI", "Association intermédiaire (AI)"
    ACI = "ACI", "Atelier et chantier d'insertion (ACI)"
    EITI = "EITI", "Entreprise d'insertion par le travail indépendant (EITI)"
    GEIQ = "GEIQ", "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)"
    EA = "EA", "Entreprise adaptée (EA)"
    EATT = "EATT", "Entreprise adaptée de travail temporaire (EATT)"
    ESAT = "ESAT", "Établissement et service d'aide par le travail (ESAT)"


SIAE_STATUSES = frozenset({"EI", "ETTI", "AI", "ACI", "EITI"})  # C. trav. L5132-4: eligible under L2113-13
HANDICAP_STATUSES = frozenset({"EA", "EATT", "ESAT"})  # eligible under L2113-12


class Label(models.Model):
    """A quality or commitment label a supplier holds (RGE, Qualiopi, ISO 14001, B Corp…)."""

    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "label"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def buyers(self):
        return self.filter(is_buyer=True)

    def suppliers(self):
        return self.filter(is_supplier=True)


class Organisation(models.Model):
    siret = models.CharField("SIRET", max_length=14, unique=True)
    siren = models.CharField("SIREN", max_length=9, db_index=True, editable=False)
    name = models.CharField("raison sociale", max_length=255)
    is_buyer = models.BooleanField("acheteur public", default=False)
    is_supplier = models.BooleanField("fournisseur", default=False)
    is_network = models.BooleanField("réseau ou structure d'accompagnement", default=False)
    description = models.TextField("présentation", blank=True)
    website = models.URLField("site web", blank=True)

    # Address
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "referentials.Commune", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="commune"
    )
    department = models.ForeignKey(
        "referentials.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="département",
        help_text="Département de l'établissement (déduit de la commune quand elle est connue).",
    )

    # Buyer attributes
    buyer_type = models.CharField("type d'acheteur", max_length=30, choices=BuyerType.choices, blank=True)

    # Supplier attributes
    naf = models.ForeignKey(
        "referentials.NafCode", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="code NAF"
    )
    headcount_band = models.CharField(
        "tranche d'effectif SIRENE",
        max_length=2,
        blank=True,
        help_text="Code INSEE (NN, 00, 01 … 53) de l'unité légale (SIREN) : c'est lui qui détermine la taille.",
    )
    establishment_headcount_band = models.CharField(
        "tranche d'effectif de l'établissement",
        max_length=2,
        blank=True,
        editable=False,
        help_text="Code INSEE (NN, 00, 01 … 53) de l'établissement (SIRET), pour information.",
    )
    company_category = models.CharField(
        "catégorie d'entreprise SIRENE", max_length=3, blank=True, help_text="PME, ETI ou GE (INSEE)."
    )
    declared_size_category = models.CharField("taille déclarée", max_length=5, choices=SizeCategory.choices, blank=True)
    size_category = models.CharField(
        "catégorie de taille", max_length=5, choices=SizeCategory.choices, blank=True, editable=False
    )
    size_source = models.CharField(
        "origine de la taille", max_length=10, choices=SizeSource.choices, blank=True, editable=False
    )
    inclusive_status = models.CharField("statut inclusif", max_length=5, choices=InclusiveStatus.choices, blank=True)
    is_ess = models.BooleanField("entreprise de l'ESS", default=False)
    is_esus = models.BooleanField("agrément ESUS", default=False)
    legal_category = models.CharField(
        "catégorie juridique",
        max_length=4,
        blank=True,
        editable=False,
        help_text="Code INSEE des catégories juridiques, niveau III (ex. 5710 SAS, 7210 commune).",
    )

    # SIRENE register facts, written by `tremplin import_sirene` only (not editable: the next import would undo it).
    is_closed = models.BooleanField(
        "établissement fermé", default=False, editable=False, help_text="Fermé au répertoire SIRENE."
    )
    closed_on = models.DateField("fermé depuis le", null=True, blank=True, editable=False)
    sirene_updated_at = models.DateTimeField(
        "dernière mise à jour depuis SIRENE", null=True, blank=True, editable=False
    )
    sirene_values = models.JSONField(
        "valeurs reprises de SIRENE",
        default=dict,
        blank=True,
        editable=False,
        help_text="Dernières valeurs écrites par l'import SIRENE dans les champs qu'un membre peut aussi renseigner "
        "(nom, adresse, commune…) : une valeur différente a été saisie sur la plateforme et n'est plus remplacée.",
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="organisations", verbose_name="labels")
    search_text = models.CharField(max_length=255, editable=False, db_index=True, default="")

    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        indexes = [models.Index(fields=["is_buyer"]), models.Index(fields=["is_supplier"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.siret])

    def set_derived_fields(self) -> None:
        """Compute the fields derived from the others (cleaned SIRET, SIREN, search key, department of the
        commune, size category). `save()` calls it; bulk writers (the DECP importer) call it on the rows they
        insert without `save()`, so that both give the same values."""
        self.siret = "".join(self.siret.split())
        self.siren = self.siret[:9]
        self.search_text = search_key(self.name)[:255]  # transliteration can lengthen the name
        if self.commune_id and not self.department_id:
            self.department_id = self.commune.department_id
        self.size_category, self.size_source = derive_size_category(
            self.headcount_band, self.company_category, self.declared_size_category
        )

    @property
    def is_siae(self) -> bool:
        return self.inclusive_status in SIAE_STATUSES

    @property
    def is_inclusive(self) -> bool:
        return bool(self.inclusive_status)


class Role(models.TextChoices):
    BUYER_AGENT = "buyer_agent", "Agent acheteur"
    COMPANY_MEMBER = "company_member", "Membre de l'entreprise"
    FACILITATOR = "facilitator", "Facilitateur / réseau"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "En attente de validation"
    ACTIVE = "active", "Active"
    REJECTED = "rejected", "Refusée"


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=MembershipStatus.ACTIVE)

    def pending(self):
        return self.filter(status=MembershipStatus.PENDING)


class Membership(models.Model):
    """A person acting for an organisation. A claim is a membership in the pending state, approved by the
    organisation's active members (or by platform staff when it has none)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    status = models.CharField("statut", max_length=10, choices=MembershipStatus.choices, default="pending")
    message = models.TextField("message de la demande", blank=True)
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="décidée par",
    )
    decision_reason = models.CharField("motif", max_length=255, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement"
        ordering = ["-requested_at"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_user_organisation")]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.get_role_display()}, {self.get_status_display()})"
