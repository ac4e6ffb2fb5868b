"""Clause pages: attaching clauses to forecasts and contracts, a contract's insertion follow-up, the public
insertion summary (with CSV) and a buyer's EGalim page.

Access is decided by tremplin.policy; what a person may not see answers 404."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tremplin import policy
from tremplin.clauses import rules, services
from tremplin.clauses.forms import ClauseForm, EgalimForm, HoursForm, SummaryFilterForm
from tremplin.clauses.models import ClauseType, EgalimPurchase, HoursDeclaration, InsertionDefaults, LabourShare
from tremplin.contracts.models import Contract
from tremplin.opportunities.models import Forecast
from tremplin.organisations.models import Organisation

PAGE_SIZE = 50


def add_errors(form, error: services.ClauseError) -> None:
    placed = False
    for name, message in error.errors.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, str(error))


def _render_clause_form(request, form, target_label, back_url, suggestion):
    context = {
        "form": form,
        "target_label": target_label,
        "back_url": back_url,
        "suggestion": suggestion,
        "defaults": InsertionDefaults.current(),
        "types": ClauseType.objects.all(),
    }
    return render(request, "clauses/clause_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def forecast_add(request, pk):
    forecast = Forecast.objects.select_related("buyer", "cpv").filter(pk=pk).first()
    if forecast is None or not policy.can_attach_clause_to_forecast(request.user, forecast):
        raise Http404("Prévision inconnue.")
    lots = list(forecast.lots.select_related("cpv"))
    suggestion = services.suggest_insertion(forecast.cpv_id, forecast.estimated_amount)
    form = ClauseForm(request.POST or None, lots=lots, initial=_initial(suggestion))
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data.get("lot") or forecast
        try:
            services.attach_clause(request.user, target, form.cleaned_data["clause_type"], form.targets())
        except services.ClauseError as error:
            add_errors(form, error)
        else:
            messages.success(request, "La clause est ajoutée à la prévision.")
            return redirect(forecast.get_absolute_url() + "#titre-clauses")
    return _render_clause_form(
        request, form, f"Prévision « {forecast.title} »", forecast.get_absolute_url(), suggestion
    )


def _plain(value) -> str:
    """A proposed number as typed in French, without useless decimals: 1000000.00 → "1000000", 27.50 → "27,5"."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _initial(suggestion: services.Suggestion) -> dict:
    names = ("amount_excl_vat", "labour_share", "insertion_rate", "hourly_cost")
    return {name: _plain(getattr(suggestion, name)) for name in names}


def _contract_or_404(key: str) -> Contract:
    contract = Contract.objects.select_related("buyer").filter(key=key).first()
    if contract is None:
        raise Http404("Marché inconnu.")
    return contract


@login_required
@require_http_methods(["GET", "POST"])
def contract_add(request, key):
    contract = _contract_or_404(key)
    if not policy.can_attach_clause_to_contract(request.user, contract):
        raise Http404("Marché inconnu.")
    suggestion = services.suggest_insertion(contract.cpv, contract.amount_current or contract.amount_initial)
    form = ClauseForm(request.POST or None, initial=_initial(suggestion))
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_clause(request.user, contract, form.cleaned_data["clause_type"], form.targets())
        except services.ClauseError as error:
            add_errors(form, error)
        else:
            messages.success(request, "La clause est ajoutée au marché.")
            return redirect(contract.get_absolute_url() + "#titre-clauses")
    label = f"Marché {contract.decp_id} — {contract.object[:100]}"
    return _render_clause_form(request, form, label, contract.get_absolute_url(), suggestion)


@login_required
@require_POST
def clause_remove(request, pk):
    clause = services.clause_queryset().filter(pk=pk).first()
    if (
        clause is None
        or not policy.can_view_clause(request.user, clause)
        or not policy.can_edit_clause(request.user, clause)
    ):
        raise Http404("Clause inconnue.")
    back = (
        clause.contract.get_absolute_url() if clause.contract_id else policy.clause_forecast(clause).get_absolute_url()
    )
    try:
        services.remove_clause(request.user, clause)
    except services.ClauseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"La clause « {clause.clause_type.name} » est retirée.")
    return redirect(back + "#titre-clauses")


@login_required
@require_http_methods(["GET", "POST"])
def followup(request, key):
    """A contract's insertion follow-up: due vs done per period, and the declaration form."""
    contract = _contract_or_404(key)
    user = request.user
    can_view = policy.can_view_hours_declarations(user, contract)
    organisations = policy.hours_declarant_organisations(user, contract)
    if not can_view:
        raise Http404("Marché inconnu.")
    clauses = list(services.clause_queryset().filter(contract=contract, clause_type__code=ClauseType.INSERTION))
    selected = None
    if request.method == "POST":
        if not organisations:
            raise Http404("Marché inconnu.")
        selected = next((c for c in clauses if str(c.pk) == request.POST.get("clause")), None)
        if selected is None:
            raise Http404("Clause inconnue.")
    form = HoursForm(request.POST if selected else None, organisations=organisations)
    if selected and form.is_valid():
        data = form.cleaned_data
        try:
            services.declare_hours(
                user,
                selected,
                data["organisation"],
                data["period_start"],
                data["period_end"],
                data["hours"],
                data["comment"],
                today=timezone.localdate(),
            )
        except services.ClauseError as error:
            add_errors(form, error)
        else:
            hours = format(data["hours"], "f").replace(".", ",")
            messages.success(request, f"{hours} heures d'insertion sont déclarées.")
            return redirect("clauses:followup", key=contract.key)
    blocks = []
    for clause in clauses:
        declarations = {d.period_start: d for d in clause.declarations.select_related("organisation", "declared_by")}
        progress = services.clause_progress(clause)
        rows = [(row, declarations.get(row.start)) for row in progress.rows]
        bound = form if selected and selected.pk == clause.pk else HoursForm(organisations=organisations)
        blocks.append({"clause": clause, "progress": progress, "rows": rows, "form": bound})
    context = {
        "contract": contract,
        "blocks": blocks,
        "can_declare": bool(organisations),
    }
    for block in blocks:
        block["rows"] = [
            (row, d, d is not None and policy.can_withdraw_hours_declaration(user, d)) for row, d in block["rows"]
        ]
    return render(request, "clauses/followup.html", context)


