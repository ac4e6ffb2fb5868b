"""API schemas of mediation cases and statistics."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from tremplin.mediation import rules

Category = Literal[tuple(rules.CATEGORY_LABELS)]
Side = Literal["company", "buyer"]
Action = Literal[tuple(rules.TRANSITIONS)]


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class PartyOut(Schema):
    siret: str
    name: str


class RegionOut(Schema):
    code: str
    name: str


class ContractOut(Schema):
    key: str
    object: str


class DeadlineOut(Schema):
    key: str
    label: str
    due: date
    done_on: date | None
    state: str = Field(..., description="met, met_late, pending, overdue ou not_applicable.")
    state_label: str
    days_left: int | None


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: datetime
    download_url: str = Field(..., description="Téléchargement par l'API (même authentification).")

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse("api-v1:mediation_document", args=[obj.case_id, obj.pk])


class MessageOut(Schema):
    id: int
    author: str = Field(..., alias="author_label")
    author_role: str = Field(..., description="mediator, company ou buyer.")
    body: str
    created_at: datetime
    documents: list[DocumentOut]

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.all())


class EventOut(Schema):
    actor: str = Field(..., alias="actor_label")
    action: str
    action_label: str
    details: str
    created_at: datetime

    @staticmethod
    def resolve_action_label(obj) -> str:
        return obj.get_action_display()


class CaseSummaryOut(Schema):
    id: int
    reference: str
    status: str
    status_label: str
    category: str
    category_label: str
    company: PartyOut
    buyer: PartyOut
    filed_by_side: Side
    filed_at: datetime
    mediator: str | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_category_label(obj) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_mediator(obj) -> str | None:
        return obj.mediator.get_full_name() if obj.mediator_id else None


class CaseListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseSummaryOut]


class CaseOut(CaseSummaryOut):
    description: str
    amount_at_stake: Decimal | None
    contract: ContractOut | None
    region: RegionOut | None
    status_reason: str
    first_contact_at: datetime | None
    mediation_started_at: datetime | None
    closed_at: datetime | None
    deadlines: list[DeadlineOut]
    allowed_actions: list[str] = Field(..., description="Les actions que vous pouvez faire maintenant.")
    can_post_message: bool
    messages: list[MessageOut]
    documents: list[DocumentOut]
    events: list[EventOut] = Field(..., description="Le journal du dossier, du plus ancien au plus récent.")


class CaseIn(Schema):
    organisation_siret: str = Field(..., description="SIRET de l'organisation pour laquelle vous déposez.")
    side: Side | None = Field(
        None, description="company ou buyer ; déduit de votre rôle dans l'organisation si absent."
    )
    other_party_siret: str = Field(..., description="SIRET de l'autre partie (acheteur public ou entreprise).")
    contract_key: str = Field("", description="Clé du marché sur Tremplin, si vous la connaissez.")
    category: Category
    amount_at_stake: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    description: str = Field(..., description="Exposé du différend (20 à 10 000 caractères).")


class MessageIn(Schema):
    body: str = Field(..., description="Le message (10 000 caractères au plus).")


class ActionIn(Schema):
    action: Action
    reason: str = Field("", description="Motif ou commentaire ; obligatoire pour decline.")


class CellOut(Schema):
    key: str
    label: str
    count: int | None = Field(..., description="null quand le chiffre est masqué (moins de 3 demandes).")
    suppressed: bool


class StatisticsFiltersOut(Schema):
    year: int | None
    region: str | None
    category: str | None


class StatisticsOut(Schema):
    filters: StatisticsFiltersOut
    min_cell_size: int
    total: int | None
    closed: int | None
    median_duration_days: float | None = Field(..., description="Du dépôt à la clôture, demandes closes.")
    by_category: list[CellOut]
    by_region: list[CellOut]
    by_outcome: list[CellOut]
