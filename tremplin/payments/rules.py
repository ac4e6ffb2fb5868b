"""Payment delays and late-payment interest in public procurement (domain-rules §1): pure functions, no ORM,
no clock, no request. Every figure the pages, the API and the CSV import show comes from `compute`.

Legal basis (Code de la commande publique, CCP):

- maximum payment period: 30 days (R2192-10); 50 days for établissements publics de santé and 60 days for
  entreprises publiques (R2192-11). A contract may set a shorter period, never a longer one (L2192-10): a
  longer one is capped, with a warning;
- the period starts when the buyer receives the payment request (R2192-12), or on the date the service was
  done when that is later (R2192-13);
- one interruption at most (R2192-27, R2192-28); when all the documents are received, a new period opens:
  30 days, or the balance that remained when the interruption notice was received if that balance is longer
  (R2192-29);
- from the day after the due date, late-payment interest runs as of right (L2192-13) at the ECB main
  refinancing rate in force on the first day of the half-year in which it started running, plus 8 points
  (R2192-31), plus a fixed 40 € indemnity for recovery costs (D2192-35); both are payable within 45 days of
  the payment of the principal (R2192-36).

Conventions (documented on the calculator page):

- periods are counted in calendar days; the due date is `clock start + period`, the last day on which payment
  is on time (received 2 Sept + 30 days → due 2 Oct; paid 2 Oct → on time);
- days late = paid date − due date (0 if not positive): the number of days from the day after the due date
  up to and including the payment date (due 2 Oct, paid 22 Oct → 20 days, 3–22 Oct);
- interest = amount incl. VAT × rate × days late / 365 (always 365, leap years included), rounded half-up to
  the cent;
- an interruption notified after the due date had passed has no effect (the period had already expired);
- the balance at the interruption is `due date − notice date`, at most the whole period (a notice received
  before the clock started cannot leave more than the whole period).

The ECB rate table is an argument — a sequence of (date from which a rate is in force, rate in %) — so this
module needs no database. A row records either a change of the rate (on its date of effect, i.e. the
settlement of the first operation at the new rate, not the announcement) or a confirmation that the rate was
unchanged on a date (e.g. the rate in force on 1 January 2026, held by the decision of 18 December 2025). The
table is thus known up to its latest date. A half-year's rate is certain when the half-year's first day is on
or before that date: no decision we do not know of can have changed it. Otherwise the last known rate is used
and the result is flagged "taux à confirmer"; staff record each ECB decision (a new rate, or the same rate
when it is held) in the admin to lift the flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

BUYER_TYPES = (
    "etat",
    "region",
    "departement",
    "commune",
    "epci",
    "etablissement_public_sante",
    "bailleur_social",
    "entreprise_publique",
    "autre",
)  # the keys of tremplin.organisations.models.BuyerType (a test checks they agree)
DEFAULT_DELAY_DAYS = 30  # R2192-10
SPECIFIC_DELAY_DAYS = {"etablissement_public_sante": 50, "entreprise_publique": 60}  # R2192-11 1° and 2°
DELAY_ARTICLES = {"etablissement_public_sante": "R2192-11 1°", "entreprise_publique": "R2192-11 2°"}
INTERRUPTION_NEW_PERIOD_DAYS = 30  # R2192-29
INTEREST_MARGIN_POINTS = Decimal("8")  # R2192-31
DAYS_PER_YEAR = 365
FIXED_INDEMNITY = Decimal("40.00")  # D2192-35
PAYABLE_WITHIN_DAYS = 45  # R2192-36
CENT = Decimal("0.01")

RateTable = Sequence[tuple[date, Decimal]]

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
NNBSP = "\u202f"  # narrow no-break space, the French thousands separator


class InvalidInput(ValueError):
    """Input the rules cannot work on. `errors` maps a field name (dotted for nested fields, e.g.
    "interruption.notified") to a French message ready for the user."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name} : {message}" for name, message in errors.items()))


@dataclass(frozen=True)
class Interruption:
    notified: date  # the date the interruption notice reached the company
    documents_received: date | None = None  # None: the buyer still awaits the documents (the clock is stopped)
    reason: str = ""


@dataclass(frozen=True)
class PaymentRequest:
    buyer_type: str
    amount_ttc: Decimal
    received: date
    paid: date | None = None
    execution: date | None = None
    contract_delay_days: int | None = None
    interruption: Interruption | None = None
    amount_paid: Decimal | None = None


