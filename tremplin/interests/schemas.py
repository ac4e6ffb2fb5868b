"""API shapes of the interest funnel and of messaging (descriptions in French: they document the API)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: dict[str, str] = Field(..., description="Message par champ (opportunity, action, reason, details, lots).")


class InterestIn(Schema):
    opportunity: str = Field(
        ..., description="« forecast:<id> » (prévision), « lot:<id> » (lot d'une prévision) ou « notice:<id> » (avis)."
    )
    organisation: str = Field(
        ..., description="SIRET de l'entreprise pour laquelle vous répondez (vous en êtes membre)."
    )
    action: str = Field(..., description="follow (suivre), unfollow (ne plus suivre), interested, not_interested.")
    reason: str = Field(
        "",
        description="Pour not_interested : not_my_activity, too_large, too_far, timing, "
        "reserved_not_eligible ou other.",
    )
    details: str = Field("", description="Précisions (500 caractères), obligatoires avec reason=other.")
    lots: list[int] = Field(
        [], description="Pour interested sur une prévision : identifiants des lots visés (vide : toute la prévision)."
    )


class LotOut(Schema):
    id: int
    number: int
    title: str


class InterestOut(Schema):
    opportunity: str = Field(..., description="« forecast:<id> » ou « notice:<id> ».")
    title: str
    url: str
    organisation: str = Field(..., description="SIRET de l'entreprise.")
    organisation_name: str
    state: str = Field(..., description="interested, not_interested ou vide (pas de réponse).")
    following: bool
    notified_at: datetime | None
    viewed_at: datetime | None
    followed_at: datetime | None
    interested_at: datetime | None
    not_interested_at: datetime | None
    reason: str
    reason_label: str
    details: str
    lots: list[LotOut]
    thread: int | None = Field(None, description="Identifiant du fil d'échanges avec l'acheteur, s'il existe.")


class StepCounts(Schema):
    notified: int
    viewed: int
    following: int
    interested: int
    not_interested: int


class ReasonCount(Schema):
    reason: str
    label: str
    count: int


class InterestedCompanyOut(Schema):
    siret: str
    name: str
    size_category: str = Field(..., description="micro, pme, eti, ge ou vide.")
    inclusive_status: str = Field(..., description="EI, ETTI, AI, ACI, EITI, GEIQ, EA, EATT, ESAT ou vide.")
    department: str = Field(..., description="Code du département de l'établissement.")
    lots: list[LotOut]
    interested_at: datetime
    profile_url: str
    thread: int | None


class ForecastInterestsOut(Schema):
    forecast: int
    title: str
    counts: StepCounts
    reasons: list[ReasonCount]
    interested: list[InterestedCompanyOut]


class MessageIn(Schema):
    body: str = Field(..., description="Texte simple (5 000 caractères au plus) ; les retours à la ligne sont gardés.")


class MessageOut(Schema):
    id: int
    side: str = Field(..., description="supplier (l'entreprise) ou buyer (l'acheteur).")
    organisation: str = Field(..., description="Nom de l'organisation de l'auteur.")
    author: str
    body: str
    created_at: datetime


class ThreadOut(Schema):
    id: int
    forecast: int
    forecast_title: str
    buyer: str = Field(..., description="SIRET de l'acheteur.")
    organisation: str = Field(..., description="SIRET de l'entreprise.")
    can_write: bool
    messages: list[MessageOut]
