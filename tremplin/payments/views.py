"""Payment pages: the public calculator, a person's invoices, a contract's invoices, what buyers owe a company
(and the claim letter), a buyer's follow-up, the CSV ledger import.

Access is decided by tremplin.policy; pages a person may not see answer 404 (anonymous people are sent to the
login page first), so as not to reveal what exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tremplin import policy
from tremplin.contracts.models import Contract, ContractHolder
from tremplin.core.text import search_words
from tremplin.organisations.models import BuyerType, Organisation
from tremplin.organisations.views import get_organisation_or_404
from tremplin.payments import rules
from tremplin.payments.forms import CalculatorForm, InvoiceForm, LedgerConfirmForm, LedgerUploadForm, add_rule_errors
from tremplin.payments.imports import COLUMNS, parse_ledger, save_ledger, template_csv
from tremplin.payments.models import Invoice
from tremplin.payments.services import (
    buyer_stats,
    claims_by_buyer,
    compute_rows,
    invoice_queryset,
    known_until,
    late_first,
    rate_table,
)

PAGE_SIZE = 20


def calculator(request):
    form = CalculatorForm(request.GET or None)
    rates = rate_table()
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = rules.compute(form.payment_request(), rates, as_of=timezone.localdate())
        except rules.InvalidInput as error:
            add_rule_errors(form, error.errors, CalculatorForm.FIELDS)
    context = {
        "form": form,
        "result": result,
        "buyer_type_label": dict(BuyerType.choices).get(form.cleaned_data.get("buyer_type")) if result else "",
        "known_until": known_until(rates),
        "latest_rate": max(rates)[1] if rates else None,
    }
    return render(request, "payments/calculator.html", context)


def _my_contracts(user):
    mine = policy.member_organisation_ids(user)
    return Contract.objects.filter(Q(buyer_id__in=mine) | Q(holders__organisation_id__in=mine)).distinct()


@login_required
def hub(request):
    user = request.user
    organisations = (
        Organisation.objects.filter(pk__in=policy.member_organisation_ids(user))
        .annotate(
            holds=Exists(ContractHolder.objects.filter(organisation=OuterRef("pk"))),
            buys=Exists(Contract.objects.filter(buyer=OuterRef("pk"))),
        )
        .order_by("name")
    )
    contracts = _my_contracts(user).select_related("buyer")
    query = request.GET.get("q", "").strip()
    if query:
        for word in search_words(query):
            contracts = contracts.filter(Q(object__icontains=word) | Q(decp_id__icontains=word) | Q(key=query))
    page = Paginator(contracts.order_by("-notification_date", "key"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/hub.html", {"organisations": organisations, "page": page, "query": query})


def _contract_or_404(user, key: str) -> Contract:
    contract = Contract.objects.select_related("buyer").filter(key=key).first()
    if contract is None or not policy.can_view_contract_invoices(user, contract):
        raise Http404("Marché inconnu.")
    return contract


@login_required
def contract_invoices(request, key):
    contract = _contract_or_404(request.user, key)
    invoices = invoice_queryset().filter(contract=contract).filter(policy.visible_invoices_filter(request.user))
    rows = late_first(compute_rows(invoices))
    context = {"contract": contract, "rows": rows, "can_add": policy.can_add_invoice(request.user, contract)}
    return render(request, "payments/contract.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_add(request, key):
    contract = _contract_or_404(request.user, key)
    issuers = policy.invoice_issuers(request.user, contract)
    if not issuers:
        raise Http404("Marché inconnu.")
    form = InvoiceForm(request.POST or None, contract=contract, issuers=issuers)
    if request.method == "POST" and form.is_valid():
        invoice = form.save(commit=False)
        invoice.contract = contract
        invoice.created_by = request.user
        invoice.save()
        messages.success(request, f"La facture {invoice.number} est enregistrée.")
        return redirect(invoice)
    return render(request, "payments/invoice_form.html", {"contract": contract, "form": form, "invoice": None})


def _invoice_or_404(user, pk: int) -> Invoice:
    invoice = invoice_queryset().filter(pk=pk).first()
    if invoice is None or not policy.can_view_invoice(user, invoice):
        raise Http404("Facture inconnue.")
    return invoice


@login_required
def invoice_detail(request, pk):
    invoice = _invoice_or_404(request.user, pk)
    row = compute_rows([invoice])[0]
    context = {
        "invoice": invoice,
        "contract": invoice.contract,
        "row": row,
        "result": row.result,
        "can_edit": policy.can_edit_invoice(request.user, invoice),
    }
    return render(request, "payments/invoice.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_edit(request, pk):
    invoice = _invoice_or_404(request.user, pk)
    if not policy.can_edit_invoice(request.user, invoice):
        raise Http404("Facture inconnue.")
    contract = invoice.contract
    issuers = policy.invoice_issuers(request.user, contract)
    form = InvoiceForm(request.POST or None, instance=invoice, contract=contract, issuers=issuers)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"La facture {invoice.number} est modifiée.")
        return redirect(invoice)
    return render(request, "payments/invoice_form.html", {"contract": contract, "form": form, "invoice": invoice})


def _summary_organisation(user, siret: str) -> Organisation:
    organisation = get_organisation_or_404(siret)
    if not policy.can_view_payment_summary(user, organisation):
        raise Http404("Organisation inconnue.")
    return organisation


@login_required
def supplier_summary(request, siret):
    """ "Ce qu'on me doit": the company's invoices, late ones first, and what each buyer owes it."""
    organisation = _summary_organisation(request.user, siret)
    rows = late_first(compute_rows(invoice_queryset().filter(supplier=organisation)))
    context = {"organisation": organisation, "rows": rows, "claims": claims_by_buyer(rows)}
    return render(request, "payments/supplier.html", context)