@login_required
@require_POST
def declaration_withdraw(request, pk):
    declaration = (
        HoursDeclaration.objects.select_related("clause__contract__buyer", "organisation").filter(pk=pk).first()
    )
    if declaration is None or not policy.can_view_hours_declarations(request.user, declaration.clause.contract):
        raise Http404("Déclaration inconnue.")
    try:
        services.withdraw_declaration(request.user, declaration)
    except services.NotAllowed as error:
        raise Http404("Déclaration inconnue.") from error
    messages.success(request, "La déclaration d'heures est retirée.")
    return redirect("clauses:followup", key=declaration.clause.contract.key)


def _summary(request):
    form = SummaryFilterForm(request.GET or None)
    filters = services.InsertionFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = services.InsertionFilters(buyer=data["buyer"], department=data["department"], year=data["year"])
    return form, services.insertion_summary(filters)


def overview(request):
    """Public: insertion hours due vs done per year, buyer and department, the catalogue and the defaults."""
    form, rows = _summary(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "total": services.insertion_total(rows),
        "types": ClauseType.objects.all(),
        "defaults": InsertionDefaults.current(),
        "shares": LabourShare.objects.all(),
        "query": request.GET.urlencode(),
        "egalim_organisations": policy.egalim_buyer_organisations(request.user),
    }
    return render(request, "clauses/overview.html", context)


def overview_csv(request):
    _, rows = _summary(request)
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(
        ["annee", "siret_acheteur", "acheteur", "departement", "marches", "heures_dues", "heures_realisees", "taux"]
    )
    for row in rows:
        achieved = row.achieved
        writer.writerow(
            [
                row.year or "",
                row.buyer_siret,
                row.buyer_name,
                row.department,
                row.contracts,
                _plain(row.hours_due),
                _plain(row.hours_done),
                "" if achieved is None else str(achieved).replace(".", ","),
            ]
        )
    response = HttpResponse("\ufeff" + stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="heures-insertion-tremplin.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def egalim(request):
    """A buyer's EGalim page: its purchases of the year, the shares against the targets, the declaration form."""
    user = request.user
    organisations = list(
        Organisation.objects.filter(pk__in=policy.member_organisation_ids(user), is_buyer=True).order_by("name")
    )
    if not organisations:
        return render(request, "clauses/egalim_none.html", status=200)
    siret = request.GET.get("organisation") or organisations[0].siret
    buyer = next((o for o in organisations if o.siret == siret), None)
    if buyer is None or not policy.can_view_egalim_purchases(user, buyer):
        raise Http404("Organisation inconnue.")
    today = timezone.localdate()
    try:
        year = int(request.GET.get("annee") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2019), today.year)
    can_declare = policy.can_declare_egalim(user, buyer)
    form = EgalimForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        if not can_declare:
            raise Http404("Organisation inconnue.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.declare_egalim(
                    user, buyer, data["year"], data["category"], data["family"], data["amount_excl_vat"], data["label"]
                )
            except services.ClauseError as error:
                add_errors(form, error)
            else:
                messages.success(request, "L'achat est enregistré.")
                return redirect(f"{request.path}?organisation={buyer.siret}&annee={data['year']}")
    purchases = EgalimPurchase.objects.filter(buyer=buyer, year=year).select_related("declared_by")
    context = {
        "buyer": buyer,
        "organisations": organisations,
        "year": year,
        "years": sorted(set(services.egalim_years(buyer)) | {today.year, year}, reverse=True),
        "purchases": purchases,
        "result": rules.egalim_shares(p.as_rule() for p in purchases),
        "form": form,
        "can_declare": can_declare,
        "categories": rules.CATEGORIES,
    }
    return render(request, "clauses/egalim.html", context)


@login_required
@require_POST
def egalim_delete(request, pk):
    purchase = get_object_or_404(EgalimPurchase.objects.select_related("buyer"), pk=pk)
    if not policy.can_declare_egalim(request.user, purchase.buyer):
        raise Http404("Achat inconnu.")
    services.delete_egalim(request.user, purchase)
    messages.success(request, "L'achat est supprimé.")
    return redirect(f"/clauses/egalim/?organisation={purchase.buyer.siret}&annee={purchase.year}")
