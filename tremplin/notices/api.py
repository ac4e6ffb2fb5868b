"""Published notices API (public, read-only), mounted at /api/v1/notices: search the notices (open calls for
competition by default) and read one notice with its lots, awards and related notices."""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from tremplin import policy
from tremplin.notices.forms import NoticeSearchForm
from tremplin.notices.models import Notice
from tremplin.notices.presenters import notice_data, notice_summary
from tremplin.notices.search import SHOW_CHOICES, NoticeFilters, search_notices

router = Router()

UNKNOWN_NOTICE = "Avis inconnu."
MAX_LIMIT = 100
SHOW_HELP = "; ".join(f"{value} : {label}" for value, label in SHOW_CHOICES)


class NoticeQuery(Schema):
    show: str = Field("open", description=f"Avis affichés. {SHOW_HELP}.")
    q: str = Field("", description="Mots de l'objet, du nom de l'acheteur ou de la ville (sans accents ni casse).")
    cpv: str = Field("", description="Début du code CPV (2 à 8 chiffres) : 45, 4521, 45214200…")
    department: str = Field("", description="Code INSEE du département du lieu d'exécution : 69, 2A, 974…")
    deadline_from: str = Field("", description="Date limite au plus tôt (AAAA-MM-JJ).")
    deadline_to: str = Field("", description="Date limite au plus tard (AAAA-MM-JJ).")
    procedure: str = Field("", description="Procédure (libellé exact, par ex. « Procédure adaptée »).")
    reserved: str = Field("", description="true (ou 1) : seulement les marchés réservés, en tout ou partie.")
    limit: str = Field("20", description=f"Nombre d'avis par page, de 1 à {MAX_LIMIT}.")
    offset: str = Field("0", description="Nombre d'avis à sauter (pagination).")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class OrganisationRefOut(Schema):
    name: str
    siret: str | None = None
    url: str | None = None


class NoticeRefOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    publication_date: datetime.date | None = None
    url: str


class NoticeSummaryOut(Schema):
    id: int
    url: str
    api_url: str
    source: str
    source_id: str
    publication_number: str | None = None
    kind: str
    kind_label: str
    title: str
    buyer: OrganisationRefOut
    cpv: str | None = None
    procedure: str | None = None
    department: str | None = None
    region: str | None = None
    publication_date: datetime.date | None = None
    deadline_at: datetime.datetime | None = None
    deadline_date: datetime.date | None = None
    is_open: bool
    is_reserved: bool
    estimated_value: float | None = None
    currency: str | None = None


class NoticeListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[NoticeSummaryOut]


class LotOut(Schema):
    lot_id: str | None = None
    title: str
    description: str
    cpv: str | None = None
    additional_cpv: list[str]
    estimated_value: float | None = None
    currency: str | None = None
    nuts: str | None = None
    department: str | None = None
    is_reserved: bool | None = None


class WinnerOut(Schema):
    name: str
    siret: str | None = None
    legal_id: str | None = None
    country: str | None = None
    town: str | None = None
    postcode: str | None = None
    is_sme: bool | None = None
    organisation: OrganisationRefOut | None = None


class AwardOut(Schema):
    lot_id: str | None = None
    title: str
    awarded: bool
    value: float | None = None
    currency: str | None = None
    award_date: datetime.date | None = None
    tenders_received: int | None = None
    contract_id: str | None = None
    joint: bool | None = None
    winners: list[WinnerOut]


class FlagOut(Schema):
    code: str
    label: str


class NoticeOut(NoticeSummaryOut):
    description: str
    buyer_reference: str | None = None
    buyer_legal_id: str | None = None
    buyer_country: str | None = None
    contract_nature: str | None = None
    procedure_code: str | None = None
    additional_cpv: list[str]
    cpv_codes: list[str]
    descriptors: list[str]
    place: dict
    deadline: dict
    is_cancelled: bool
    considerations: dict
    links: dict
    lots: list[LotOut]
    awards: list[AwardOut]
    flags: list[FlagOut]
    related_reference: str | None = None
    related: NoticeRefOut | None = None
    follow_ups: list[NoticeRefOut]
    provenance: dict


@router.get(
    "",
    response={200: NoticeListOut, 400: ErrorOut},
    summary="Rechercher des avis publiés",
    description="Par défaut, les appels à la concurrence ouverts (date limite non passée, avis non annulé), de la "
    "date limite la plus proche à la plus lointaine ; les autres listes vont de la publication la plus récente à la "
    "plus ancienne. 400 avec le détail par paramètre quand un filtre est illisible.",
)
def search(request, query: Query[NoticeQuery]):
    form = NoticeSearchForm(request.GET)
    errors = {} if form.is_valid() else {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    limit = _whole_number(query.limit, "limit", 1, MAX_LIMIT, errors)
    offset = _whole_number(query.offset, "offset", 0, None, errors)
    if errors:
        return Status(400, {"detail": "Paramètres de recherche invalides.", "errors": errors})
    now = timezone.now()
    notices = search_notices(NoticeFilters.from_cleaned(form.cleaned_data), now)
    items = [notice_summary(notice, now) for notice in notices[offset : offset + limit]]
    return {"count": notices.count(), "limit": limit, "offset": offset, "items": items}


def _whole_number(raw: str, name: str, low: int, high: int | None, errors: dict) -> int:
    text = raw.strip()
    bounds = f"de {low} à {high}" if high is not None else f"à partir de {low}"
    if (
        not (text.isascii() and text.isdigit())
        or len(text) > 9
        or not (low <= int(text) <= (high if high is not None else 10**9))
    ):
        errors[name] = [f"Nombre entier attendu, {bounds}."]
        return low
    return int(text)


@router.get(
    "/{notice_id}",
    response={200: NoticeOut, 404: ErrorOut},
    url_name="notice_detail",
    summary="Un avis publié",
    description="L'avis, ses lots, ses attributions et attributaires, ses codes CPV, son lieu, ses liens, ses "
    "anomalies, les avis liés (rectificatifs, annulation, attribution) et sa provenance. 404 si l'avis est inconnu.",
)
def detail(request, notice_id: str):
    if not (notice_id.isascii() and notice_id.isdigit()) or len(notice_id) > 18:
        raise HttpError(404, UNKNOWN_NOTICE)
    notice = Notice.objects.select_related("buyer", "related").with_cancelled().filter(pk=int(notice_id)).first()
    if notice is None or not policy.can_view_notice(request.user, notice):
        raise HttpError(404, UNKNOWN_NOTICE)
    return notice_data(notice, timezone.now())
