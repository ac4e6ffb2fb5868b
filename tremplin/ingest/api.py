"""Data-quality ledger of the imports, mounted at /api/v1/quality (public, read-only).

The DECP are open data; rejected records are shown with their raw payload (see `decp_import.quality`)."""

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from tremplin.contracts.models import Source
from tremplin.ingest.decp_import.quality import reason_label, rejected_records, source_quality

router = Router()

MAX_LIMIT = 200


class CodeCount(Schema):
    code: str
    label: str
    count: int


class Counts(Schema):
    files: int = Field(description="Fichiers (ou membres d'archive) importés.")
    files_unfinished: int = Field(description="Fichiers dont l'import a été interrompu et n'est pas terminé.")
    read: int = Field(description="Enregistrements lus (y compris illisibles).")
    imported: int = Field(description="Enregistrements importés : créés + mis à jour + doublons.")
    created: int = Field(description="Marchés créés.")
    updated: int = Field(description="Marchés remplacés par une copie plus récente, ou complétés d'un titulaire.")
    duplicates: int = Field(description="Copies d'un marché déjà connu, sans rien de nouveau.")
    shared_ids: int = Field(description="Marchés créés dont l'uid était déjà pris par un autre marché (lots).")
    rejected: int = Field(description="Enregistrements rejetés (conservés avec leur motif).")
    flagged: int = Field(description="Enregistrements importés portant au moins une anomalie.")
    contracts: int = Field(description="Marchés que la source fournit actuellement.")
    rejections: list[CodeCount] = Field(description="Rejets par motif.")
    flags: list[CodeCount] = Field(description="Anomalies par règle.")


class SourceQuality(Counts):
    source: str
    last_import: str | None = None


class QualityOut(Schema):
    sources: list[SourceQuality]
    totals: Counts


class RejectionOut(Schema):
    source: str
    file: str
    position: str
    reason_code: str
    reason: str
    reason_label: str
    payload: str


class RejectionPage(Schema):
    count: int
    items: list[RejectionOut]


class RejectionFilters(Schema):
    source: str | None = Field(None, max_length=100, description="Nom de la source.")
    reason: str | None = Field(None, max_length=40, description="Code du motif de rejet (missing_buyer_id…).")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


@router.get("/decp", response=QualityOut, summary="Qualité des données DECP importées, par source")
def decp_quality(request):
    return source_quality()


@router.get("/decp/rejections", response=RejectionPage, summary="Enregistrements DECP rejetés, avec leur contenu brut")
def decp_rejections(request, filters: Query[RejectionFilters]):
    source = None
    if filters.source:
        source = Source.objects.filter(name=filters.source).first()
        if source is None:
            raise HttpError(404, "Source inconnue.")
    records = rejected_records(source, filters.reason)
    count = records.count()
    page = records[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "items": [
            {
                "source": record.source_file.source.name,
                "file": record.source_file.name,
                "position": record.position,
                "reason_code": record.reason_code,
                "reason": record.reason,
                "reason_label": reason_label(record.reason_code),
                "payload": record.payload,
            }
            for record in page
        ],
    }
