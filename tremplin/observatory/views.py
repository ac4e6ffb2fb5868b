"""Observatory pages: indicators, time series, territories (map), sectors, buyers and holders, each filtered by
a GET form whose values stay in the URL (shareable links, no JavaScript needed). Aggregates come from the DuckDB
snapshot; the lists of contracts of a buyer or a holder come from the database."""

from __future__ import annotations

import math
import threading
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from tremplin.contracts.models import Contract
from tremplin.observatory import charts, queries, snapshot
from tremplin.observatory.filters import Filters
from tremplin.observatory.forms import FilterForm
from tremplin.organisations.models import Organisation
from tremplin.organisations.rules import clean_identifier, is_ascii_digits

PAGE_SIZE = 20
SECTIONS = [
    ("observatory:home", "Vue d'ensemble"),
    ("observatory:timeline", "Évolution"),
    ("observatory:territories", "Territoires"),
    ("observatory:sectors", "Secteurs"),
    ("observatory:buyers", "Acheteurs"),
    ("observatory:holders", "Titulaires"),
]

_choices_cache: dict = {}
_choices_lock = threading.Lock()


def _choices() -> dict:
    """Filter choices read from the snapshot, cached until it is rebuilt."""
    cursor = snapshot.cursor()  # makes sure the snapshot is open (built on first use)
    cursor.close()
    built_at = snapshot.metadata().get("built_at")
    with _choices_lock:
        if _choices_cache.get("built_at") != built_at:
            _choices_cache.clear()
            _choices_cache.update(
                built_at=built_at,
                years=queries.years(),
                regions=snapshot.labels("region"),
                departments=snapshot.labels("department"),
                procedures=queries.distinct_values("procedure"),
                natures=queries.distinct_values("nature"),
            )
        return dict(_choices_cache)


class BreakdownPage:
    """Enough of Django's Page for core/includes/pagination.html, over a paginated breakdown."""

    def __init__(self, number: int, total: int, size: int):
        self.number, self.size = number, size
        self.paginator = type("P", (), {"num_pages": max(1, math.ceil(total / size)), "count": total})()

    def has_other_pages(self) -> bool:
        return self.paginator.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.paginator.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 100_000 else 1


def _api_url(name: str, filters: Filters, **extra) -> str:
    query = filters.querystring(**extra)
    return f"/api/v1/{name}" + (f"?{query}" if query else "")


def _base_context(request, section: str, fixed: dict | None = None) -> dict:
    """Read the filters (plus those fixed by the page, e.g. the buyer of a buyer page) and what every
    observatory page shows: the form, the section links and the CSV links, all carrying the filters."""
    choices = _choices()
    fixed = fixed or {}
    form = FilterForm(
        request.GET or None,
        years=choices["years"],
        regions=choices["regions"],
        departments=choices["departments"],
        procedures=choices["procedures"],
        natures=choices["natures"],
    )
    valid = form.is_valid() if request.GET else True
    filters = (form.filters if request.GET and valid else Filters()).replace(**fixed)
    shared = Filters.from_params({k: v for k, v in filters.params().items() if k not in fixed}).querystring()
    sections = [
        {"url": reverse(name) + (f"?{shared}" if shared else ""), "label": label, "current": name == section}
        for name, label in SECTIONS
    ]
    return {
        "form": form,
        "valid": valid,
        "filters": filters,
        "fixed": fixed,
        "sections": sections,
        "section": section,
        "querystring": filters.querystring(),
        "csv_contracts": _api_url("exports/contracts.csv", filters),
        "csv_indicators": _api_url("exports/indicators.csv", filters),
        "ocds_url": _api_url("exports/ocds", filters),
        "active_filters": _describe(filters, choices, fixed),
        "snapshot": snapshot.metadata(),
    }


def _describe(filters: Filters, choices: dict, fixed: dict) -> list[str]:
    """The active filters in words, for the summary above the results."""
    words = []
    if filters.year:
        words.append(f"notifiés en {filters.year}")
    if filters.date_from:
        words.append(f"à partir du {filters.date_from:%d/%m/%Y}")
    if filters.date_to:
        words.append(f"jusqu'au {filters.date_to:%d/%m/%Y}")
    if filters.region:
        words.append(f"région {choices['regions'].get(filters.region, filters.region)}")
    if filters.department:
        words.append(f"département {choices['departments'].get(filters.department, filters.department)}")
    if filters.cpv:
        words.append(f"CPV {filters.cpv}…")
    if filters.procedure:
        words.append(f"procédure « {filters.procedure} »")
    if filters.nature:
        words.append(f"nature « {filters.nature} »")
    if filters.buyer and "buyer" not in fixed:
        words.append(f"acheteur {filters.buyer}")
    if filters.holder and "holder" not in fixed:
        words.append(f"titulaire {filters.holder}")
    if filters.include_suspicious:
        words.append("montants suspects inclus")
    return words


