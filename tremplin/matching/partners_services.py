"""Use case of the partner finder: complementary suppliers for a joint bid (groupement) on a forecast.

For each lot, the matching engine's candidates (``search_suppliers`` on ``query_for_forecast(forecast, lot)``)
are the only ones considered; ``partners.plan`` combines them; access is ``tremplin.policy``."""

from __future__ import annotations

from dataclasses import dataclass

from tremplin import policy
from tremplin.matching import partners
from tremplin.matching.inclusive_services import ForecastNotFound, engine, inclusive_kind
from tremplin.matching.types import SupplierMatch, SupplierQuery

CANDIDATE_LIMIT = 100  # engine results read per lot: the lead counts as fit for a lot when it is among them


@dataclass
class PartnerFinder:
    forecast: object
    lead: object  # organisations.Organisation or None
    lots: list[partners.LotNeed]
    plan: partners.PartnerPlan
    allotted: bool

    def label(self, number: int) -> str:
        title = next((lot.title for lot in self.lots if lot.number == number), "")
        return "Marché entier" if number == partners.WHOLE_CONTRACT else f"Lot {number} — {title}"

    @property
    def lead_lot_labels(self) -> list[str]:
        return [self.label(number) for number in self.plan.lead_lots]

    @property
    def uncovered_labels(self) -> list[str]:
        return [self.label(number) for number in self.plan.uncovered]

    @property
    def per_lot_rows(self) -> list[tuple[str, tuple[partners.Suggestion, ...]]]:
        return [(self.label(number), suggestions) for number, suggestions in self.plan.per_lot.items()]


def candidate(match: SupplierMatch, query: SupplierQuery) -> partners.Candidate:
    return partners.Candidate(
        siret=match.siret,
        name=match.name,
        score=match.score,
        url=match.url,
        distance_km=match.distance_km,
        local=bool(match.department and match.department in query.departments),
        size_category=match.size_category,
        inclusive_status=match.inclusive_status,
        inclusive_kind=inclusive_kind(match.inclusive_status),
    )


def supplier_viewpoints(user) -> list:
    """The supplier organisations from whose point of view `user` may look for partners (their own)."""
    return policy.partner_finder_organisations(user)


def find_partners(user, forecast, lead=None) -> PartnerFinder:
    """Partners for `lead` (an organisation, or None for a groupement from scratch) on `forecast`."""
    if not policy.can_view_inclusive_potential(user, forecast):
        raise ForecastNotFound("Prévision inconnue.")
    matcher = engine()
    lots = list(forecast.lots.select_related("cpv").order_by("number"))
    needs, candidates = [], {}
    if lots:
        for lot in lots:
            query = matcher.query_for_forecast(forecast, lot)
            needs.append(partners.LotNeed(lot.number, lot.title))
            matches = matcher.search_suppliers(query, limit=CANDIDATE_LIMIT, offset=0)
            candidates[lot.number] = [candidate(match, query) for match in matches]
    else:
        query = matcher.query_for_forecast(forecast)
        needs.append(partners.LotNeed(partners.WHOLE_CONTRACT, "Marché entier"))
        matches = matcher.search_suppliers(query, limit=CANDIDATE_LIMIT, offset=0)
        candidates[partners.WHOLE_CONTRACT] = [candidate(match, query) for match in matches]
    result = partners.plan(needs, candidates, lead.siret if lead else "")
    return PartnerFinder(forecast, lead, needs, result, bool(lots))
