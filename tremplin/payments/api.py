"""Payments API: the public late-payment calculator and the ECB rate table (no account needed)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import ValidationError

from tremplin.payments import rules
from tremplin.payments.services import known_until, rate_table

router = Router()


class InterruptionIn(Schema):
    notified: date = Field(..., description="Date à laquelle l'entreprise a reçu la notification d'interruption.")
    documents_received: date = Field(..., description="Date à laquelle l'acheteur a reçu les pièces manquantes.")


class ComputeIn(Schema):
    buyer_type: str = Field(..., description="Type d'acheteur : " + ", ".join(rules.BUYER_TYPES) + ".")
    amount_ttc: Decimal = Field(..., description="Montant TTC de la demande de paiement, en euros.")
    received: date = Field(..., description="Date de réception de la demande de paiement par l'acheteur.")
    execution: date | None = Field(None, description="Date d'exécution des prestations, si elle est postérieure.")
    paid: date = Field(..., description="Date du paiement.")
    contract_delay_days: int | None = Field(None, description="Délai prévu par le marché, s'il est plus court.")
    interruption: InterruptionIn | None = None


class ComputeOut(Schema):
    legal_delay_days: int = Field(..., description="Délai maximal légal (R2192-10, R2192-11).")
    applied_delay_days: int = Field(..., description="Délai appliqué : celui du marché s'il est plus court.")
    clock_start: date = Field(..., description="Départ du délai (R2192-12, R2192-13).")
    due_date: date = Field(..., description="Date limite de paiement, interruption prise en compte.")
    days_late: int = Field(..., description="Date de paiement − date limite (0 si le paiement est dans le délai).")
    interest_start: date | None = Field(None, description="Lendemain de la date limite, si retard.")
    ecb_rate: float | None = Field(None, description="Taux BCE en vigueur au 1er jour du semestre, en %.")
    interest_rate: float | None = Field(None, description="Taux des intérêts moratoires (BCE + 8 points), en %.")
    rate_to_confirm: bool = Field(..., description="Semestre postérieur aux taux connus : dernier taux utilisé.")
    interest: float = Field(..., description="Intérêts moratoires en euros, arrondis au centime.")
    indemnity: float = Field(..., description="Indemnité forfaitaire pour frais de recouvrement (40 € si retard).")
    total: float = Field(..., description="Intérêts + indemnité.")
    payable_by: date | None = Field(None, description="Date limite de versement des intérêts (paiement + 45 jours).")
    warnings: list[str]
    steps: list[str] = Field(..., description="Le calcul expliqué étape par étape, en français.")


class ValidationErrorOut(Schema):
    detail: list[dict]


class EcbRateOut(Schema):
    effective_date: date
    rate: float


class EcbRatesOut(Schema):
    known_until: date | None = Field(None, description="Au-delà, le taux d'un semestre est « à confirmer ».")
    items: list[EcbRateOut]


def _location(name: str) -> list[str]:
    return ["body", "payload", *name.split(".")]


@router.post(
    "/compute",
    response={200: ComputeOut, 422: ValidationErrorOut},
    summary="Calculer le délai de paiement, le retard et les intérêts moratoires",
    description="Public, sans compte. Une entrée incohérente (paiement avant réception, pièces reçues avant "
    "l'interruption, type d'acheteur inconnu, montant négatif…) est refusée en 422 : `detail[].loc` nomme le "
    "champ, `detail[].msg` explique en français.",
)
def compute(request, payload: ComputeIn):
    interruption = None
    if payload.interruption is not None:
        interruption = rules.Interruption(payload.interruption.notified, payload.interruption.documents_received)
    payment = rules.PaymentRequest(
        buyer_type=payload.buyer_type,
        amount_ttc=payload.amount_ttc,
        received=payload.received,
        paid=payload.paid,
        execution=payload.execution,
        contract_delay_days=payload.contract_delay_days,
        interruption=interruption,
    )
    try:
        result = rules.compute(payment, rate_table(), as_of=timezone.localdate())
    except rules.InvalidInput as error:
        raise ValidationError(
            [{"loc": _location(name), "msg": message, "type": "value_error"} for name, message in error.errors.items()]
        ) from error
    return {
        "legal_delay_days": result.legal_delay_days,
        "applied_delay_days": result.delay_days,
        "clock_start": result.clock_start,
        "due_date": result.due_date,
        "days_late": result.days_late,
        "interest_start": result.interest_start,
        "ecb_rate": result.ecb_rate,
        "interest_rate": result.interest_rate,
        "rate_to_confirm": result.rate_to_confirm,
        "interest": result.interest,
        "indemnity": result.indemnity,
        "total": result.total_owed,
        "payable_by": result.payable_by,
        "warnings": list(result.warnings),
        "steps": list(result.steps),
    }


@router.get("/ecb-rates", response=EcbRatesOut, summary="Taux de la BCE utilisés pour les intérêts moratoires")
def ecb_rates(request):
    rates = rate_table()
    return {
        "known_until": known_until(rates),
        "items": [{"effective_date": day, "rate": rate} for day, rate in reversed(rates)],
    }
