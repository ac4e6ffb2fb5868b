"""Mediation API: cases (token or session; a case you may not see answers 404, whether it exists or not) and the
public anonymised statistics."""

from django.http import FileResponse
from ninja import Field, Query, Router, Schema, Status

from tremplin import policy
from tremplin.accounts.auth import token_auth
from tremplin.mediation import exchanges, filing, rules, services
from tremplin.mediation.schemas import (
    ActionIn,
    CaseIn,
    CaseListOut,
    CaseOut,
    Category,
    ErrorOut,
    MessageIn,
    MessageOut,
    StatisticsOut,
)
from tremplin.mediation.statistics import StatisticsFilters, mediation_statistics
from tremplin.organisations.models import Organisation
from tremplin.organisations.rules import InvalidIdentifier, validate_siret

router = Router()

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
STATUS_OF = (
    (services.CaseNotFound, 404),
    (services.ActionRefused, 403),
    (services.WrongStage, 409),
    (services.MediationError, 400),
)


def refusal(error: services.MediationError) -> Status:
    code = next(code for kind, code in STATUS_OF if isinstance(error, kind))
    return Status(code, {"detail": str(error), "field": error.field})


class CaseOutForUser(CaseOut):
    """CaseOut with what the caller may do (from the request's user)."""

    @staticmethod
    def resolve_deadlines(obj):
        return services.deadlines_for(obj)

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return rules.allowed_actions(obj.status, policy.mediation_roles(context["request"].auth, obj))

    @staticmethod
    def resolve_can_post_message(obj, context):
        return policy.can_post_mediation_message(context["request"].auth, obj)

    @staticmethod
    def resolve_messages(obj):
        return list(obj.messages.prefetch_related("documents"))

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.all())

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


class CaseListFilters(Schema):
    status: str | None = Field(None, description="Un statut : " + ", ".join(rules.STATUS_LABELS) + ".")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


