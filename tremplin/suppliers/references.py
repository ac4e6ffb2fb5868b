"""A supplier's references: the awarded contracts it holds, read at query time from the DECP data
(`contracts.ContractHolder.organisation`, linked by SIRET when the contracts were imported).

Amounts are the amounts at notification; contracts whose amount is flagged as suspicious (`amount_suspicious`)
are counted but left out of the total. A contract held jointly counts in full for each of its holders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Substr

from tremplin.contracts.models import Contract, ContractHolder
from tremplin.referentials.models import CpvCode

RECENT_CONTRACTS = 10
TOP_BUYERS = 10


@dataclass
class Division:
    code: str
    label: str
    count: int


@dataclass
class BuyerReference:
    siret: str
    name: str
    count: int
    has_page: bool


@dataclass
class References:
    count: int = 0
    total_amount: Decimal | None = None
    suspicious_count: int = 0
    last_date: date | None = None
    divisions: list[Division] = field(default_factory=list)
    buyers: list[BuyerReference] = field(default_factory=list)
    buyer_count: int = 0
    recent: list[Contract] = field(default_factory=list)


def contracts_held(organisation) -> QuerySet[Contract]:
    """The contracts `organisation` holds or held (initial or current holder), each once."""
    return Contract.objects.filter(
        pk__in=ContractHolder.objects.filter(organisation=organisation).values("contract_id")
    )


def references_for(organisation) -> References:
    contracts = contracts_held(organisation)
    totals = contracts.aggregate(
        count=Count("id"),
        total=Sum("amount_initial", filter=Q(amount_suspicious=False)),
        suspicious=Count("id", filter=Q(amount_suspicious=True)),
        last=Max("notification_date"),
    )
    if not totals["count"]:
        return References()
    division_counts = list(
        contracts.exclude(cpv="")
        .annotate(division=Substr("cpv", 1, 2))
        .values("division")
        .annotate(n=Count("id"))
        .order_by("-n", "division")
    )
    labels = dict(
        CpvCode.objects.filter(code__in=[f"{row['division']}000000" for row in division_counts]).values_list(
            "code", "label"
        )
    )
    buyer_rows = list(
        contracts.values("buyer__siret", "buyer__name", "buyer_identifier", "buyer_name")
        .annotate(n=Count("id"))
        .order_by("-n", "buyer__name", "buyer_name")
    )
    buyers = [
        BuyerReference(
            siret=row["buyer__siret"] or row["buyer_identifier"],
            name=row["buyer__name"] or row["buyer_name"] or row["buyer_identifier"],
            count=row["n"],
            has_page=bool(row["buyer__siret"]),
        )
        for row in buyer_rows
    ]
    return References(
        count=totals["count"],
        total_amount=totals["total"],
        suspicious_count=totals["suspicious"],
        last_date=totals["last"],
        divisions=[
            Division(row["division"], labels.get(f"{row['division']}000000", ""), row["n"]) for row in division_counts
        ],
        buyers=buyers[:TOP_BUYERS],
        buyer_count=len(buyers),
        recent=list(
            contracts.select_related("buyer").order_by(F("notification_date").desc(nulls_last=True), "key")[
                :RECENT_CONTRACTS
            ]
        ),
    )


def reference_counts(organisation_ids) -> dict[int, int]:
    """Number of contracts held, per organisation id (for a page of the directory)."""
    rows = (
        ContractHolder.objects.filter(organisation_id__in=list(organisation_ids))
        .values("organisation_id")
        .annotate(n=Count("contract_id", distinct=True))
    )
    return {row["organisation_id"]: row["n"] for row in rows}
