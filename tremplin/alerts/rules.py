"""Pure rules of saved searches and alerts: frequencies and when a search is due, the window of new items, reading
the codes people type, building the matching query, and grouping one person's items into a digest (each item at
most once). No ORM, no request."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tremplin.core.text import search_key
from tremplin.matching.types import FORECAST, LOT, NOTICE, OPPORTUNITY_KINDS, OpportunityQuery
from tremplin.referentials.rules import normalize_cpv

DAILY = "daily"
WEEKLY = "weekly"
FREQUENCY_CHOICES = [(DAILY, "Chaque jour"), (WEEKLY, "Chaque semaine")]

# A search is due when its last e-mail is at least this old. Daily is 20 h, not 24 h, so that a cron run a little
# earlier than yesterday's still sends; weekly is 6 days for the same reason.
MIN_INTERVAL = {DAILY: datetime.timedelta(hours=20), WEEKLY: datetime.timedelta(days=6)}
# What a first digest covers before the search was created (the items of the last day or week).
FIRST_WINDOW = {DAILY: datetime.timedelta(days=1), WEEKLY: datetime.timedelta(days=7)}
# The window of a digest starts this much before the previous e-mail: an item made visible while the previous run
# was sending is not missed; the items already sent are excluded anyway (never twice).
OVERLAP = datetime.timedelta(hours=1)

KIND_LABELS = {FORECAST: "Prévisions d'achat", LOT: "Lots de prévisions", NOTICE: "Avis publiés (BOAMP, TED)"}
KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in OPPORTUNITY_KINDS]
KIND_ITEM_LABELS = {FORECAST: "Prévision d'achat", LOT: "Lot d'une prévision d'achat", NOTICE: "Avis de marché"}
KIND_SHORT_LABELS = {FORECAST: "prévisions", LOT: "lots de prévisions", NOTICE: "avis BOAMP et TED"}
# Names accepted in prefill links (?type=…), French ones included.
KIND_ALIASES = {
    FORECAST: FORECAST,
    "prevision": FORECAST,
    "previsions": FORECAST,
    LOT: LOT,
    "lots": LOT,
    NOTICE: NOTICE,
    "avis": NOTICE,
    "notices": NOTICE,
}

_SEPARATORS = re.compile(r"[,;\s]+")
_LIST_SEPARATORS = re.compile(r"[,;\n]+")
_ONE_CPV = re.compile(r"[\d.]{2,11}(-\d)?")
_DEPARTMENT = re.compile(r"^(\d{2}|2[AB]|97\d|98\d)$")


class CriteriaError(ValueError):
    """Criteria that cannot be read; the message is French, for the user."""


def is_due(frequency: str, last_sent_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    if last_sent_at is None:
        return True
    return now - last_sent_at >= MIN_INTERVAL[frequency]


def window_start(
    frequency: str,
    created_at: datetime.datetime,
    last_sent_at: datetime.datetime | None,
    pending_since: datetime.datetime | None = None,
) -> datetime.datetime:
    """The `published_since` of the next digest. When the previous e-mail was cut (too many items), the window
    does not move: the rest comes next time (what was sent is excluded anyway)."""
    if pending_since is not None:
        return pending_since
    if last_sent_at is None:
        return created_at - FIRST_WINDOW[frequency]
    return last_sent_at - OVERLAP


def split_codes(raw: str | Iterable[str] | None) -> list[str]:
    """The non-empty pieces of a list typed with commas, semicolons or spaces (or of a list of such strings)."""
    if raw is None:
        return []
    pieces = [raw] if isinstance(raw, str) else list(raw)
    return [code for piece in pieces for code in _SEPARATORS.split(str(piece)) if code]


def split_cpv_codes(raw: str | Iterable[str] | None) -> list[str]:
    """Like split_codes, but spaces inside one code are allowed ("452 100 00"): a piece between commas is one code
    when it reads as one without its spaces, else several codes separated by spaces."""
    if raw is None:
        return []
    pieces = [raw] if isinstance(raw, str) else list(raw)
    codes = []
    for chunk in (part.strip() for piece in pieces for part in _LIST_SEPARATORS.split(str(piece))):
        compact = "".join(chunk.split())
        if _ONE_CPV.fullmatch(compact):
            codes.append(compact)
        else:
            codes.extend(chunk.split())
    return [code for code in codes if code]


def parse_cpv_list(raw: str | Iterable[str] | None) -> list[str]:
    """8-digit CPV codes, in order, without duplicates; raises CriteriaError (French) on the first bad one. Whether
    the codes exist in the vocabulary is checked by the caller."""
    codes = []
    for piece in split_cpv_codes(raw):
        try:
            code = normalize_cpv(piece)
        except ValueError as error:
            raise CriteriaError(str(error)) from error
        if code not in codes:
            codes.append(code)
    return codes


def parse_department_list(raw: str | Iterable[str] | None) -> list[str]:
    """Department codes (01…95, 2A, 2B, 971…989), upper-cased and zero-padded ("1" → "01")."""
    codes = []
    for piece in split_codes(raw):
        code = piece.strip().upper()
        if code.isdigit() and len(code) == 1:
            code = "0" + code
        if not _DEPARTMENT.match(code):
            raise CriteriaError(f"Code de département invalide « {piece} » : 2 chiffres (ou 2A, 2B, 971…) attendus.")
        if code not in codes:
            codes.append(code)
    return codes


def parse_kinds(raw: str | Iterable[str] | None) -> list[str]:
    """Kinds of opportunity from a prefill link; unknown names are ignored, in the order of OPPORTUNITY_KINDS."""
    wanted = {KIND_ALIASES.get(piece.lower()) for piece in split_codes(raw)}
    return [kind for kind in OPPORTUNITY_KINDS if kind in wanted]


def check_amounts(min_amount: int | None, max_amount: int | None) -> None:
    if min_amount is not None and max_amount is not None and min_amount > max_amount:
        raise CriteriaError("Le montant minimum dépasse le montant maximum.")


@dataclass(frozen=True)
class Criteria:
    """What a saved search looks for (the fields of SavedSearch that mirror OpportunityQuery)."""

    text: str = ""
    cpv: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = OPPORTUNITY_KINDS
    min_amount: int | None = None
    max_amount: int | None = None

    def to_query(self) -> OpportunityQuery:
        return OpportunityQuery(
            text=self.text.strip(),
            cpv=tuple(self.cpv),
            departments=tuple(self.departments),
            regions=tuple(self.regions),
            kinds=tuple(self.kinds) or OPPORTUNITY_KINDS,
            min_amount=self.min_amount,
            max_amount=self.max_amount,
        )

    def describe(self) -> list[str]:
        """The criteria in plain French, one line each (for pages and e-mails)."""
        lines = []
        if self.text.strip():
            lines.append(f"Mots : {self.text.strip()}")
        if self.cpv:
            lines.append("CPV : " + ", ".join(self.cpv))
        if self.departments:
            lines.append("Départements : " + ", ".join(self.departments))
        if self.regions:
            lines.append("Régions : " + ", ".join(self.regions))
        if self.kinds and set(self.kinds) != set(OPPORTUNITY_KINDS):
            lines.append("Types : " + ", ".join(KIND_SHORT_LABELS[kind] for kind in self.kinds))
        if self.min_amount is not None or self.max_amount is not None:
            lines.append("Montant estimé : " + amount_range(self.min_amount, self.max_amount))
        return lines or ["Toutes les opportunités ouvertes"]


def format_euros(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u202f") + " €"


def amount_range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"de {format_euros(low)} à {format_euros(high)} HT"
    if low is not None:
        return f"au moins {format_euros(low)} HT"
    return f"au plus {format_euros(high)} HT"


def criteria_from_query(query: OpportunityQuery) -> Criteria:
    """The saved-search part of a matching query (e.g. the one built from a supplier profile): what a saved search
    cannot hold (distance, national coverage, inclusive status…) is left out."""
    return Criteria(
        text=query.text,
        cpv=tuple(query.cpv),
        departments=tuple(query.departments),
        regions=tuple(query.regions),
        kinds=tuple(query.kinds) or OPPORTUNITY_KINDS,
        min_amount=query.min_amount,
        max_amount=query.max_amount,
    )


def plan_digest(per_search: Iterable[tuple[object, list]], already_sent: set[str]) -> list[tuple[object, list]]:
    """One person's digest: for each of their searches (in order) the matches not sent to them before, each item
    in the first search that found it only. Searches left without item are dropped. Matches have an ``id``."""
    seen = set(already_sent)
    plan = []
    for search, matches in per_search:
        fresh = []
        for match in matches:
            if match.id not in seen:
                seen.add(match.id)
                fresh.append(match)
        if fresh:
            plan.append((search, fresh))
    return plan


def name_order(name: str, pk: int) -> tuple:
    """Searches are listed by name, accents ignored ("Écoles" before "Voirie")."""
    return (search_key(name), name, pk)