@login_required
def claim_letter(request, siret, buyer_siret):
    organisation = _summary_organisation(request.user, siret)
    rows = late_first(compute_rows(invoice_queryset().filter(supplier=organisation)))
    claim = next((c for c in claims_by_buyer(rows) if c.buyer_siret == buyer_siret), None)
    if claim is None:
        raise Http404("Aucune somme à réclamer à cet acheteur.")
    buyer = Organisation.objects.select_related("commune").filter(siret=buyer_siret).first()
    context = {
        "organisation": organisation,
        "claim": claim,
        "buyer": buyer,
        "today": timezone.localdate(),
        "signatory": request.user,
    }
    return render(request, "payments/letter.html", context)


@login_required
def buyer_summary(request, siret):
    organisation = _summary_organisation(request.user, siret)
    rows = late_first(compute_rows(invoice_queryset().filter(contract__buyer=organisation)))
    context = {"organisation": organisation, "rows": rows, "stats": buyer_stats(rows)}
    return render(request, "payments/buyer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request):
    """Upload → preview with line-by-line errors → confirm (the file comes back and is checked again)."""
    today = timezone.localdate()
    upload_form = LedgerUploadForm()
    ledger = None
    content = ""
    if request.method == "POST" and "content" in request.POST:
        confirm_form = LedgerConfirmForm(request.POST)
        if confirm_form.is_valid():
            content = confirm_form.cleaned_data["content"]
            ledger = parse_ledger(content, request.user, rate_table(), today)
            if ledger.valid and not ledger.file_errors:
                created, updated = save_ledger(ledger, request.user)
                messages.success(
                    request,
                    f"Import terminé : {created} facture{'s' if created > 1 else ''} créée{'s' if created > 1 else ''}"
                    f", {updated} mise{'s' if updated > 1 else ''} à jour"
                    + (f", {len(ledger.invalid)} ligne(s) en erreur ignorée(s)." if ledger.invalid else "."),
                )
                return redirect("payments:hub")
    elif request.method == "POST":
        upload_form = LedgerUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            content = upload_form.cleaned_data["file"]
            ledger = parse_ledger(content, request.user, rate_table(), today)
    context = {
        "upload_form": upload_form,
        "ledger": ledger,
        "confirm_form": LedgerConfirmForm(initial={"content": content}) if ledger and ledger.valid else None,
        "columns": COLUMNS,
    }
    return render(request, "payments/import.html", context)


def ledger_template(request):
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-factures-tremplin.csv"'
    return response
