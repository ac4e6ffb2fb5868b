"""Saved searches API: a person's own searches only (token or session), anyone else's answer 404. Input is checked
by the same form as the pages (same French messages, field by field)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import QueryDict
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from tremplin.accounts.auth import token_auth
from tremplin.alerts import rules, services
from tremplin.alerts.forms import SavedSearchForm
from tremplin.alerts.models import SavedSearch
from tremplin.core.mail import absolute_url
from tremplin.matching.types import OPPORTUNITY_KINDS

router = Router(auth=token_auth)


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class SearchIn(Schema):
    name: str = Field(..., max_length=120, description="Nom de la recherche.")
    organisation: int | None = Field(None, description="Identifiant d'une entreprise dont vous êtes membre.")
    text: str = Field("", description="Mots-clés.")
    cpv: list[str] = Field(default_factory=list, description="Codes CPV (45210000, 45210000-2…).")
    departments: list[str] = Field(default_factory=list, description="Codes de départements (69, 2A…).")
    regions: list[str] = Field(default_factory=list, description="Codes INSEE de régions (84…).")
    kinds: list[str] = Field(default_factory=lambda: list(OPPORTUNITY_KINDS), description="forecast, lot, notice.")
    min_amount: int | None = Field(None, description="Montant estimé minimum, euros HT.")
    max_amount: int | None = Field(None, description="Montant estimé maximum, euros HT.")
    frequency: str = Field(rules.DAILY, description="daily ou weekly.")
    is_active: bool = Field(True, description="Recevoir les nouveautés par e-mail.")


class OrganisationRef(Schema):
    id: int
    siret: str
    name: str


class FeedsOut(Schema):
    atom: str
    ics: str


class SearchOut(Schema):
    id: int
    name: str
    organisation: OrganisationRef | None
    text: str
    cpv: list[str]
    departments: list[str]
    regions: list[str]
    kinds: list[str]
    min_amount: int | None
    max_amount: int | None
    frequency: str
    is_active: bool
    created_at: datetime
    last_sent_at: datetime | None
    url: str
    feeds: FeedsOut = Field(..., description="Liens secrets des flux (sans connexion) : ne les partagez pas.")

    @staticmethod
    def resolve_url(obj: SavedSearch) -> str:
        return absolute_url(obj.get_absolute_url())

    @staticmethod
    def resolve_feeds(obj: SavedSearch) -> dict:
        return {
            "atom": absolute_url(reverse("alerts:atom", args=[obj.feed_token])),
            "ics": absolute_url(reverse("alerts:ics", args=[obj.feed_token])),
        }


class ResultOut(Schema):
    id: str
    kind: str
    title: str
    score: float
    reasons: list[str]
    url: str
    buyer_name: str
    deadline: date | None
    published_at: datetime | None


class Page(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1000)


def _search_or_404(user, pk: int) -> SavedSearch:
    try:
        return services.get_search(user, pk)
    except services.NotFound as error:
        raise HttpError(404, str(error)) from error


def _form(user, payload: SearchIn) -> SavedSearchForm:
    data = payload.dict()
    form_data = {
        "name": data["name"],
        "organisation": "" if data["organisation"] is None else str(data["organisation"]),
        "text": data["text"],
        "cpv": ", ".join(data["cpv"]),
        "departments": ", ".join(data["departments"]),
        "min_amount": "" if data["min_amount"] is None else str(data["min_amount"]),
        "max_amount": "" if data["max_amount"] is None else str(data["max_amount"]),
        "frequency": data["frequency"],
    }
    if data["is_active"]:
        form_data["is_active"] = "on"
    querydict = QueryDict(mutable=True)
    querydict.update(form_data)
    querydict.setlist("regions", data["regions"])
    querydict.setlist("kinds", data["kinds"])
    return SavedSearchForm(querydict, user=user)


def _invalid(form: SavedSearchForm):
    errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
    return Status(400, {"detail": "Recherche invalide : corrigez les champs indiqués.", "errors": errors})


def _save(request, payload: SearchIn, search: SavedSearch | None = None):
    form = _form(request.auth, payload)
    if not form.is_valid():
        return None, _invalid(form)
    return services.save_search(request.auth, form.cleaned_data, search), None


@router.get("/searches", response=list[SearchOut], summary="Mes recherches enregistrées")
def list_searches(request):
    return services.ordered(services.searches_of(request.auth))


@router.post(
    "/searches",
    response={201: SearchOut, 400: InvalidOut, 401: ErrorOut},
    summary="Enregistrer une recherche",
)
def create_search(request, payload: SearchIn):
    search, invalid = _save(request, payload)
    return invalid or Status(201, search)


@router.get("/searches/{pk}", response={200: SearchOut, 401: ErrorOut, 404: ErrorOut}, summary="Une recherche")
def get_search(request, pk: int):
    return _search_or_404(request.auth, pk)


@router.put(
    "/searches/{pk}",
    response={200: SearchOut, 400: InvalidOut, 401: ErrorOut, 404: ErrorOut},
    summary="Remplacer une recherche",
)
def update_search(request, pk: int, payload: SearchIn):
    search, invalid = _save(request, payload, _search_or_404(request.auth, pk))
    return invalid or search


@router.delete("/searches/{pk}", response={204: None, 401: ErrorOut, 404: ErrorOut}, summary="Supprimer")
def delete_search(request, pk: int):
    services.delete_search(request.auth, _search_or_404(request.auth, pk))
    return Status(204, None)


@router.get(
    "/searches/{pk}/results",
    response={200: list[ResultOut], 401: ErrorOut, 404: ErrorOut},
    summary="Les opportunités ouvertes qui correspondent, classées",
)
def search_results(request, pk: int, page: Query[Page]):
    search = _search_or_404(request.auth, pk)
    return services.current_results(search, limit=page.limit, offset=page.offset)
