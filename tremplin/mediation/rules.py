"""Pure rules of mediation cases: categories, statuses, the transition table (who may move a case from which
state to which), the choice of a mediator, deadlines and the suppression of small cells in statistics.
No ORM, no request: every function here is unit-testable with plain values."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

# ---------- Categories and statuses ----------

CATEGORY_LABELS = {
    "payment_delay": "Retard de paiement",
    "price_revision": "Révision des prix",
    "penalties": "Pénalités",
    "modification": "Modification du contrat",
    "termination": "Résiliation",
    "other": "Autre différend",
}
CATEGORY_CHOICES = list(CATEGORY_LABELS.items())

FILED = "filed"
ACCEPTED = "accepted"
DECLINED = "declined"
IN_MEDIATION = "in_mediation"
AGREEMENT = "agreement"
FAILURE = "failure"
WITHDRAWN = "withdrawn"

STATUS_LABELS = {
    FILED: "Déposée",
    ACCEPTED: "Acceptée",
    DECLINED: "Déclarée irrecevable",
    IN_MEDIATION: "En médiation",
    AGREEMENT: "Accord trouvé",
    FAILURE: "Échec de la médiation",
    WITHDRAWN: "Retirée",
}
STATUS_CHOICES = list(STATUS_LABELS.items())
# The badge colour of each status in the pages.
STATUS_TONES = {
    FILED: "neutral",
    ACCEPTED: "med-info",
    DECLINED: "error",
    IN_MEDIATION: "med-info",
    AGREEMENT: "success",
    FAILURE: "error",
    WITHDRAWN: "neutral",
}
OPEN_STATUSES = frozenset({FILED, ACCEPTED, IN_MEDIATION})
CLOSED_STATUSES = frozenset({DECLINED, AGREEMENT, FAILURE, WITHDRAWN})
OPEN_LABEL = "En cours"
# What the reason given with the last decision is, by status.
STATUS_REASON_LABELS = {
    DECLINED: "Motif",
    AGREEMENT: "Termes de l'accord",
    FAILURE: "Motif de l'échec",
    WITHDRAWN: "Motif du retrait",
}

# The two sides of a case.
COMPANY = "company"
BUYER = "buyer"
SIDE_LABELS = {COMPANY: "Entreprise", BUYER: "Acheteur public"}

# The roles in which a person acts on a case (a person may hold several, e.g. staff and mediator).
MEDIATOR = "mediator"
FILING_PARTY = "filing_party"
OTHER_PARTY = "other_party"
STAFF = "staff"


class TransitionError(ValueError):
    """A move the workflow does not allow; the message is in French, for the user. `kind` says why: "unknown"
    action, "forbidden" to this person, not possible at this "stage", or a missing or too long "reason"."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button
    sources: frozenset[str]
    target: str
    actor: str  # the role allowed to do it
    reason_required: bool = False
    reason_label: str = ""  # empty: the action asks for no comment
    closes: bool = False  # a closing action (shown as such, and irreversible)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("accept", "Accepter la demande", frozenset({FILED}), ACCEPTED, MEDIATOR),
        Transition(
            "decline",
            "Déclarer la demande irrecevable",
            frozenset({FILED}),
            DECLINED,
            MEDIATOR,
            reason_required=True,
            reason_label="Motif (obligatoire, visible des parties)",
            closes=True,
        ),
        Transition("start", "Ouvrir la médiation", frozenset({ACCEPTED}), IN_MEDIATION, MEDIATOR),
        Transition(
            "agreement",
            "Constater l'accord",
            frozenset({IN_MEDIATION}),
            AGREEMENT,
            MEDIATOR,
            reason_label="Termes de l'accord (facultatif)",
            closes=True,
        ),
        Transition(
            "failure",
            "Constater l'échec",
            frozenset({ACCEPTED, IN_MEDIATION}),
            FAILURE,
            MEDIATOR,
            reason_label="Motif de l'échec (facultatif)",
            closes=True,
        ),
        Transition(
            "withdraw",
            "Retirer la demande",
            frozenset(OPEN_STATUSES),
            WITHDRAWN,
            FILING_PARTY,
            reason_label="Motif du retrait (facultatif)",
            closes=True,
        ),
    )
}
REASON_MAX_LENGTH = 2000


def allowed_actions(status: str, roles: Iterable[str]) -> list[str]:
    """The actions a person holding `roles` may take on a case in `status`, in table order."""
    held = set(roles)
    return [t.action for t in TRANSITIONS.values() if status in t.sources and t.actor in held]


