"""The matching engine's public vocabulary, shared by its callers (API, pages, saved searches and alerts).

Fields may be added (with defaults); names here are a contract between apps — do not rename them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# Kinds of opportunity a supplier can be matched with.
FORECAST = "forecast"  # a published purchase forecast as a whole (tremplin.opportunities.Forecast)
LOT = "lot"  # one lot of a published forecast (tremplin.opportunities.Lot)
NOTICE = "notice"  # an open published notice, BOAMP or TED (tremplin.notices.Notice)
OPPORTUNITY_KINDS = (FORECAST, LOT, NOTICE)


@dataclass(frozen=True)
class OpportunityQuery:
    """What a supplier looks for: built from its profile (``services.query_for_profile``) or from a saved search.
    Empty fields do not restrict and do not score."""

    text: str = ""
    cpv: tuple[str, ...] = ()  # 8-digit CPV codes at any level (45000000 stands for the whole division)
    departments: tuple[str, ...] = ()  # department codes the supplier covers
    regions: tuple[str, ...] = ()  # region codes the supplier covers
    national: bool = False  # covers all of France
    origin: tuple[float, float] | None = None  # (latitude, longitude) of the establishment, for distances
    radius_km: float | None = None  # covers this radius around ``origin``
    kinds: tuple[str, ...] = OPPORTUNITY_KINDS
    inclusive_status: str = ""  # organisations.InclusiveStatus value: eligibility for reserved lots
    is_ess: bool = False
    turnover: int | None = None  # euros excl. VAT: size fit (economic dependency)
    min_amount: int | None = None  # estimated amount filters (euros excl. VAT); unknown amounts pass
    max_amount: int | None = None
    track_record: tuple[tuple[str, int], ...] = ()  # (CPV division, contracts won there): the supplier's track record


@dataclass(frozen=True)
class OpportunityMatch:
    """One ranked opportunity, with the reasons of its score in plain French."""

    id: str  # "<kind>:<pk>", e.g. "forecast:12", "lot:34", "notice:56"
    kind: str  # one of OPPORTUNITY_KINDS
    pk: int
    title: str
    score: float  # 0–100
    reasons: tuple[str, ...] = ()
    url: str = ""  # the page of the opportunity (a lot: its forecast's page)
    buyer_name: str = ""
    deadline: date | None = None  # expected or published offer deadline
    published_at: datetime | None = None  # when it became visible on Tremplin (forecast published, notice imported)
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SupplierQuery:
    """A buyer's need (a free description, a forecast, one of its lots or a notice) looked up among supplier
    profiles. ``filters`` restrict, they do not score: "inclusive" (any SIAE/EA/ESAT status), "siae", "ea_esat",
    "ess", "local" (establishment in one of ``departments``, or in the commune's department), "sme" (micro or
    PME), and size categories ("micro", "pme", "eti", "ge")."""

    text: str = ""
    cpv: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()  # where the need is executed
    commune: str = ""  # INSEE code of the place of execution, for distances
    amount: int | None = None  # estimated amount (euros excl. VAT), for size fit
    reservation: str = ""  # the lot's reservation (opportunities RESERVATION_CHOICES value) for eligibility
    filters: tuple[str, ...] = ()


@dataclass(frozen=True)
class SupplierMatch:
    """One ranked supplier, with the reasons of its score in plain French."""

    id: str  # "supplier:<organisation pk>"
    organisation_pk: int
    siret: str
    name: str
    score: float  # 0–100
    reasons: tuple[str, ...] = ()
    url: str = ""  # the supplier's public profile page
    inclusive_status: str = ""
    size_category: str = ""
    department: str = ""
    distance_km: float | None = None
    extra: dict = field(default_factory=dict)