@router.get("/cases", auth=token_auth, response={200: CaseListOut, 401: ErrorOut}, summary="Mes demandes")
def list_cases(request, filters: Query[CaseListFilters]):
    cases = services.visible_cases(request.auth).order_by("-filed_at", "-pk")
    if filters.status:
        cases = cases.filter(status=filters.status)
    items = list(cases[filters.offset : filters.offset + filters.limit])
    return {"count": cases.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.post(
    "/cases",
    auth=token_auth,
    response={201: CaseOutForUser, **ERRORS},
    summary="Déposer une demande de médiation",
    description="Pour une organisation dont vous êtes membre actif : membre de l'entreprise (side=company) ou agent "
    "acheteur (side=buyer). Un médiateur de la région de l'acheteur est désigné aussitôt s'il y en a un. "
    "Les pièces jointes se déposent ensuite : `POST /cases/{id}/documents`.",
)
def create_case(request, payload: CaseIn):
    user = request.auth
    try:
        siret = validate_siret(payload.organisation_siret)
    except InvalidIdentifier as error:
        return Status(400, {"detail": str(error), "field": "organisation_siret"})
    organisation = Organisation.objects.filter(siret=siret).first()
    sides = policy.mediation_filing_sides(user, organisation) if organisation else []
    if payload.side is not None:
        sides = [side for side in sides if side == payload.side]
    if not sides:
        detail = "Vous ne pouvez pas déposer de demande pour cette organisation : il faut en être membre actif "
        detail += "(membre de l'entreprise ou agent acheteur)."
        return Status(403, {"detail": detail, "field": "organisation_siret"})
    try:
        case = filing.file_case(
            user,
            organisation=organisation,
            side=sides[0],
            other_party_siret=payload.other_party_siret,
            category=payload.category,
            description=payload.description,
            amount_at_stake=payload.amount_at_stake,
            contract_key=payload.contract_key,
        )
    except services.MediationError as error:
        return refusal(error)
    return Status(201, services.case_queryset().get(pk=case.pk))


@router.get(
    "/cases/{case_id}",
    auth=token_auth,
    response={200: CaseOutForUser, 401: ErrorOut, 404: ErrorOut},
    summary="Une demande : parties, échéances, messages, pièces jointes, journal",
)
def get_case(request, case_id: int):
    try:
        return services.get_case_for(request.auth, case_id)
    except services.CaseNotFound as error:
        return refusal(error)


@router.post(
    "/cases/{case_id}/messages",
    auth=token_auth,
    response={201: MessageOut, **ERRORS},
    summary="Écrire dans une demande",
    description="Les parties et le médiateur, tant que la demande est en cours (409 sinon).",
)
def post_message(request, case_id: int, payload: MessageIn):
    try:
        case = services.get_case_for(request.auth, case_id)
        message = exchanges.post_message(request.auth, case, payload.body)
    except services.MediationError as error:
        return refusal(error)
    return Status(201, message)


@router.post(
    "/cases/{case_id}/documents",
    auth=token_auth,
    response={201: MessageOut, **ERRORS},
    summary="Joindre des documents à une demande",
    description="Formulaire multipart : un ou plusieurs champs `files` (PDF, PNG, JPEG, WebP, docx, xlsx, pptx, "
    "odt, ods, odp ; 10 Mo au plus chacun, 5 par envoi), et un champ `body` facultatif. Le type est vérifié "
    "d'après le contenu du fichier.",
)
def post_documents(request, case_id: int):
    try:
        case = services.get_case_for(request.auth, case_id)
        message = exchanges.post_message(
            request.auth, case, request.POST.get("body", ""), request.FILES.getlist("files")
        )
    except services.MediationError as error:
        return refusal(error)
    return Status(201, message)


@router.get(
    "/cases/{case_id}/documents/{document_id}",
    auth=token_auth,
    response={401: ErrorOut, 404: ErrorOut},
    url_name="mediation_document",
    summary="Télécharger une pièce jointe",
)
def download_document(request, case_id: int, document_id: int):
    try:
        case = services.get_case_for(request.auth, case_id)
        document = exchanges.open_document(request.auth, case, document_id)
    except services.MediationError as error:
        return refusal(error)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.name, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/cases/{case_id}/actions",
    auth=token_auth,
    response={200: CaseOutForUser, **ERRORS},
    summary="Faire avancer une demande",
    description="accept, decline (motif obligatoire), start, agreement, failure : le médiateur ; withdraw : la "
    "partie qui a déposé la demande. 403 si l'action n'est pas la vôtre, 409 si elle n'est pas possible à ce stade.",
)
def act_on_case(request, case_id: int, payload: ActionIn):
    try:
        case = services.get_case_for(request.auth, case_id)
        services.perform_action(request.auth, case, payload.action, payload.reason)
    except services.MediationError as error:
        return refusal(error)
    return services.case_queryset().get(pk=case_id)


class StatisticsQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Année de dépôt.")
    region: str | None = Field(None, max_length=3, description="Code INSEE de la région de l'acheteur, ex. 84.")
    category: Category | None = None


@router.get(
    "/statistics",
    response=StatisticsOut,
    summary="Statistiques anonymes de la médiation",
    description="Public. Nombre de demandes par objet, région de l'acheteur et issue, durée médiane du dépôt à la "
    "clôture. Ni nom ni SIRET ; tout chiffre inférieur à 3 est masqué (`count: null`), ainsi qu'un second quand un "
    "seul le serait.",
)
def statistics(request, filters: Query[StatisticsQuery]):
    stats = mediation_statistics(StatisticsFilters(filters.year, filters.region, filters.category))
    return {
        "filters": stats.filters.as_dict(),
        "min_cell_size": stats.min_cell_size,
        "total": stats.total,
        "closed": stats.closed,
        "median_duration_days": stats.median_duration_days,
        "by_category": stats.by_category,
        "by_region": stats.by_region,
        "by_outcome": stats.by_outcome,
    }
