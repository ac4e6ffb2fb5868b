"""Awarded contracts from the DECP open data, with their provenance and the data-quality ledger.

Identity: a DECP record's `uid` is the buyer identifier + the contract `id`. Records sharing a uid are one
contract when their notification date and initial holders agree; otherwise they are distinct contracts that
share an id (lots). `Contract.key` is therefore uid + a short hash of (notification date, initial holders):
stable whatever order files are imported in, and distinct for lots sharing an id."""

from django.db import models
from django.urls import reverse


class Kind(models.TextChoices):
    MARCHE = "marche", "Marché"
    CONCESSION = "concession", "Contrat de concession"


class TerritorySource(models.TextChoices):
    EXECUTION = "execution", "Lieu d'exécution"
    BUYER = "buyer", "Établissement de l'acheteur"
    UNKNOWN = "unknown", "Inconnu"


class Source(models.Model):
    """Where DECP records come from (a platform, a consolidated file…): `import_decp --source NAME`."""

    name = models.CharField("nom", max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "source DECP"
        verbose_name_plural = "sources DECP"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceFile(models.Model):
    """One data file (or archive member) of a source, identified by its content fingerprint. Holds the
    resumption checkpoint and this file's quality counts, replaced (never added to) on re-import.

    `fingerprint`: SHA-256 of the file for a plain file; for an archive member or a compressed file, SHA-256 of
    (SHA-256 of the file as given on the command line, member name) — the member's content is determined by
    them, and hashing the file once is cheaper than decompressing twice. `archive` is the SHA-256 of the file
    as given, shared by all the members of one archive. `run` identifies the import run that last processed
    the file: when an import is resumed (some file of its paths is not done), the files already done by that
    same run are not read again, so that the resumed run ends with the counts of a clean run."""

    class Status(models.TextChoices):
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Interrompu par une erreur"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="files")
    name = models.CharField("fichier", max_length=500)
    fingerprint = models.CharField("empreinte SHA-256", max_length=64)
    archive = models.CharField("empreinte du fichier importé", max_length=64, blank=True, db_index=True)
    run = models.CharField(
        "import", max_length=32, blank=True, help_text="Identifiant de l'exécution d'import qui a traité ce fichier."
    )
    size = models.BigIntegerField("taille (octets)", default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    checkpoint = models.BigIntegerField("enregistrements traités", default=0)
    counts = models.JSONField("compteurs", default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "fichier importé"
        constraints = [models.UniqueConstraint(fields=["source", "fingerprint"], name="unique_source_fingerprint")]
        ordering = ["source", "name"]

    def __str__(self) -> str:
        return f"{self.source} — {self.name}"


class Contract(models.Model):
    key = models.CharField("clé", max_length=120, unique=True)
    uid = models.CharField("uid DECP", max_length=100, db_index=True)
    decp_id = models.CharField("identifiant du marché", max_length=100)
    kind = models.CharField("type", max_length=12, choices=Kind.choices, default=Kind.MARCHE)
    buyer = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts_bought",
        verbose_name="acheteur",
    )
    buyer_identifier = models.CharField("identifiant de l'acheteur", max_length=20)
    buyer_name = models.CharField("nom de l'acheteur (publié)", max_length=300, blank=True)

    nature = models.CharField("nature", max_length=60, blank=True)
    object = models.TextField("objet", blank=True)
    cpv = models.CharField("code CPV", max_length=8, blank=True, db_index=True)
    procedure = models.CharField("procédure", max_length=120, blank=True)
    price_form = models.CharField("forme du prix", max_length=60, blank=True)

    place_code = models.CharField("code du lieu d'exécution", max_length=20, blank=True)
    place_type = models.CharField("type de code du lieu", max_length=20, blank=True)
    place_name = models.CharField("lieu d'exécution", max_length=200, blank=True)
    territory_department = models.CharField("département (territoire)", max_length=3, blank=True, db_index=True)
    territory_region = models.CharField("région (territoire)", max_length=3, blank=True, db_index=True)
    territory_source = models.CharField(
        "origine du territoire", max_length=10, choices=TerritorySource.choices, default=TerritorySource.UNKNOWN
    )

    notification_date = models.DateField("date de notification", null=True, blank=True, db_index=True)
    publication_date = models.DateField("date de publication des données", null=True, blank=True)
    amount_initial = models.DecimalField("montant à la notification", max_digits=17, decimal_places=2, null=True)
    duration_initial = models.PositiveIntegerField("durée à la notification (mois)", null=True, blank=True)
    amount_current = models.DecimalField("montant actuel", max_digits=17, decimal_places=2, null=True)
    duration_current = models.PositiveIntegerField("durée actuelle (mois)", null=True, blank=True)
    offers_received = models.PositiveIntegerField("offres reçues", null=True, blank=True)

    techniques = models.JSONField("techniques d'achat", default=list, blank=True)
    execution_modalities = models.JSONField("modalités d'exécution", default=list, blank=True)
    social_considerations = models.JSONField("considérations sociales", default=list, blank=True)
    environmental_considerations = models.JSONField("considérations environnementales", default=list, blank=True)

    flags = models.JSONField("anomalies", default=list, blank=True)
    amount_suspicious = models.BooleanField("montant suspect", default=False, db_index=True)

    format = models.CharField("format DECP", max_length=10, blank=True)
    source_file = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="fichier"
    )
    source_position = models.CharField("position dans le fichier", max_length=60, blank=True)
    content_hash = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "marché attribué"
        verbose_name_plural = "marchés attribués"
        ordering = ["-notification_date", "key"]

    def __str__(self) -> str:
        return f"{self.key} — {self.object[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.key])


class ContractHolder(models.Model):
    """A holder (titulaire) of a contract, at notification and/or now (after modifications)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="holders")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts_held",
        verbose_name="organisation",
    )
    id_type = models.CharField("type d'identifiant", max_length=12, blank=True)
    identifier = models.CharField("identifiant", max_length=40, blank=True)
    name = models.CharField("dénomination publiée", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_initial = models.BooleanField("titulaire à la notification", default=True)
    is_current = models.BooleanField("titulaire actuel", default=True)

    class Meta:
        verbose_name = "titulaire"
        ordering = ["contract", "position"]

    def __str__(self) -> str:
        return f"{self.identifier} {self.name}".strip()


class ContractModification(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="modifications")
    seq = models.PositiveSmallIntegerField("ordre")
    decp_id = models.CharField("identifiant", max_length=40, blank=True)
    notification_date = models.DateField("date de notification", null=True, blank=True)
    publication_date = models.DateField("date de publication", null=True, blank=True)
    object = models.TextField("objet de la modification", blank=True)
    duration_months = models.PositiveIntegerField("nouvelle durée (mois)", null=True, blank=True)
    amount = models.DecimalField("nouveau montant", max_digits=17, decimal_places=2, null=True, blank=True)
    holders = models.JSONField("nouveaux titulaires", default=list, blank=True)

    class Meta:
        verbose_name = "modification"
        ordering = ["contract", "seq"]
        constraints = [models.UniqueConstraint(fields=["contract", "seq"], name="unique_contract_modification_seq")]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.seq}"


class RejectedRecord(models.Model):
    """A record that could not be imported, kept for review with its raw payload."""

    source_file = models.ForeignKey(SourceFile, on_delete=models.CASCADE, related_name="rejections")
    position = models.CharField("position", max_length=60)
    reason_code = models.CharField("motif (code)", max_length=40, db_index=True)
    reason = models.TextField("motif")
    payload = models.TextField("enregistrement brut")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "enregistrement rejeté"
        verbose_name_plural = "enregistrements rejetés"
        constraints = [models.UniqueConstraint(fields=["source_file", "position"], name="unique_rejection_position")]
        ordering = ["source_file", "id"]

    def __str__(self) -> str:
        return f"{self.source_file.name} {self.position}: {self.reason}"
