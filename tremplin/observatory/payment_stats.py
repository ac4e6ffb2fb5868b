"""Payment-delay statistics of the observatory, by buyer and by buyer type, over a period of payment dates.

Every per-invoice figure comes from `tremplin.payments.rules.compute` (through `payments.services.compute_rows`):
nothing is re-derived here, only counted, averaged and summed.

Definitions (stated on the page):
- paid invoice in the period: an invoice whose payment date falls in the period (`year`, `date_from`,
  `date_to`, combinable);
- payment delay: `PaymentResult.payment_days`, the days from the start of the clock (receipt of the payment
  request, or the date of execution when later) to the payment, the days the clock was stopped by an
  interruption excluded; average and median over the paid invoices;
- paid late: days late > 0 (paid after the due date); share = paid late / paid;
- interest owed: late-payment interest plus the 40 € fixed indemnities of the invoices paid late in the period;
- unpaid past due: invoices not paid today whose due date (past) falls in the period.

Privacy: invoices are private to the parties. A buyer is shown only when it has at least
`policy.PAYMENT_STATS_MIN_PAID_INVOICES` paid invoices in the period; no single invoice is ever listed; buyer
types always aggregate.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from tremplin import policy
from tremplin.observatory.filters import FilterError, Filters
from tremplin.organisations.models import BuyerType
from tremplin.payments import rules

MIN_PAID_INVOICES = policy.PAYMENT_STATS_MIN_PAID_INVOICES
BY_CHOICES = ("buyer", "buyer_type")
UNKNOWN_TYPE = ""
TYPE_LABELS = dict(BuyerType.choices) | {UNKNOWN_TYPE: "Type d'acheteur non renseigné"}
TYPE_ORDER = {key: index for index, key in enumerate(list(BuyerType.values) + [UNKNOWN_TYPE])}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Period:
    """Payment dates considered: a year and / or a date range (both ends included)."""

    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> Period:
        """Read `year`, `date_from`, `date_to` (raises FilterError with French messages by parameter)."""
        names = ("year", "date_from", "date_to")
        filters = Filters.from_params({name: params.get(name) for name in names if params.get(name) is not None})
        return cls(filters.year, filters.date_from, filters.date_to)

    def contains(self, day: date | None) -> bool:
        if day is None:
            return False
        if self.year and day.year != self.year:
            return False
        if self.date_from and day < self.date_from:
            return False
        return not (self.date_to and day > self.date_to)

    def q(self, field_name: str) -> Q:
        lookups = {
            f"{field_name}__year": self.year,
            f"{field_name}__gte": self.date_from,
            f"{field_name}__lte": self.date_to,
        }
        return Q(**{name: value for name, value in lookups.items() if value is not None})

    def params(self) -> dict[str, str]:
        values = {"year": self.year, "date_from": self.date_from, "date_to": self.date_to}
        return {name: str(value) for name, value in values.items() if value is not None}

    def describe(self) -> str:
        words = []
        if self.year:
            words.append(f"payées en {self.year}")
        if self.date_from:
            words.append(f"payées à partir du {self.date_from:%d/%m/%Y}")
        if self.date_to:
            words.append(f"payées jusqu'au {self.date_to:%d/%m/%Y}")
        return ", ".join(words) or "toutes les dates de paiement"


@dataclass(frozen=True)
class Observation:
    """One invoice reduced to what the statistics need: its buyer and its computed result (no supplier)."""

    buyer_key: str
    buyer_name: str
    buyer_type: str  # "" when unknown
    result: rules.PaymentResult


@dataclass
class Group:
    key: str
    label: str
    buyer_type: str = ""
    paid: int = 0
    late: int = 0
    interest: Decimal = ZERO
    indemnities: Decimal = ZERO
    unpaid_past_due: int = 0
    delays: list[int] = field(default_factory=list, repr=False)

    def add(self, result: rules.PaymentResult, period: Period) -> None:
        if result.is_paid:
            if not period.contains(result.paid):
                return
            self.paid += 1
            self.delays.append(result.payment_days)
            if result.is_late:
                self.late += 1
                self.interest += result.interest
                self.indemnities += result.indemnity
        elif result.status == "overdue" and period.contains(result.due_date):
            self.unpaid_past_due += 1

    @property
    def average_days(self) -> Decimal | None:
        return _tenth(Decimal(sum(self.delays)) / len(self.delays)) if self.delays else None

    @property
    def median_days(self) -> Decimal | None:
        return _tenth(Decimal(str(statistics.median(self.delays)))) if self.delays else None

    @property
    def late_share(self) -> float | None:
        return self.late / self.paid if self.paid else None

    @property
    def owed(self) -> Decimal:
        return self.interest + self.indemnities

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.buyer_type, self.buyer_type)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "buyer_type": self.buyer_type,
            "paid_invoices": self.paid,
            "average_delay_days": self.average_days,
            "median_delay_days": self.median_days,
            "paid_late": self.late,
            "late_share": self.late_share,
            "interest": self.interest,
            "indemnities": self.indemnities,
            "owed": self.owed,
            "unpaid_past_due": self.unpaid_past_due,
        }


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Statistics:
    by: str
    period: Period
    rows: list[Group]
    total: Group
    hidden_buyers: int = 0  # buyers below the threshold, left out of the rows (still in the total)
    min_paid_invoices: int = MIN_PAID_INVOICES
    excluded: int = 0  # invoices whose stored data the rules refuse (counted nowhere)

    def as_dict(self) -> dict:
        return {
            "by": self.by,
            "period": self.period.params(),
            "min_paid_invoices": self.min_paid_invoices,
            "hidden_buyers": self.hidden_buyers,
            "excluded_invoices": self.excluded,
            "total": self.total.as_dict(),
            "rows": [row.as_dict() for row in self.rows],
        }


def aggregate(
    observations: Iterable[Observation], by: str, period: Period, min_paid: int = MIN_PAID_INVOICES
) -> Statistics:
    """Group the observations by buyer or by buyer type (pure: no database, no clock)."""
    if by not in BY_CHOICES:
        raise ValueError(f"unknown grouping: {by}")
    groups: dict[str, Group] = {}
    total = Group("", "Ensemble")
    for observation in observations:
        key = observation.buyer_key if by == "buyer" else observation.buyer_type
        label = observation.buyer_name or observation.buyer_key if by == "buyer" else TYPE_LABELS.get(key, key)
        group = groups.setdefault(key, Group(key, label, buyer_type=observation.buyer_type))
        group.add(observation.result, period)
        total.add(observation.result, period)
    rows = [group for group in groups.values() if group.paid or group.unpaid_past_due]
    hidden = 0
    if by == "buyer":
        shown = [row for row in rows if policy.can_publish_buyer_payment_stats(row.paid)]
        hidden = len(rows) - len(shown)
        rows = sorted(shown, key=lambda row: (row.label.casefold(), row.key))
    else:
        rows = sorted(rows, key=lambda row: TYPE_ORDER.get(row.key, len(TYPE_ORDER)))
    return Statistics(by=by, period=period, rows=rows, total=total, hidden_buyers=hidden, min_paid_invoices=min_paid)


def observations(period: Period, today: date | None = None, rates=None) -> tuple[list[Observation], int]:
    """The invoices paid in the period or still unpaid, computed by the payment rules; and how many of them the
    rules refused (inconsistent stored data)."""
    from tremplin.payments.models import Invoice
    from tremplin.payments.services import compute_rows

    paid_in_period = period.q("paid_on")
    invoices = Invoice.objects.all()
    if paid_in_period:  # an empty Q() OR'ed with another is that other one alone: no period, no filter
        invoices = invoices.filter(paid_in_period | Q(paid_on__isnull=True))
    invoices = invoices.select_related("contract__buyer").only(
        "amount_ttc",
        "received_on",
        "executed_on",
        "contract_delay_days",
        "interruption_notified_on",
        "interruption_reason",
        "documents_received_on",
        "paid_on",
        "amount_paid",
        "contract__buyer_identifier",
        "contract__buyer_name",
        "contract__buyer__siret",
        "contract__buyer__name",
        "contract__buyer__buyer_type",
    )
    found, excluded = [], 0
    for row in compute_rows(invoices.iterator(chunk_size=2000), rates=rates, today=today):
        if row.result is None:
            excluded += 1
            continue
        contract = row.invoice.contract
        buyer = contract.buyer
        found.append(
            Observation(
                buyer_key=buyer.siret if buyer else contract.buyer_identifier,
                buyer_name=buyer.name if buyer else contract.buyer_name,
                buyer_type=(buyer.buyer_type if buyer else "") or UNKNOWN_TYPE,
                result=row.result,
            )
        )
    return found, excluded


def payment_delays(by: str, period: Period, today: date | None = None, rates=None) -> Statistics:
    found, excluded = observations(period, today=today, rates=rates)
    stats = aggregate(found, by, period)
    stats.excluded = excluded
    return stats


def period_or_error(params: Mapping[str, object]) -> tuple[Period, dict[str, str]]:
    try:
        return Period.from_params(params), {}
    except FilterError as error:
        return Period(), error.errors