@dataclass(frozen=True)
class PaymentResult:
    legal_delay_days: int
    delay_days: int  # the period applied: the contract's when shorter, else the legal maximum
    clock_start: date
    initial_due_date: date
    due_date: date | None  # None while an interruption awaits the documents
    interruption_applied: bool
    new_period_days: int | None  # the period opened by the documents after an interruption
    paid: date | None
    as_of: date | None  # for an unpaid request: the day lateness and interest are counted to
    days_late: int
    interest_start: date | None
    half_year_start: date | None
    ecb_rate: Decimal | None
    interest_rate: Decimal | None  # ECB rate + 8 points, in %
    rate_to_confirm: bool
    interest: Decimal
    indemnity: Decimal
    payable_by: date | None  # interest and indemnity are payable by this date (paid + 45 days)
    payment_days: int | None  # days from clock start to payment, the interruption excluded (statistics)
    warnings: tuple[str, ...] = field(default=())
    steps: tuple[str, ...] = field(default=())

    @property
    def is_paid(self) -> bool:
        return self.paid is not None

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def total_owed(self) -> Decimal:
        return self.interest + self.indemnity

    @property
    def status(self) -> str:
        """late (paid late), overdue (unpaid, past its due date), suspended, pending (unpaid, not yet due),
        on_time (paid on time)."""
        if self.is_paid:
            return "late" if self.is_late else "on_time"
        if self.due_date is None:
            return "suspended"
        return "overdue" if self.is_late else "pending"


# ---------- Formatting (French, no locale dependency) ----------


