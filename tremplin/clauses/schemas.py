"""API shapes of the clauses app."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: dict[str, str]


class ClauseTypeOut(Schema):
    code: str
    name: str
    family: str
    family_label: str
    target_unit: str
    description: str
    legal_basis: str


class ProgressOut(Schema):
    hours_due: Decimal
    hours_done: Decimal
    remaining: Decimal
    achieved_percent: Decimal | None = Field(None, description="Heures réalisées ÷ dues, en %, une décimale.")


class ClauseOut(Schema):
    id: int
    type: str
    type_name: str
    forecast: int | None = Field(None, description="Prévision (directement ou par son lot).")
    lot: int | None = None
    lot_number: int | None = None
    contract: str | None = Field(None, description="Clé Tremplin du marché attribué.")
    amount_excl_vat: Decimal | None = None
    labour_share: Decimal | None = Field(None, description="Part de main-d'œuvre, en %.")
    insertion_rate: Decimal | None = Field(None, description="Taux d'insertion, en %.")
    hourly_cost: Decimal | None = Field(None, description="Coût horaire chargé, en €/h.")
    hours_due: int | None = None
    target_percent: Decimal | None = None
    target_text: str
    notes: str
    progress: ProgressOut | None = Field(None, description="Heures dues et réalisées (clause d'insertion d'un marché).")
    created_at: datetime


class ClauseFilters(Schema):
    forecast: int | None = Field(None, description="Identifiant de la prévision (ses lots compris).")
    lot: int | None = Field(None, description="Identifiant du lot.")
    contract: str = Field("", description="Clé Tremplin du marché attribué.")
    type: str = Field("", description="Code du type de clause (insertion, reserve, interpretariat…).")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class ClauseIn(Schema):
    type: str = Field(..., description="Code du type de clause (voir /types).")
    forecast: int | None = Field(None, description="Une seule cible parmi forecast, lot et contract.")
    lot: int | None = None
    contract: str | None = Field(None, description="Clé Tremplin du marché attribué.")
    amount_excl_vat: Decimal | None = None
    labour_share: Decimal | None = None
    insertion_rate: Decimal | None = None
    hourly_cost: Decimal | None = None
    hours_due: int | None = Field(None, description="Sinon calculées à partir des quatre valeurs précédentes.")
    target_percent: Decimal | None = None
    target_text: str = Field("", max_length=500)
    notes: str = Field("", max_length=4000)


class HoursIn(Schema):
    organisation: str = Field("", description="SIRET du titulaire ou du réseau pour lequel vous déclarez.")
    period_start: date
    period_end: date
    hours: Decimal = Field(..., description="Heures d'insertion réalisées sur la période.")
    comment: str = Field("", max_length=500)


class HoursOut(Schema):
    id: int
    clause: int
    period_start: date
    period_end: date
    hours: Decimal
    comment: str
    organisation: str
    organisation_name: str
    created_at: datetime
    progress: ProgressOut


class SummaryFilters(Schema):
    buyer: str = Field("", description="SIRET de l'acheteur.")
    department: str = Field("", description="Code du département d'exécution du marché.")
    year: int | None = Field(None, description="Année de notification du marché.", ge=2000, le=2100)


class SummaryRowOut(Schema):
    year: int | None
    buyer_siret: str
    buyer_name: str
    department: str
    department_name: str
    contracts: int
    hours_due: int
    hours_done: Decimal
    achieved_percent: Decimal | None


class SummaryOut(Schema):
    definition: str
    total: SummaryRowOut
    rows: list[SummaryRowOut]


class ShareOut(Schema):
    label: str
    value: Decimal = Field(..., description="Numérateur, en € HT.")
    base: Decimal = Field(..., description="Dénominateur, en € HT.")
    share_percent: Decimal | None
    target_percent: Decimal
    status: str = Field(..., description="atteint, non atteint ou sans achats déclarés.")


class EgalimOut(Schema):
    buyer: str
    buyer_name: str
    year: int
    total: Decimal
    by_category: dict[str, Decimal]
    quality: ShareOut
    organic: ShareOut
    meat_fish: ShareOut
