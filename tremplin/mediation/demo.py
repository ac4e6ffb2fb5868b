"""Demo data: two mediation cases between a company and a buyer, one in mediation and one closed by an agreement,
with their messages and audit log, backdated so that the deadlines mean something. Idempotent: a case already
there (same parties, category and description) is left as it is. No e-mail is sent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tremplin.mediation import rules
from tremplin.mediation.models import Case, Event, EventAction, Message
from tremplin.organisations.models import MembershipStatus, Role

PAYMENT_DELAY = (
    "Trois factures de 2025 (total 48 600 € TTC) restent impayées plus de 90 jours après leur réception, sans "
    "notification de suspension du délai. Nous demandons leur paiement et les intérêts moratoires dus."
)
PRICE_REVISION = (
    "La révision des prix prévue au CCAP (indice BT01) n'a pas été appliquée aux situations de travaux depuis "
    "janvier ; l'écart atteint 12 300 € HT. Nous demandons l'application de la clause."
)


def _member(organisation, role):
    membership = (
        organisation.memberships.filter(status=MembershipStatus.ACTIVE, role=role, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _label(user, organisation=None, mediator=False) -> str:
    if user is None:
        return organisation.name if organisation else "Tremplin (automatique)"
    if mediator:
        return f"{user.get_full_name()} (médiateur)"
    return f"{user.get_full_name()} ({organisation.name})" if organisation else user.get_full_name()


def _event(case, when, action, actor, label, details=""):
    event = Event.objects.create(case=case, actor=actor, actor_label=label, action=action, details=details)
    Event.objects.filter(pk=event.pk).update(created_at=when)


def _message(case, when, author, label, role, body):
    message = Message.objects.create(case=case, author=author, author_label=label, author_role=role, body=body)
    Message.objects.filter(pk=message.pk).update(created_at=when)
    _event(case, when, EventAction.MESSAGE, author, label)


def _case(company_org, buyer_org, mediator_user, category, description, amount, filed_at, filer) -> Case | None:
    """The case, created and filed at `filed_at`; None when it already exists."""
    if Case.objects.filter(company=company_org, buyer=buyer_org, category=category, description=description).exists():
        return None
    case = Case.objects.create(
        company=company_org,
        buyer=buyer_org,
        filed_by_side=rules.COMPANY,
        filed_by=filer,
        category=category,
        amount_at_stake=amount,
        description=description,
        region=buyer_org.department.region if buyer_org.department_id else None,
        mediator=mediator_user,
    )
    Case.objects.filter(pk=case.pk).update(filed_at=filed_at)
    case.refresh_from_db()
    details = f"Entreprise : {company_org.name}. Objet : {rules.CATEGORY_LABELS[category]}."
    _event(case, filed_at, EventAction.FILED, filer, _label(filer, company_org), details)
    assigned = f"{mediator_user.get_full_name()} désigné."
    _event(case, filed_at, EventAction.ASSIGNED, None, "Tremplin (automatique)", assigned)
    return case


@transaction.atomic
def create_demo_cases(company_org, buyer_org, mediator_user) -> list[Case]:
    """Create (once) the two demo cases; returns those created by this call."""
    now = timezone.now()
    filer = _member(company_org, Role.COMPANY_MEMBER)
    agent = _member(buyer_org, Role.BUYER_AGENT)
    mediator_label = _label(mediator_user, mediator=True)
    created = []

    # 1. In mediation: accepted within the first-contact deadline, both parties have written.
    filed = now - timedelta(days=20)
    case = _case(
        company_org, buyer_org, mediator_user, "payment_delay", PAYMENT_DELAY, Decimal("48600.00"), filed, filer
    )
    if case is not None:
        accepted, started = filed + timedelta(days=3), filed + timedelta(days=6)
        Case.objects.filter(pk=case.pk).update(
            status=rules.IN_MEDIATION, first_contact_at=accepted, mediation_started_at=started
        )
        _event(case, accepted, EventAction.ACCEPT, mediator_user, mediator_label)
        _event(case, started, EventAction.START, mediator_user, mediator_label)
        _message(
            case,
            started + timedelta(hours=2),
            mediator_user,
            mediator_label,
            rules.MEDIATOR,
            "Bonjour, je vous propose une réunion à trois la semaine prochaine. Merci à l'acheteur de vérifier "
            "d'ici là l'état de traitement des trois factures.",
        )
        if agent is not None:
            _message(
                case,
                started + timedelta(days=2),
                agent,
                _label(agent, buyer_org),
                rules.BUYER,
                "Deux factures étaient bloquées au service fait ; elles sont en cours de mandatement.",
            )
        created.append(case)

    # 2. Closed by an agreement after five weeks.
    filed = now - timedelta(days=75)
    case = _case(
        company_org, buyer_org, mediator_user, "price_revision", PRICE_REVISION, Decimal("12300.00"), filed, filer
    )
    if case is not None:
        accepted, started, closed = filed + timedelta(days=2), filed + timedelta(days=4), filed + timedelta(days=38)
        terms = "L'acheteur applique la révision sur les situations 3 à 7 ; avenant de régularisation signé."
        Case.objects.filter(pk=case.pk).update(
            status=rules.AGREEMENT,
            status_reason=terms,
            first_contact_at=accepted,
            mediation_started_at=started,
            closed_at=closed,
        )
        _event(case, accepted, EventAction.ACCEPT, mediator_user, mediator_label)
        _event(case, started, EventAction.START, mediator_user, mediator_label)
        _event(case, closed, EventAction.AGREEMENT, mediator_user, mediator_label, terms)
        created.append(case)
    return created
