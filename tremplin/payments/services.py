"""Glue between the database and the pure rules: the rate table, invoices as rule inputs, per-buyer and
per-organisation summaries. No rule lives here: every figure comes from rules.compute."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone

from tremplin.payments import rules
from tremplin.payments.models import EcbRate, Invoice

# Display order of the lists: late first (most days late first), then pending, then on time.
STATUS_ORDER = {"late": 0, "overdue": 0, "suspended": 1, "pending": 1, "on_time": 2}
STATUS_LABELS = {
    "late": ("Payée en retard", "error"),
    "overdue": ("Impayée, en retard", "error"),
    "suspended": ("Délai interrompu", "warning"),
    "pending": ("Dans le délai", "neutral"),
    "on_time": ("Payée à temps", "success"),
}


def rate_table() -> list[tuple[date, Decimal]]:
    return list(EcbRate.objects.order_by("effective_date").values_list("effective_date", "rate"))


def known_until(rates: list[tuple[date, Decimal]]) -> date | None:
    return max((day for day, _ in rates), default=None)


def invoice_request(invoice: Invoice) -> rules.PaymentRequest:
    interruption = None
    if invoice.interruption_notified_on:
        interruption = rules.Interruption(
            notified=invoice.interruption_notified_on,
            documents_received=invoice.documents_received_on,
            reason=invoice.interruption_reason,
        )
    return rules.PaymentRequest(
        buyer_type=invoice.buyer_type,
        amount_ttc=invoice.amount_ttc,
        received=invoice.received_on,
        paid=invoice.paid_on,
        execution=invoice.executed_on,
        contract_delay_days=invoice.contract_delay_days,
        interruption=interruption,
        amount_paid=invoice.amount_paid,
    )


@dataclass
class Row:
    """An invoice and its computed result (None when the stored data are inconsistent: `error` says why)."""

    invoice: Invoice
    result: rules.PaymentResult | None
    error: str = ""

    @property
    def status(self) -> str:
        return self.result.status if self.result else "error"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, ("Données incohérentes", "warning"))[0]

    @property
    def status_tone(self) -> str:
        return STATUS_LABELS.get(self.status, ("", "warning"))[1]

    @property
    def buyer_type_unknown(self) -> bool:
        buyer = self.invoice.contract.buyer
        return not (buyer and buyer.buyer_type)


def compute_rows(invoices, rates=None, today: date | None = None) -> list[Row]:
    rates = rate_table() if rates is None else rates
    today = today or timezone.localdate()
    rows = []
    for invoice in invoices:
        try:
            rows.append(Row(invoice, rules.compute(invoice_request(invoice), rates, as_of=today)))
        except rules.InvalidInput as error:
            rows.append(Row(invoice, None, str(error)))
    return rows


def late_first(rows: list[Row]) -> list[Row]:
    return sorted(
        rows,
        key=lambda row: (
            STATUS_ORDER.get(row.status, 1),
            -(row.result.days_late if row.result else 0),
            row.invoice.received_on,
            row.invoice.number,
        ),
    )


def invoice_queryset() -> QuerySet[Invoice]:
    return Invoice.objects.select_related("contract__buyer", "supplier")


@dataclass
class BuyerClaim:
    """What one buyer owes a supplier: interest and indemnities on invoices paid late (firm), and the invoices
    still unpaid past their due date (interest provisional)."""

    buyer_name: str
    buyer_siret: str
    paid_late: list[Row] = field(default_factory=list)
    overdue: list[Row] = field(default_factory=list)

    @property
    def interest(self) -> Decimal:
        return sum((row.result.interest for row in self.paid_late), Decimal("0.00"))

    @property
    def indemnities(self) -> Decimal:
        return sum((row.result.indemnity for row in self.paid_late), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.interest + self.indemnities

    @property
    def overdue_principal(self) -> Decimal:
        return sum((row.invoice.amount_ttc for row in self.overdue), Decimal("0.00"))

    @property
    def overdue_interest(self) -> Decimal:
        return sum((row.result.total_owed for row in self.overdue), Decimal("0.00"))

    @property
    def rate_to_confirm(self) -> bool:
        return any(row.result.rate_to_confirm for row in self.paid_late + self.overdue)

    @property
    def payable_by(self) -> date | None:
        return min((row.result.payable_by for row in self.paid_late if row.result.payable_by), default=None)


def claims_by_buyer(rows: list[Row]) -> list[BuyerClaim]:
    claims: dict[str, BuyerClaim] = {}
    for row in rows:
        if row.status not in ("late", "overdue"):
            continue
        contract = row.invoice.contract
        siret = contract.buyer.siret if contract.buyer else contract.buyer_identifier
        name = contract.buyer.name if contract.buyer else contract.buyer_name
        claim = claims.setdefault(siret, BuyerClaim(buyer_name=name, buyer_siret=siret))
        (claim.paid_late if row.status == "late" else claim.overdue).append(row)
    return sorted(claims.values(), key=lambda claim: (-claim.total, claim.buyer_name))


@dataclass
class BuyerStats:
    count: int = 0
    paid: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    average_payment_days: Decimal | None = None
    average_days_late: Decimal | None = None
    interest_owed: Decimal = Decimal("0.00")
    by_supplier: dict = field(default_factory=dict)

    @property
    def on_time_share(self) -> Decimal | None:
        return _average([100] * self.on_time + [0] * (self.paid - self.on_time), "1")


def _average(values: list[int], places: str = "0.1") -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal(places), ROUND_HALF_UP)


def buyer_stats(rows: list[Row]) -> BuyerStats:
    stats = BuyerStats(count=len(rows))
    payment_days, days_late = [], []
    owed = defaultdict(lambda: Decimal("0.00"))
    for row in rows:
        result = row.result
        if result is None:
            continue
        if result.is_paid:
            stats.paid += 1
            payment_days.append(result.payment_days)
            if result.is_late:
                stats.late += 1
                days_late.append(result.days_late)
                stats.interest_owed += result.total_owed
                owed[row.invoice.supplier.name] += result.total_owed
            else:
                stats.on_time += 1
        elif result.is_late:
            stats.overdue += 1
        else:
            stats.pending += 1
    stats.average_payment_days = _average(payment_days)
    stats.average_days_late = _average(days_late)
    stats.by_supplier = dict(sorted(owed.items(), key=lambda item: -item[1]))
    return stats
