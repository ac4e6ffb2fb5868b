"""Demo data: about ten payment requests (invoices) of the demo company over the last 18 months, so that the
invoice pages, the claim letter and the observatory's payment delays show something real: most paid on time,
some late (on a hospital's contract when there is one, for its 50-day period), one whose period was interrupted,
one unpaid past its due date and one not yet due.

Idempotent: invoices are numbered DEMO-01…; a number the company already has is left as it is. Dates are
relative to today; no payment date is in the future."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tremplin.contracts.models import Contract
from tremplin.payments.models import Invoice

HOSPITAL = "etablissement_public_sante"


@dataclass(frozen=True)
class DemoInvoice:
    number: str
    amount: str
    received_days_ago: int
    paid_after: int | None  # days after receipt; None: unpaid
    on_hospital: bool = False  # put on a hospital's contract when the company holds one
    interruption: tuple[int, int, str] | None = None  # (notified after, documents received after, reason)


INVOICES = (
    DemoInvoice("DEMO-01", "12480.00", 540, 25),
    DemoInvoice("DEMO-02", "8760.50", 480, 28),
    DemoInvoice("DEMO-03", "23150.00", 420, 52, on_hospital=True),  # 30 days: 22 late; 50 days: 2 late
    DemoInvoice("DEMO-04", "5400.00", 360, 30),  # paid on the last day: on time
    DemoInvoice("DEMO-05", "17320.00", 300, 50, interruption=(10, 25, "Attestation d'assurance manquante")),
    DemoInvoice("DEMO-06", "31900.00", 240, 75, on_hospital=True),  # late either way
    DemoInvoice("DEMO-07", "6250.00", 180, 20),
    DemoInvoice("DEMO-08", "14870.00", 120, 41),  # 11 days late
    DemoInvoice("DEMO-09", "9980.00", 75, 62, on_hospital=True),  # late either way
    DemoInvoice("DEMO-10", "18600.00", 70, None),  # unpaid, past due
    DemoInvoice("DEMO-11", "4320.00", 10, None),  # unpaid, not yet due
)


def _contracts(buyer_org, company_org) -> tuple[Contract | None, Contract | None]:
    """(the contract for ordinary invoices, the hospital's contract for the others, if any)."""
    held = Contract.objects.filter(holders__organisation=company_org, holders__is_initial=True).distinct()
    held = held.select_related("buyer").order_by("-notification_date", "pk")
    main = (held.filter(buyer=buyer_org).first() if buyer_org else None) or held.first()
    if main is None and buyer_org is not None:
        main = Contract.objects.filter(buyer=buyer_org).order_by("-notification_date", "pk").first()
    hospital = held.filter(buyer__buyer_type=HOSPITAL).first()
    return main, hospital


@transaction.atomic
def create_demo_invoices(buyer_org, company_org, user, today: date | None = None) -> list[Invoice]:
    """Create the demo invoices of `company_org` that are not there yet; returns those created (none when no
    contract fits)."""
    today = today or timezone.localdate()
    main, hospital = _contracts(buyer_org, company_org)
    if main is None:
        return []
    existing = set(
        Invoice.objects.filter(supplier=company_org, number__startswith="DEMO-").values_list("number", flat=True)
    )
    created = []
    for spec in INVOICES:
        if spec.number in existing:  # whatever its contract: a second run never duplicates it
            continue
        contract = hospital if (spec.on_hospital and hospital is not None) else main
        received = today - timedelta(days=spec.received_days_ago)
        interruption = spec.interruption
        created.append(
            Invoice.objects.create(
                contract=contract,
                supplier=company_org,
                number=spec.number,
                amount_ttc=Decimal(spec.amount),
                received_on=received,
                paid_on=received + timedelta(days=spec.paid_after) if spec.paid_after is not None else None,
                interruption_notified_on=received + timedelta(days=interruption[0]) if interruption else None,
                documents_received_on=received + timedelta(days=interruption[1]) if interruption else None,
                interruption_reason=interruption[2] if interruption else "",
                created_by=user,
            )
        )
    return created
