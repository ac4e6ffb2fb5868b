"""Filing a case: who may file for which organisation, checking the other party and the contract, the documents
filed with it, and the automatic assignment of the least busy mediator of the buyer's region."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from tremplin import policy
from tremplin.contracts.models import Contract
from tremplin.mediation import notifications, rules
from tremplin.mediation.exchanges import check_uploads, delete_files, save_documents
from tremplin.mediation.models import Case, Document, EventAction
from tremplin.mediation.services import ActionRefused, MediationError, actor_label, log, party_member_ids
from tremplin.organisations.models import MembershipStatus, Organisation
from tremplin.organisations.rules import InvalidIdentifier, validate_siret

DESCRIPTION_MIN_LENGTH = 20
DESCRIPTION_MAX_LENGTH = 10_000
AMOUNT_MAX = Decimal("999999999999.99")


@dataclass(frozen=True)
class FilingOption:
    organisation: Organisation
    side: str

    @property
    def value(self) -> str:
        return f"{self.organisation.siret}:{self.side}"

    @property
    def label(self) -> str:
        return f"{self.organisation.name} — en tant que {rules.SIDE_LABELS[self.side].lower()}"


def filing_options(user) -> list[FilingOption]:
    """The organisations (and sides) for which `user` may file a case."""
    if not policy.is_authenticated(user):
        return []
    organisations = Organisation.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.ACTIVE
    ).distinct()
    return [
        FilingOption(organisation, side)
        for organisation in organisations.order_by("name")
        for side in policy.mediation_filing_sides(user, organisation)
    ]


def _other_party(side: str, raw_siret: str, filer: Organisation) -> Organisation:
    field = "other_party_siret"
    try:
        siret = validate_siret(raw_siret)
    except InvalidIdentifier as error:
        raise MediationError(str(error), field) from error
    if siret == filer.siret:
        raise MediationError("L'autre partie doit être une autre organisation que la vôtre.", field)
    other = Organisation.objects.select_related("department__region").filter(siret=siret).first()
    if other is None:
        raise MediationError(
            "Aucune organisation n'est enregistrée sur Tremplin avec ce SIRET. Vérifiez-le ; si c'est le bon, "
            "écrivez à l'équipe Tremplin pour qu'elle l'ajoute.",
            field,
        )
    if side == rules.COMPANY and not other.is_buyer:
        raise MediationError(f"{other.name} n'est pas enregistrée comme acheteur public.", field)
    if side == rules.BUYER and not other.is_supplier:
        raise MediationError(f"{other.name} n'est pas enregistrée comme entreprise.", field)
    return other


def _contract(key: str, company: Organisation, buyer: Organisation) -> Contract | None:
    key = (key or "").strip()
    if not key:
        return None
    contract = Contract.objects.filter(key=key).first()
    if contract is None:
        raise MediationError(
            "Aucun marché ne porte cette référence sur Tremplin. Laissez le champ vide si vous ne la connaissez pas.",
            "contract_key",
        )
    if contract.buyer_id != buyer.pk or not contract.holders.filter(organisation=company).exists():
        raise MediationError(
            f"Ce marché ne lie pas {company.name} (titulaire) et {buyer.name} (acheteur).", "contract_key"
        )
    return contract


def _check_text(text: str, field: str, minimum: int, maximum: int, what: str) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise MediationError(f"{what} : {minimum} caractères au moins.", field)
    if len(text) > maximum:
        raise MediationError(f"{what} : {maximum} caractères au plus ({len(text)} saisis).", field)
    return text


def file_case(
    user,
    *,
    organisation: Organisation,
    side: str,
    other_party_siret: str,
    category: str,
    description: str,
    amount_at_stake: Decimal | None = None,
    contract_key: str = "",
    uploads=(),
) -> Case:
    """`user` files a case on behalf of `organisation` (as the company or as the buyer) against the organisation
    with `other_party_siret`. A mediator of the buyer's region is assigned at once when there is one."""
    if side not in policy.mediation_filing_sides(user, organisation):
        raise ActionRefused(
            "Vous ne pouvez pas déposer de demande pour cette organisation : il faut en être membre actif "
            "(membre de l'entreprise ou agent acheteur).",
            "acting_for",
        )
    if category not in rules.CATEGORY_LABELS:
        raise MediationError("Choisissez l'objet du différend dans la liste.", "category")
    if amount_at_stake is not None and not (Decimal(0) <= amount_at_stake <= AMOUNT_MAX):
        raise MediationError("Le montant en jeu doit être positif (ou laissé vide).", "amount_at_stake")
    description = _check_text(
        description, "description", DESCRIPTION_MIN_LENGTH, DESCRIPTION_MAX_LENGTH, "L'exposé du différend"
    )
    other = _other_party(side, other_party_siret, organisation)
    company, buyer = (organisation, other) if side == rules.COMPANY else (other, organisation)
    contract = _contract(contract_key, company, buyer)
    checked = check_uploads(uploads)

    saved: list[Document] = []
    try:
        with transaction.atomic():
            case = Case.objects.create(
                company=company,
                buyer=buyer,
                filed_by_side=side,
                filed_by=user,
                contract=contract,
                category=category,
                amount_at_stake=amount_at_stake,
                description=description,
                region=buyer.department.region if buyer.department_id else None,
            )
            details = f"{rules.SIDE_LABELS[side]} : {organisation.name}. Objet : {rules.CATEGORY_LABELS[category]}."
            log(case, EventAction.FILED, user, details, label=actor_label(user, organisation=organisation))
            saved = save_documents(case, user, checked)
            for document in saved:
                log(case, EventAction.DOCUMENT, user, document.name, label=actor_label(user, organisation=organisation))
            why_unassigned = _assign_automatically(case)
    except Exception:
        delete_files(saved)
        raise
    notifications.case_filed(case, user)
    if why_unassigned:
        notifications.awaiting_assignment(case, why_unassigned)
    return case


def mediator_candidates(case: Case) -> QuerySet:
    """The active mediators of the case's region who are not members of either party, with their open cases."""
    conflicted = party_member_ids([case.company_id, case.buyer_id])
    return (
        get_user_model()
        .objects.filter(is_active=True, mediator_region_id=case.region_id)
        .exclude(pk__in=conflicted)
        .annotate(open_cases=Count("mediation_cases", filter=Q(mediation_cases__status__in=rules.OPEN_STATUSES)))
    )


def _assign_automatically(case: Case) -> str:
    """Assign the region's least busy mediator; returns "" or, when nobody could be assigned, why."""
    if case.region_id is None:
        why = f"La région de l'acheteur ({case.buyer.name}) n'est pas connue."
        mediator_id = None
    else:
        candidates = dict(mediator_candidates(case).values_list("pk", "open_cases"))
        mediator_id = rules.choose_mediator(candidates)
        why = f"Aucun médiateur n'est disponible pour la région {case.region.name}."
    if mediator_id is None:
        log(case, EventAction.AWAITING_ASSIGNMENT, None, why + " L'équipe Tremplin va en désigner un.")
        return why
    case.mediator = get_user_model().objects.get(pk=mediator_id)
    case.save(update_fields=["mediator", "updated_at"])
    log(
        case,
        EventAction.ASSIGNED,
        None,
        f"{case.mediator.get_full_name()}, médiateur pour la région {case.region.name}, désigné automatiquement.",
    )
    return ""
