"""E-mails sent at each step of a case, to the active members of both parties and to the mediator (never to the
person who acted). They say what happened and link to the case; the content of the case (description, messages,
documents, reasons) stays on the platform, behind its access check."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from tremplin.core.mail import absolute_url, send_templated
from tremplin.mediation.models import Case
from tremplin.organisations.models import MembershipStatus


def party_emails(case: Case) -> set[str]:
    """The addresses of the active members (active accounts) of the company and of the buyer."""
    users = get_user_model().objects.filter(
        is_active=True,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__organisation_id__in=[case.company_id, case.buyer_id],
    )
    return set(users.values_list("email", flat=True))


def case_recipients(case: Case, actor=None) -> set[str]:
    recipients = party_emails(case)
    if case.mediator_id and case.mediator.is_active:
        recipients.add(case.mediator.email)
    if actor is not None and getattr(actor, "email", None):
        recipients.discard(actor.email)
    return recipients


def _context(case: Case, **extra) -> dict:
    return {"case": case, "url": absolute_url(reverse("mediation:case", args=[case.pk])), **extra}


def _subject(case: Case, text: str) -> str:
    return f"Médiation {case.reference} : {text}"


def case_filed(case: Case, actor) -> int:
    return send_templated(
        case_recipients(case, actor),
        _subject(case, "nouvelle demande"),
        "mediation/emails/filed.txt",
        _context(case),
    )


def awaiting_assignment(case: Case, why: str) -> int:
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).values_list("email", flat=True)
    return send_templated(
        staff,
        _subject(case, "médiateur à désigner"),
        "mediation/emails/awaiting_assignment.txt",
        _context(case, why=why, assign_url=absolute_url(reverse("mediation:assign", args=[case.pk]))),
    )


def mediator_assigned(case: Case, actor, previous=None) -> int:
    return send_templated(
        case_recipients(case, actor) | ({previous.email} if previous is not None and previous.is_active else set()),
        _subject(case, "médiateur désigné"),
        "mediation/emails/mediator_assigned.txt",
        _context(case, previous=previous),
    )


def status_changed(case: Case, actor, action_label: str) -> int:
    return send_templated(
        case_recipients(case, actor),
        _subject(case, case.get_status_display().lower()),
        "mediation/emails/status_changed.txt",
        _context(case, action_label=action_label),
    )


def new_message(case: Case, actor, author_label: str, document_count: int) -> int:
    return send_templated(
        case_recipients(case, actor),
        _subject(case, "nouveau message" if not document_count else "nouveau message et pièces jointes"),
        "mediation/emails/new_message.txt",
        _context(case, author_label=author_label, document_count=document_count),
    )
