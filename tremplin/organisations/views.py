"""Organisation pages: "Mon organisation" (claims), pending requests, public profile, edition, directory.

Access is decided by tremplin.policy; pages a person may not see answer 404, so as not to reveal what exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tremplin import policy
from tremplin.core.text import search_words
from tremplin.organisations.forms import ClaimForm, DecisionForm, OrganisationForm, OrganisationSearchForm
from tremplin.organisations.models import HANDICAP_STATUSES, Membership, MembershipStatus, Organisation
from tremplin.organisations.rules import HEADCOUNT_BANDS, clean_identifier, is_valid_siret
from tremplin.organisations.services import MembershipError, decide_membership, request_membership

PAGE_SIZE = 20


def get_organisation_or_404(siret: str) -> Organisation:
    if not is_valid_siret(siret) or clean_identifier(siret) != siret:
        raise Http404("SIRET mal formé.")
    return get_object_or_404(Organisation.objects.select_related("commune", "department__region", "naf"), siret=siret)


@login_required
def mine(request):
    user = request.user
    data = request.POST if request.method == "POST" else None
    claim_form = ClaimForm(data, initial={"siret": request.GET.get("siret", "")})
    if request.method == "POST" and claim_form.is_valid():
        claim = claim_form.cleaned_data
        try:
            membership = request_membership(user, claim["siret"], claim["role"], claim["message"], claim["name"])
        except MembershipError as error:
            claim_form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Votre demande de rattachement à {membership.organisation.name} est envoyée. Vous recevrez un "
                "e-mail dès qu'elle sera examinée.",
            )
            return redirect("organisations:mine")

    status_order = Case(
        When(status=MembershipStatus.ACTIVE, then=Value(0)),
        When(status=MembershipStatus.PENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    memberships = (
        user.memberships.select_related("organisation__commune", "organisation__department__region")
        .annotate(status_order=status_order)
        .order_by("status_order", "organisation__name")
    )
    cards = []
    for membership in memberships:
        organisation = membership.organisation
        card = {"membership": membership, "organisation": organisation, "private": False}
        if policy.can_view_organisation_private(user, organisation):
            card["private"] = True
            card["members"] = organisation.memberships.active().select_related("user").order_by("user__full_name")
            card["pending_count"] = organisation.memberships.pending().count()
            card["can_edit"] = policy.can_edit_organisation(user, organisation)
        cards.append(card)
    return render(
        request,
        "organisations/mine.html",
        {"cards": cards, "claim_form": claim_form, "can_claim": policy.can_request_membership(user)},
    )


@login_required
def requests(request, siret):
    organisation = get_organisation_or_404(siret)
    if not policy.can_view_organisation_private(request.user, organisation):
        raise Http404("Organisation inconnue.")
    pending = organisation.memberships.pending().select_related("user").order_by("requested_at")
    decided = (
        organisation.memberships.exclude(status=MembershipStatus.PENDING)
        .filter(decided_at__isnull=False)
        .select_related("user", "decided_by")
        .order_by("-decided_at")[:10]
    )
    rows = [{"membership": m, "can_decide": policy.can_decide_membership(request.user, m)} for m in pending]
    return render(
        request, "organisations/requests.html", {"organisation": organisation, "rows": rows, "decided": decided}
    )


@login_required
@require_POST
def decide(request, siret, pk):
    organisation = get_organisation_or_404(siret)
    if not policy.can_view_organisation_private(request.user, organisation):
        raise Http404("Organisation inconnue.")
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, organisation=organisation)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Décision incomplète : choisissez d'accepter ou de refuser (motif : 255 caractères).")
        return redirect("organisations:requests", siret=organisation.siret)
    try:
        decide_membership(request.user, membership, form.approve, form.cleaned_data["reason"])
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        who = membership.user.get_full_name()
        if form.approve:
            messages.success(request, f"{who} est maintenant membre de {organisation.name}.")
        else:
            messages.success(request, f"La demande de {who} est refusée ; la personne en est informée par e-mail.")
    return redirect("organisations:requests", siret=organisation.siret)


def reserved_market_article(organisation: Organisation) -> str:
    """The article of the public procurement code that reserves contracts to this kind of structure."""
    if organisation.is_siae:
        return "L2113-13"
    if organisation.inclusive_status in HANDICAP_STATUSES:
        return "L2113-12"
    return ""


def detail(request, siret):
    organisation = get_organisation_or_404(siret)
    user = request.user
    headcount = HEADCOUNT_BANDS.get(organisation.headcount_band)
    context = {
        "organisation": organisation,
        "labels": organisation.labels.all(),
        "headcount_label": headcount[0] if headcount else "",
        "reserved_article": reserved_market_article(organisation),
        "can_edit": policy.can_edit_organisation(user, organisation),
        "can_view_private": policy.can_view_organisation_private(user, organisation),
        "is_member": policy.is_member(user, organisation),
    }
    if context["can_view_private"]:
        context["pending_count"] = organisation.memberships.pending().count()
    return render(request, "organisations/detail.html", context)


@login_required
def edit(request, siret):
    organisation = get_organisation_or_404(siret)
    if not policy.can_edit_organisation(request.user, organisation):
        raise Http404("Organisation inconnue.")
    form = OrganisationForm(request.POST if request.method == "POST" else None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La fiche de l'organisation est enregistrée.")
        return redirect(organisation)
    return render(request, "organisations/edit.html", {"organisation": organisation, "form": form})


def search(request):
    form = OrganisationSearchForm(request.GET or None)
    organisations = Organisation.objects.select_related("commune", "department")
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        digits = clean_identifier(query)
        if digits.isdigit() and len(digits) >= 3:
            organisations = organisations.filter(siret__startswith=digits)
        else:
            for word in search_words(query):
                organisations = organisations.filter(search_text__contains=word)
        kind = form.cleaned_data["type"]
        if kind == "acheteurs":
            organisations = organisations.filter(is_buyer=True)
        elif kind == "fournisseurs":
            organisations = organisations.filter(is_supplier=True)
        elif kind == "inclusives":
            organisations = organisations.exclude(inclusive_status="")
    page = Paginator(organisations.order_by("name", "siret"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/list.html", {"form": form, "page": page})
