"""Partner finder for a joint bid (groupement) on an allotted forecast: pure rules. No ORM, no request.

Who may take a lot is the matching engine's decision: the callers pass, for each lot, the candidates the engine
found (best first). From the point of view of one supplier (the lead, optional), the lots it cannot take are
to be covered by partners; the rule picks the combinations covering them with the fewest members, preferring
local firms, SMEs and inclusive structures, then the engine's scores. Deterministic: ties end on the SIRET."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

CANDIDATES_PER_LOT = 5  # best candidates shown for each lot to cover
POOL_PER_LOT = 8  # candidates per lot considered when combining
MAX_MEMBERS = 4  # partners in a combination (besides the lead): beyond, a groupement is hard to run
MAX_COMBINATIONS = 3  # alternative groupements shown

SME_SIZES = frozenset({"micro", "pme"})


@dataclass(frozen=True)
class LotNeed:
    number: int
    title: str


@dataclass(frozen=True)
class Candidate:
    """One supplier the engine found fit for a lot."""

    siret: str
    name: str
    score: float = 0.0
    url: str = ""
    distance_km: float | None = None
    local: bool = False
    size_category: str = ""
    inclusive_status: str = ""
    inclusive_kind: str = ""  # "SIAE", "EA/ESAT" or "" (the caller's label of the status)

    @property
    def is_sme(self) -> bool:
        return self.size_category in SME_SIZES

    @property
    def preferences(self) -> int:
        """Local, SME, inclusive: one point each."""
        return int(self.local) + int(self.is_sme) + int(bool(self.inclusive_status))


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    lots: tuple[int, ...]  # the lots (to cover) it covers
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Groupement:
    members: tuple[Suggestion, ...]
    covers_all: bool


@dataclass(frozen=True)
class PartnerPlan:
    lead_lots: tuple[int, ...]  # lots the lead supplier can take itself
    to_cover: tuple[int, ...]  # lots left to partners
    uncovered: tuple[int, ...]  # lots nobody was found for
    per_lot: dict[int, tuple[Suggestion, ...]]  # best candidates for each lot to cover
    groupements: tuple[Groupement, ...]


def format_km(distance: float) -> str:
    return f"à {distance:.0f} km" if distance >= 1 else "à moins d'1 km"


WHOLE_CONTRACT = 0  # the lot number standing for a forecast that is not allotted


def lot_reason(number: int, title: str) -> str:
    return "couvre le marché entier" if number == WHOLE_CONTRACT else f"couvre le lot {number} — {title}"


def reasons_for(candidate: Candidate, lots: Sequence[int], titles: Mapping[int, str]) -> tuple[str, ...]:
    reasons = [lot_reason(number, titles[number]) for number in lots]
    if candidate.distance_km is not None:
        reasons.append(format_km(candidate.distance_km))
    if candidate.local:
        reasons.append("établie dans le département d'exécution")
    if candidate.inclusive_kind:
        reasons.append(candidate.inclusive_kind)
    if candidate.is_sme:
        reasons.append("TPE" if candidate.size_category == "micro" else "PME")
    return tuple(reasons)


def _rank(candidate: Candidate) -> tuple:
    return (-candidate.preferences, -candidate.score, candidate.siret)


def plan(
    lots: Sequence[LotNeed],
    candidates: Mapping[int, Sequence[Candidate]],
    lead_siret: str = "",
) -> PartnerPlan:
    """lots: every lot of the forecast; candidates: the engine's candidates for each lot number, best first;
    lead_siret: the supplier whose partners are sought (it covers the lots where it is itself a candidate)."""
    titles = {lot.number: lot.title for lot in lots}
    lead_lots = tuple(
        lot.number for lot in lots if lead_siret and any(c.siret == lead_siret for c in candidates.get(lot.number, ()))
    )
    to_cover = tuple(lot.number for lot in lots if lot.number not in lead_lots)
    others = {number: [c for c in candidates.get(number, ()) if c.siret != lead_siret] for number in to_cover}
    uncovered = tuple(number for number in to_cover if not others[number])

    # Every candidate, once, with the lots (to cover) it appears for; the engine's best score wins.
    pool: dict[str, Candidate] = {}
    covers: dict[str, set[int]] = {}
    for number in to_cover:
        for candidate in others[number]:
            covers.setdefault(candidate.siret, set()).add(number)
            if candidate.siret not in pool or candidate.score > pool[candidate.siret].score:
                pool[candidate.siret] = candidate

    def suggestion(siret: str) -> Suggestion:
        candidate = pool[siret]
        lots_covered = tuple(sorted(covers[siret]))
        return Suggestion(candidate, lots_covered, reasons_for(candidate, lots_covered, titles))

    per_lot = {
        number: tuple(suggestion(c.siret) for c in sorted(others[number], key=_rank)[:CANDIDATES_PER_LOT])
        for number in to_cover
    }

    coverable = set(to_cover) - set(uncovered)
    shortlist = sorted(
        {c.siret for number in coverable for c in sorted(others[number], key=_rank)[:POOL_PER_LOT]},
        key=lambda siret: _rank(pool[siret]),
    )
    groupements = _combinations(shortlist, pool, covers, coverable)
    built = tuple(
        Groupement(tuple(suggestion(siret) for siret in members), covers_all=not uncovered) for members in groupements
    )
    return PartnerPlan(lead_lots, to_cover, uncovered, per_lot, built)


def _combinations(shortlist, pool, covers, needed: set[int]) -> list[tuple[str, ...]]:
    """The smallest sets of candidates covering `needed`, best first: fewest members, most preferences (local,
    SME, inclusive), highest total score, then SIRETs. Falls back on a greedy cover when no exact one fits."""
    if not needed:
        return []
    found: list[tuple[tuple, tuple[str, ...]]] = []
    for size in range(1, MAX_MEMBERS + 1):
        for members in combinations(shortlist, size):
            covered = set().union(*(covers[siret] for siret in members))
            if needed <= covered and all(covers[s] & needed - _others(members, s, covers) for s in members):
                key = (
                    -sum(pool[s].preferences for s in members),
                    -round(sum(pool[s].score for s in members), 6),
                    tuple(sorted(members)),
                )
                found.append((key, tuple(sorted(members, key=lambda s: min(covers[s] & needed)))))
        if found:
            found.sort()
            return [members for _, members in found[:MAX_COMBINATIONS]]
    return [_greedy(shortlist, pool, covers, needed)]


def _others(members, siret, covers) -> set[int]:
    """The lots the other members cover: a member that adds nothing is useless."""
    return set().union(*(covers[s] for s in members if s != siret)) if len(members) > 1 else set()


def _greedy(shortlist, pool, covers, needed: set[int]) -> tuple[str, ...]:
    chosen: list[str] = []
    left = set(needed)
    while left:
        best = min(shortlist, key=lambda s: (-len(covers[s] & left), _rank(pool[s])))
        if not covers[best] & left:
            break
        chosen.append(best)
        left -= covers[best]
    return tuple(chosen)