def french_date(day: date) -> str:
    """2025-07-01 → "1er juillet 2025"."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def french_decimal(value: Decimal, places: int = 2) -> str:
    text = f"{value:,.{places}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def french_euros(value: Decimal) -> str:
    return f"{french_decimal(value)}{NNBSP}€"


def french_percent(value: Decimal) -> str:
    return f"{french_decimal(value)}{NNBSP}%"


def days(count: int) -> str:
    return f"{count} jour{'s' if abs(count) >= 2 else ''}"


# ---------- Rules ----------


def legal_delay_days(buyer_type: str) -> int:
    return SPECIFIC_DELAY_DAYS.get(buyer_type, DEFAULT_DELAY_DAYS)


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def half_year_label(start: date) -> str:
    return f"{'premier' if start.month == 1 else 'second'} semestre {start.year}"


def rate_in_force(rates: RateTable, day: date) -> tuple[Decimal, bool] | None:
    """(rate in % in force on `day`, to_confirm), or None when the table starts after `day`.

    to_confirm: `day` is later than the latest date of the table, so a decision we do not know of may have
    changed the rate."""
    ordered = sorted(rates)
    in_force = [rate for start, rate in ordered if start <= day]
    if not in_force:
        return None
    return Decimal(in_force[-1]), day > ordered[-1][0]


def late_interest(amount_ttc: Decimal, rate_percent: Decimal, days_late: int) -> Decimal:
    """amount × rate × days / 365, rounded half-up to the cent (exact decimal arithmetic)."""
    raw = amount_ttc * rate_percent * days_late / (100 * DAYS_PER_YEAR)
    return raw.quantize(CENT, rounding=ROUND_HALF_UP)


def validate(request: PaymentRequest) -> dict[str, str]:
    """The errors of a request, by field (empty when the rules can work on it)."""
    errors: dict[str, str] = {}
    if request.buyer_type not in BUYER_TYPES:
        errors["buyer_type"] = f"Type d'acheteur inconnu : « {request.buyer_type} ». Valeurs possibles : " + (
            ", ".join(BUYER_TYPES) + "."
        )
    if request.amount_ttc is None or not request.amount_ttc.is_finite() or request.amount_ttc <= 0:
        errors["amount_ttc"] = "Le montant TTC doit être un nombre strictement positif."
    if request.amount_paid is not None:
        if not request.amount_paid.is_finite() or request.amount_paid < 0:
            errors["amount_paid"] = "Le montant payé ne peut pas être négatif."
        elif request.paid is None:
            errors["paid"] = "Indiquez la date de paiement du montant payé."
    if request.contract_delay_days is not None and request.contract_delay_days < 1:
        errors["contract_delay_days"] = "Le délai prévu par le marché doit être d'au moins 1 jour."
    if request.paid is not None and request.paid < request.received:
        errors["paid"] = (
            "La date de paiement ne peut pas précéder la date de réception de la demande de paiement "
            f"({french_date(request.received)})."
        )
    interruption = request.interruption
    if interruption is not None:
        if interruption.notified < request.received:
            errors["interruption.notified"] = (
                "L'interruption ne peut pas être notifiée avant la réception de la demande de paiement "
                f"({french_date(request.received)})."
            )
        if interruption.documents_received is not None and interruption.documents_received < interruption.notified:
            errors["interruption.documents_received"] = (
                "Les pièces manquantes ne peuvent pas être reçues avant la notification de l'interruption "
                f"({french_date(interruption.notified)})."
            )
    return errors


def compute(request: PaymentRequest, rates: RateTable, as_of: date | None = None) -> PaymentResult:
    """Apply the rules to one payment request. `rates`: the ECB rate table. `as_of`: for an unpaid request,
    the day to count lateness and interest to (today, usually); without it an unpaid request is never late.

    Raises InvalidInput (errors by field) when the request is inconsistent or no ECB rate is known."""
    errors = validate(request)
    if errors:
        raise InvalidInput(errors)
    steps: list[str] = []
    warnings: list[str] = []

    # 1. The period.
    legal = legal_delay_days(request.buyer_type)
    article = DELAY_ARTICLES.get(request.buyer_type, "R2192-10")
    steps.append(
        f"Délai maximal de paiement pour ce type d'acheteur : {days(legal)} (article {article} du code de la "
        "commande publique)."
    )
    delay = legal
    if request.contract_delay_days is not None:
        if request.contract_delay_days <= legal:
            delay = request.contract_delay_days
            if delay < legal:
                steps.append(f"Le marché prévoit un délai plus court, de {days(delay)} : c'est lui qui s'applique.")
        else:
            warnings.append(
                f"Le marché prévoit un délai de {days(request.contract_delay_days)}, plus long que le maximum "
                f"légal de {days(legal)} : le délai est ramené à {days(legal)} (article L2192-10)."
            )
            steps.append(f"Délai prévu par le marché plafonné au maximum légal : {days(legal)}.")

    # 2. When the clock starts.
    start = request.received
    if request.execution is not None and request.execution > request.received:
        start = request.execution
        steps.append(
            f"Le délai court à partir du {french_date(start)}, date d'exécution des prestations, postérieure à la "
            f"réception de la demande de paiement le {french_date(request.received)} (article R2192-13)."
        )
    else:
        steps.append(
            f"Le délai court à partir du {french_date(start)}, date de réception de la demande de paiement "
            "(article R2192-12)."
        )
    initial_due = start + timedelta(days=delay)
    steps.append(f"Date limite de paiement : {french_date(start)} + {days(delay)} = {french_date(initial_due)}.")

    # 3. The interruption.
    due: date | None = initial_due
    new_period = None
    interruption_applied = False
    interruption = request.interruption
    if interruption is not None:
        if interruption.notified > initial_due:
            warnings.append(
                f"L'interruption a été notifiée le {french_date(interruption.notified)}, après l'expiration du "
                f"délai (le {french_date(initial_due)}) : elle est sans effet sur le calcul."
            )
        else:
            interruption_applied = True
            balance = min(delay, (initial_due - interruption.notified).days)
            new_period = max(INTERRUPTION_NEW_PERIOD_DAYS, balance)
            why = (
                "le solde restant, plus long que 30 jours"
                if balance > INTERRUPTION_NEW_PERIOD_DAYS
                else "30 jours, le solde restant n'étant pas plus long"
            )
            steps.append(
                f"Le délai est interrompu par la notification reçue le {french_date(interruption.notified)} : il "
                f"restait alors {days(balance)} (article R2192-27)."
            )
            if interruption.documents_received is None:
                due = None
                steps.append(
                    f"Le délai est suspendu jusqu'à la réception des pièces manquantes ; un nouveau délai de "
                    f"{days(new_period)} s'ouvrira à cette date ({why}, article R2192-29)."
                )
            else:
                due = interruption.documents_received + timedelta(days=new_period)
                steps.append(
                    f"Les pièces sont reçues le {french_date(interruption.documents_received)} : un nouveau délai "
                    f"de {days(new_period)} s'ouvre ({why}, article R2192-29). Nouvelle date limite : "
                    f"{french_date(due)}."
                )

    # 4. Lateness.
    end = request.paid if request.paid is not None else as_of
    days_late = max(0, (end - due).days) if (due is not None and end is not None) else 0
    if request.paid is not None:
        if days_late:
            steps.append(
                f"Paiement le {french_date(request.paid)} : {days(days_late)} de retard "
                f"({french_date(request.paid)} − {french_date(due)})."
            )
        else:
            steps.append(
                f"Paiement le {french_date(request.paid)}, dans le délai : aucun intérêt moratoire ni indemnité "
                "n'est dû."
            )
    elif due is not None and as_of is not None:
        if days_late:
            steps.append(
                f"Demande non payée au {french_date(as_of)} : {days(days_late)} de retard à ce jour. Les intérêts "
                "continuent de courir jusqu'au paiement ; les montants ci-dessous sont provisoires."
            )
        else:
            steps.append(f"Demande non payée au {french_date(as_of)}, encore dans le délai.")

    # 5. Interest and indemnity.
    interest_start = hy_start = ecb = rate = payable_by = None
    to_confirm = False
    interest = indemnity = Decimal("0.00")
    if days_late:
        interest_start = due + timedelta(days=1)
        hy_start = half_year_start(interest_start)
        found = rate_in_force(rates, hy_start)
        if found is None:
            raise InvalidInput(
                {"received": f"Aucun taux de la BCE n'est connu au {french_date(hy_start)} : calcul impossible."}
            )
        ecb, to_confirm = found
        rate = ecb + INTEREST_MARGIN_POINTS
        steps.append(
            f"Les intérêts moratoires courent à partir du {french_date(interest_start)}, lendemain de la date "
            f"limite (article L2192-13). Ce jour tombe au {half_year_label(hy_start)} : taux de la BCE en vigueur "
            f"au {french_date(hy_start)} = {french_percent(ecb)}, majoré de 8 points = {french_percent(rate)} "
            "(article R2192-31)."
        )
        if to_confirm:
            latest = max(start_date for start_date, _ in rates)
            warnings.append(
                f"Taux à confirmer : le barème des taux de la BCE n'est connu que jusqu'au {french_date(latest)}. "
                f"Le dernier taux connu ({french_percent(ecb)}) est utilisé pour le {half_year_label(hy_start)}."
            )
        interest = late_interest(request.amount_ttc, rate, days_late)
        indemnity = FIXED_INDEMNITY
        steps.append(
            f"Intérêts moratoires : {french_euros(request.amount_ttc)} × {french_percent(rate)} × {days_late} / "
            f"{DAYS_PER_YEAR} = {french_euros(interest)} (arrondi au centime)."
        )
        steps.append(
            f"Indemnité forfaitaire pour frais de recouvrement : {french_euros(indemnity)} (article D2192-35)."
        )
        if request.paid is not None:
            payable_by = request.paid + timedelta(days=PAYABLE_WITHIN_DAYS)
            steps.append(
                f"Intérêts et indemnité, soit {french_euros(interest + indemnity)}, doivent être versés au plus tard "
                f"le {french_date(payable_by)}, 45 jours après le paiement (article R2192-36)."
            )

    if request.amount_paid is not None and request.amount_paid < request.amount_ttc:
        warnings.append(
            f"Paiement partiel ({french_euros(request.amount_paid)} sur {french_euros(request.amount_ttc)}) : le "
            "solde reste dû et les intérêts sont calculés ici sur le montant TTC de la demande."
        )

    return PaymentResult(
        legal_delay_days=legal,
        delay_days=delay,
        clock_start=start,
        initial_due_date=initial_due,
        due_date=due,
        interruption_applied=interruption_applied,
        new_period_days=new_period,
        paid=request.paid,
        as_of=None if request.paid is not None else as_of,
        days_late=days_late,
        interest_start=interest_start,
        half_year_start=hy_start,
        ecb_rate=ecb,
        interest_rate=rate,
        rate_to_confirm=to_confirm,
        interest=interest,
        indemnity=indemnity,
        payable_by=payable_by,
        payment_days=_payment_days(request, start, interruption_applied),
        warnings=tuple(warnings),
        steps=tuple(steps),
    )


def _payment_days(request: PaymentRequest, start: date, interruption_applied: bool) -> int | None:
    """Days from the clock start to the payment, minus the days the clock was stopped by an interruption."""
    if request.paid is None:
        return None
    elapsed = (request.paid - start).days
    interruption = request.interruption
    if interruption_applied and interruption.notified <= request.paid:
        resumed = min(interruption.documents_received or request.paid, request.paid)
        elapsed -= (resumed - max(interruption.notified, start)).days if resumed > start else 0
    return max(0, elapsed)