def next_status(status: str, action: str, roles: Iterable[str], reason: str = "") -> str:
    """The status after `action`, or TransitionError saying why it cannot be done."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError("Action inconnue.", "unknown")
    if transition.actor not in set(roles):
        who = {MEDIATOR: "le médiateur du dossier", FILING_PARTY: "la partie qui a déposé la demande"}
        raise TransitionError(f"Seul(e) {who.get(transition.actor, 'l’équipe')} peut faire cette action.", "forbidden")
    if status not in transition.sources:
        raise TransitionError(
            f"Impossible : la demande est « {STATUS_LABELS.get(status, status)} » "
            f"(action « {transition.label} » non disponible à ce stade).",
            "stage",
        )
    if transition.reason_required and not reason.strip():
        raise TransitionError("Indiquez le motif : il sera visible des parties dans le dossier.", "reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise TransitionError(f"Le motif ne peut pas dépasser {REASON_MAX_LENGTH} caractères.", "reason")
    return transition.target


def can_post_message(status: str, roles: Iterable[str]) -> bool:
    """The parties and the mediator write on open cases; staff only read (and reassign)."""
    return status in OPEN_STATUSES and bool(set(roles) & {MEDIATOR, FILING_PARTY, OTHER_PARTY})


# ---------- Assignment ----------


def choose_mediator(candidates: Mapping[int, int]) -> int | None:
    """Among mediator ids → number of open cases, the one with the fewest open cases (the lowest id on a tie,
    so that the choice is reproducible); None when there is no candidate: the case waits for staff."""
    if not candidates:
        return None
    return min(candidates, key=lambda mediator_id: (candidates[mediator_id], mediator_id))


# ---------- Deadlines ----------

DEFAULT_FIRST_CONTACT_DAYS = 7
DEFAULT_MEDIATION_TARGET_DAYS = 90

MET, MET_LATE, PENDING, OVERDUE, NOT_APPLICABLE = "met", "met_late", "pending", "overdue", "not_applicable"
DEADLINE_STATE_LABELS = {
    MET: "Respecté",
    MET_LATE: "Respecté en retard",
    PENDING: "À venir",
    OVERDUE: "Dépassé",
    NOT_APPLICABLE: "Sans objet",
}

DEADLINE_TONES = {MET: "success", MET_LATE: "warning", PENDING: "neutral", OVERDUE: "error", NOT_APPLICABLE: "neutral"}


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: date
    done_on: date | None
    state: str
    days_left: int | None  # for pending and overdue deadlines (negative when overdue)

    @property
    def state_label(self) -> str:
        return DEADLINE_STATE_LABELS[self.state]

    @property
    def tone(self) -> str:
        return DEADLINE_TONES[self.state]


def _deadline(key: str, label: str, due: date, done_on: date | None, is_open: bool, today: date) -> Deadline:
    if done_on is not None:
        return Deadline(key, label, due, done_on, MET if done_on <= due else MET_LATE, None)
    if not is_open:
        return Deadline(key, label, due, None, NOT_APPLICABLE, None)
    days_left = (due - today).days
    return Deadline(key, label, due, None, OVERDUE if days_left < 0 else PENDING, days_left)


def case_deadlines(
    status: str,
    filed_on: date,
    first_contact_on: date | None,
    mediation_started_on: date | None,
    closed_on: date | None,
    today: date,
    first_contact_days: int = DEFAULT_FIRST_CONTACT_DAYS,
    target_days: int = DEFAULT_MEDIATION_TARGET_DAYS,
) -> list[Deadline]:
    """The deadlines of a case: the mediator's first contact within `first_contact_days` of filing, and, once the
    mediation is open, its end within `target_days`. A deadline met after its date is "met late"; one that can
    no longer be met because the case is closed is "not applicable"."""
    is_open = status in OPEN_STATUSES
    deadlines = [
        _deadline(
            "first_contact",
            f"Premier contact du médiateur (sous {first_contact_days} jours)",
            filed_on + timedelta(days=first_contact_days),
            first_contact_on,
            is_open,
            today,
        )
    ]
    if mediation_started_on is not None:
        deadlines.append(
            _deadline(
                "mediation_end",
                f"Fin de la médiation visée (sous {target_days} jours)",
                mediation_started_on + timedelta(days=target_days),
                closed_on if status in {AGREEMENT, FAILURE} else None,
                is_open,
                today,
            )
        )
    return deadlines


# ---------- Statistics: small-cell suppression ----------

MIN_CELL_SIZE = 3


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    count: int | None  # None when suppressed

    @property
    def suppressed(self) -> bool:
        return self.count is None


def suppress_small_cells(counts: Mapping[str, int], labels: Mapping[str, str], total_shown: bool) -> list[Cell]:
    """One cell per label (in label order). Counts below MIN_CELL_SIZE (zero included) are suppressed. When the
    total is published and a single cell would be suppressed, it could be recomputed (total − the others): the
    smallest other non-empty cell is suppressed as well."""
    hidden = {key for key in labels if counts.get(key, 0) < MIN_CELL_SIZE}
    if total_shown:
        hidden_with_cases = [key for key in hidden if counts.get(key, 0) > 0]
        if len(hidden_with_cases) == 1:
            shown = [key for key in labels if key not in hidden]
            if shown:
                hidden.add(min(shown, key=lambda key: (counts[key], key)))
    return [Cell(key, label, None if key in hidden else counts.get(key, 0)) for key, label in labels.items()]


def suppressed_total(total: int) -> int | None:
    return total if total >= MIN_CELL_SIZE else None


def median_days(durations: Iterable[int]) -> float | None:
    """The median of durations in days; None under MIN_CELL_SIZE values (too few to publish)."""
    values = sorted(durations)
    if len(values) < MIN_CELL_SIZE:
        return None
    return float(statistics.median(values))
