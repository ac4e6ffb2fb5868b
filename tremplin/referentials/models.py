"""Reference data: CPV 2008, NAF rév. 2, and French geography (regions, departments, communes)."""

from django.db import models

from tremplin.referentials.querysets import CommuneQuerySet, CpvCodeQuerySet, NafCodeQuerySet
from tremplin.referentials.rules import CPV_LEVEL_SLUGS, NAF_LEVEL_SLUGS


class CpvLevel(models.IntegerChoices):
    DIVISION = 1, "Division"
    GROUP = 2, "Groupe"
    CLASS = 3, "Classe"
    CATEGORY = 4, "Catégorie"
    SUBCATEGORY = 5, "Sous-catégorie"


class CpvCode(models.Model):
    """A code of the CPV 2008 main vocabulary, keyed by its 8 digits (check digit apart)."""

    code = models.CharField("code", max_length=8, primary_key=True)
    check_digit = models.CharField("chiffre de contrôle", max_length=1)
    label = models.CharField("libellé", max_length=400)
    level = models.PositiveSmallIntegerField("niveau", choices=CpvLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="parent",
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)

    objects = CpvCodeQuerySet.as_manager()

    class Meta:
        verbose_name = "code CPV"
        verbose_name_plural = "codes CPV"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}-{self.check_digit} {self.label}"

    @property
    def full_code(self) -> str:
        return f"{self.code}-{self.check_digit}"

    @property
    def division(self) -> str:
        return self.code[:2]

    @property
    def level_slug(self) -> str:
        """The level's French name as in the source file and the API: "division" … "sous-categorie"."""
        return CPV_LEVEL_SLUGS[self.level]

    def ancestors(self) -> CpvCodeQuerySet:
        """From the division down to the parent."""
        return CpvCode.objects.ancestors_of(self.code)

    def descendants(self) -> CpvCodeQuerySet:
        return CpvCode.objects.descendants_of(self.code)


class NafLevel(models.IntegerChoices):
    SECTION = 1, "Section"
    DIVISION = 2, "Division"
    GROUP = 3, "Groupe"
    CLASS = 4, "Classe"
    SUBCLASS = 5, "Sous-classe"


class NafCode(models.Model):
    """A NAF rév. 2 code at any level: section "J", division "62", group "62.0", class "62.01",
    sub-class "62.01Z"."""

    code = models.CharField("code", max_length=6, primary_key=True)
    label = models.CharField("libellé", max_length=300)
    level = models.PositiveSmallIntegerField("niveau", choices=NafLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="parent",
    )
    search_text = models.CharField(max_length=300, editable=False, db_index=True)

    objects = NafCodeQuerySet.as_manager()

    class Meta:
        verbose_name = "code NAF"
        verbose_name_plural = "codes NAF"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def level_slug(self) -> str:
        return NAF_LEVEL_SLUGS[self.level]

    def ancestors(self) -> list["NafCode"]:
        """From the section down to the parent (at most four, read with one query)."""
        chain = NafCode.objects.select_related("parent__parent__parent__parent").get(pk=self.pk)
        ancestors = []
        while chain.parent is not None:
            chain = chain.parent
            ancestors.append(chain)
        return ancestors[::-1]


class Zone(models.TextChoices):
    """Where a region or department lies, as in the INSEE COG (`zone` of @etalab/decoupage-administratif)."""

    METRO = "metro", "France métropolitaine"
    DROM = "drom", "Département ou région d'outre-mer"
    COM = "com", "Collectivité d'outre-mer"


class Region(models.Model):
    """A region, or an overseas collectivity standing for its own region.

    The overseas collectivities (Saint-Pierre-et-Miquelon 975, Saint-Barthélemy 977, Saint-Martin 978,
    TAAF 984, Wallis-et-Futuna 986, Polynésie française 987, Nouvelle-Calédonie 988, Clipperton 989) belong
    to no region. Like the COG files and the DECP tables (`acheteur_region_code` = "977"), each is its own
    pseudo-region and pseudo-department with its INSEE code, marked `zone = "com"`; the 18 regions proper
    are those with zone "metro" or "drom".
    """

    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    zone = models.CharField("zone", max_length=5, choices=Zone.choices, default=Zone.METRO)
    search_text = models.CharField(max_length=100, editable=False)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name="région")
    zone = models.CharField("zone", max_length=5, choices=Zone.choices, default=Zone.METRO)
    search_text = models.CharField(max_length=100, editable=False)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommuneKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    MUNICIPAL_DISTRICT = "arrondissement", "Arrondissement municipal"


class Commune(models.Model):
    """A current commune or a municipal district (Paris, Lyon, Marseille), by INSEE code."""

    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=150)
    kind = models.CharField("type", max_length=20, choices=CommuneKind.choices, default=CommuneKind.COMMUNE)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    population = models.PositiveIntegerField("population", null=True, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    search_text = models.CharField(max_length=150, editable=False, db_index=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def region(self) -> Region:
        return self.department.region


class CommunePostcode(models.Model):
    """Postcode ↔ commune (many to many: a postcode serves several communes and conversely)."""

    postcode = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postcodes")

    class Meta:
        verbose_name = "code postal"
        verbose_name_plural = "codes postaux"
        constraints = [models.UniqueConstraint(fields=["postcode", "commune"], name="unique_postcode_commune")]
        ordering = ["postcode", "commune_id"]

    def __str__(self) -> str:
        return f"{self.postcode} → {self.commune_id}"
