"""API schemas of the observatory: query filters (validated before any query) and response shapes."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from tremplin.observatory.filters import (
    CPV_PATTERN,
    DEPARTMENT_PATTERN,
    REGION_PATTERN,
    SIRET_PATTERN,
    TEXT_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Filters,
)
from tremplin.observatory.queries import MAX_LIMIT

By = Literal[
    "year", "month", "region", "department", "cpv_division", "buyer", "holder", "procedure", "nature", "size_category"
]
Sort = Literal["amount", "key", "contracts"]


class FilterParams(Schema):
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Année de notification.")
    date_from: datetime.date | None = Field(None, description="Notifié à partir de cette date (AAAA-MM-JJ).")
    date_to: datetime.date | None = Field(None, description="Notifié jusqu'à cette date incluse (AAAA-MM-JJ).")
    region: str | None = Field(None, pattern=REGION_PATTERN, description="Code INSEE de la région du territoire.")
    department: str | None = Field(None, pattern=DEPARTMENT_PATTERN, description="Département du territoire.")
    buyer: str | None = Field(None, pattern=SIRET_PATTERN, description="SIRET de l'acheteur.")
    holder: str | None = Field(
        None, pattern=SIRET_PATTERN, description="SIRET d'un titulaire (montants : sa part du marché)."
    )
    cpv: str | None = Field(
        None, pattern=CPV_PATTERN, description="Préfixe CPV à tout niveau : 45, 4521 ou 45210000 (= 4521…)."
    )
    procedure: str | None = Field(None, max_length=TEXT_MAX, description="Procédure, telle que publiée.")
    nature: str | None = Field(None, max_length=TEXT_MAX, description="Nature (Marché, Accord-cadre…).")
    include_suspicious: bool = Field(False, description="Inclure les montants jugés suspects dans les sommes.")

    def filters(self) -> Filters:
        return Filters.from_params(self.dict())


class Pagination(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    sort: Sort = Field("amount", description="amount (défaut, décroissant), contracts, ou key (chronologique).")


class ShareCounts(Schema):
    yes: float
    no: float
    unknown: float
    rate: float | None = Field(None, description="oui / (oui + non) : l'inconnu n'est jamais compté comme non.")
    coverage: float | None = Field(None, description="(oui + non) / total.")


class Share(Schema):
    count: ShareCounts
    amount: ShareCounts


class Offers(Schema):
    known: int
    unknown: int
    mean: float | None
    single_bid: int
    single_bid_rate: float | None


class Flagged(Schema):
    contracts: int
    rate: float | None
    suspicious_amounts: int


class IndicatorsOut(Schema):
    contracts: int
    amount: float | None
    amount_median: float | None
    amount_contracts: int = Field(description="Marchés dont le montant entre dans les sommes.")
    sme: Share
    local_department: Share
    local_region: Share
    inclusive: Share
    offers: Offers
    flagged: Flagged
    include_suspicious: bool


class BreakdownRow(Schema):
    key: str
    label: str
    contracts: int
    amount: float | None


class BreakdownOut(Schema):
    by: str
    total: int
    limit: int
    offset: int
    rows: list[BreakdownRow]