def _breakdown_block(by: str, filters: Filters, page: int = 1, size: int | None = None, sort: str = "amount") -> dict:
    size = size or PAGE_SIZE
    result = queries.breakdown(by, filters, limit=size, offset=(page - 1) * size, sort=sort)
    return {
        "by": by,
        "dimension": queries.DIMENSIONS[by],
        "rows": result["rows"],
        "total": result["total"],
        "page": BreakdownPage(page, result["total"], size),
        "csv": _api_url("exports/breakdown.csv", filters, by=by, sort=sort if sort != "amount" else None),
        "api": _api_url("observatory/breakdown", filters, by=by),
    }


def _link_rows(rows: list[dict], by: str, filters: Filters) -> list[dict]:
    """Add to each row the URL of its page (buyer, holder) or of the overview filtered on it."""
    for row in rows:
        key = row["key"]
        if not key:
            continue
        if by == "buyer" and len(key) == 14 and key.isdigit():
            row["url"] = reverse("observatory:buyer", args=[key]) + _qs(filters.replace(buyer=""))
        elif by == "holder" and len(key) == 14 and key.isdigit():
            row["url"] = reverse("observatory:holder", args=[key]) + _qs(filters.replace(holder=""))
        elif by in ("region", "department"):
            row["url"] = reverse("observatory:home") + _qs(filters.replace(**{by: key}))
        elif by == "cpv_division":
            row["url"] = reverse("observatory:home") + _qs(filters.replace(cpv=key))
        elif by == "year":
            row["url"] = reverse("observatory:home") + _qs(filters.replace(year=int(key)))
    return rows


def _qs(filters: Filters) -> str:
    query = filters.querystring()
    return f"?{query}" if query else ""


def _render(request, template: str, context: dict):
    return render(request, template, context, status=200 if context["valid"] else 400)


def home(request):
    context = _base_context(request, "observatory:home")
    if context["valid"]:
        filters = context["filters"]
        context["data"] = queries.indicators(filters)
        series = _breakdown_block("year", filters, size=queries.MAX_LIMIT, sort="key")
        context["series"] = series
        context["series_chart"] = charts.column_chart(
            series["rows"],
            "Montant notifié par année",
            "Montant total des marchés notifiés chaque année, hors montants suspects ; les valeurs figurent dans "
            "le tableau qui suit.",
        )
        context["shares"] = _share_rows(context["data"])
    return _render(request, "observatory/home.html", context)


SHARE_TITLES = [
    ("sme", "Titulaires PME (micro-entreprises et PME)"),
    ("local_department", "Titulaires établis dans le département du marché"),
    ("local_region", "Titulaires établis dans la région du marché"),
    ("inclusive", "Titulaires inclusifs (SIAE, EA, ESAT)"),
]


def _share_rows(data: dict) -> list[dict]:
    return [
        {"key": key, "title": title, "count": data[key]["count"], "amount": data[key]["amount"]}
        for key, title in SHARE_TITLES
    ]


def timeline(request):
    context = _base_context(request, "observatory:timeline")
    step = "year" if request.GET.get("pas") == "annee" else "month"
    context["step"] = step
    if context["valid"]:
        filters = context["filters"]
        series = _breakdown_block(step, filters, size=queries.MAX_LIMIT, sort="key")
        series["rows"] = [row for row in series["rows"] if row["key"]]  # undated contracts are in the total only
        context["series"] = series
        unit = "mois" if step == "month" else "année"
        context["amount_chart"] = charts.column_chart(
            series["rows"],
            f"Montant notifié par {unit}",
            f"Montant total des marchés notifiés par {unit} ; les valeurs figurent dans le tableau.",
        )
        context["count_chart"] = charts.column_chart(
            series["rows"],
            f"Nombre de marchés notifiés par {unit}",
            f"Nombre de marchés notifiés par {unit} ; les valeurs figurent dans le tableau.",
            measure="contracts",
        )
        context["step_links"] = {
            "month": reverse("observatory:timeline") + _qs(filters),
            "year": reverse("observatory:timeline") + "?" + urlencode({**filters.params(), "pas": "annee"}),
        }
    return _render(request, "observatory/timeline.html", context)


def territories(request):
    context = _base_context(request, "observatory:territories")
    if context["valid"]:
        filters = context["filters"]
        departments = _breakdown_block("department", filters, size=queries.MAX_LIMIT)
        regions = _breakdown_block("region", filters, size=queries.MAX_LIMIT)
        _link_rows(departments["rows"], "department", filters)
        _link_rows(regions["rows"], "region", filters)
        context["departments"], context["regions"] = departments, regions
        context["map"] = charts.choropleth(
            departments["rows"],
            "Carte des montants notifiés par département",
            "Départements de métropole colorés selon le montant des marchés qui y sont exécutés (5 classes, du plus "
            "clair au plus foncé) ; les valeurs de chaque département, outre-mer compris, figurent dans le tableau.",
            selected=filters.department,
        )
    return _render(request, "observatory/territories.html", context)


def sectors(request):
    context = _base_context(request, "observatory:sectors")
    if context["valid"]:
        filters = context["filters"]
        block = _breakdown_block("cpv_division", filters, size=queries.MAX_LIMIT)
        _link_rows(block["rows"], "cpv_division", filters)
        context["ranking"] = block
        context["chart"] = charts.bar_chart(
            block["rows"][:15],
            "Montant notifié par secteur (division CPV)",
            "Les 15 divisions CPV au montant le plus élevé ; toutes figurent dans le tableau.",
        )
    return _render(request, "observatory/sectors.html", context)


def buyers(request):
    return _ranking(request, "observatory:buyers", "buyer", "Acheteurs", "acheteurs")


def holders(request):
    context = _ranking(request, "observatory:holders", "holder", "Titulaires", "titulaires", render_now=False)
    if context["valid"]:
        sizes = _breakdown_block("size_category", context["filters"], size=10)
        context["sizes"] = sizes
    return _render(request, "observatory/ranking.html", context)


def _ranking(request, section: str, by: str, title: str, noun: str, render_now: bool = True):
    context = _base_context(request, section)
    context.update(title=title, noun=noun, by=by)
    if context["valid"]:
        filters = context["filters"]
        block = _breakdown_block(by, filters, page=_page_number(request))
        _link_rows(block["rows"], by, filters)
        context["ranking"] = block
        context["chart"] = charts.bar_chart(
            block["rows"][:10],
            f"{title} : les 10 premiers de la page par montant notifié",
            f"Montant notifié aux 10 premiers {noun} de cette page ; toutes les valeurs figurent dans le tableau.",
        )
    return _render(request, "observatory/ranking.html", context) if render_now else context


def _siret_or_404(siret: str) -> str:
    if len(siret) != 14 or not is_ascii_digits(siret) or clean_identifier(siret) != siret:
        raise Http404("SIRET mal formé.")
    return siret


def buyer(request, siret: str):
    return _organisation_page(request, _siret_or_404(siret), "buyer")


def holder(request, siret: str):
    return _organisation_page(request, _siret_or_404(siret), "holder")


def _organisation_page(request, siret: str, role: str):
    section = "observatory:buyers" if role == "buyer" else "observatory:holders"
    context = _base_context(request, section, fixed={role: siret})
    organisation = Organisation.objects.select_related("department").filter(siret=siret).first()
    filters = context["filters"]
    contracts = filters.queryset(Contract.objects.select_related("buyer")).order_by("-notification_date", "key")
    name = organisation.name if organisation else _published_name(siret, role)
    if organisation is None and not name and not _referenced(siret, role):
        raise Http404("Ni organisation ni marché pour ce SIRET.")
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        role=role,
        siret=siret,
        organisation=organisation,
        name=name or f"SIRET {siret}",
        page=page,
        contracts=list(page.object_list),
    )
    if context["valid"]:
        context["data"] = queries.indicators(filters)
        context["shares"] = _share_rows(context["data"])
        other = "holder" if role == "buyer" else "buyer"
        partners = _breakdown_block(other, filters, size=10)
        _link_rows(partners["rows"], other, filters.replace(**{role: ""}))
        context["partners"] = partners
        sectors_block = _breakdown_block("cpv_division", filters, size=10)
        context["sectors"] = sectors_block
        context["sectors_chart"] = charts.bar_chart(
            sectors_block["rows"],
            "Montant par secteur (division CPV)",
            "Les 10 secteurs au montant le plus élevé ; les valeurs figurent dans le tableau.",
        )
    return _render(request, "observatory/organisation.html", context)


def _referenced(siret: str, role: str) -> bool:
    from tremplin.contracts.models import ContractHolder

    if role == "buyer":
        return Contract.objects.filter(buyer_identifier=siret).exists()
    return ContractHolder.objects.filter(identifier=siret).exists()


def _published_name(siret: str, role: str) -> str:
    from tremplin.contracts.models import ContractHolder

    if role == "buyer":
        return Contract.objects.filter(buyer_identifier=siret).values_list("buyer_name", flat=True).first() or ""
    return ContractHolder.objects.filter(identifier=siret).values_list("name", flat=True).first() or ""
