"""Saved-search pages: my searches, create (prefilled from a matching link or a supplier profile), edit, delete,
preview of the current results with the feed links, regenerate the feed token, unsubscribe from an e-mail.

Access is decided by tremplin.policy (through services); a search of someone else answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tremplin.alerts import services
from tremplin.alerts.forms import SavedSearchForm, initial_from_criteria, initial_from_prefill, initial_from_search
from tremplin.core.mail import absolute_url
from tremplin.organisations.models import Organisation


def search_or_404(user, pk):
    try:
        return services.get_search(user, pk)
    except services.NotFound as error:
        raise Http404(str(error)) from error


@login_required
def search_list(request):
    searches = services.ordered(services.searches_of(request.user))
    return render(
        request,
        "alerts/list.html",
        {"searches": searches, "profile_organisations": services.organisations_with_profile(request.user)},
    )


def prefill(request) -> tuple[dict, str]:
    """The initial values of a new search, and a note saying where they come from."""
    initial = initial_from_prefill(request.GET)
    siret = request.GET.get("profil", "")
    if not siret:
        return initial, ""
    organisation = Organisation.objects.filter(siret=siret).first()
    criteria = services.profile_criteria(request.user, organisation)
    if criteria is None:
        return initial, "Aucun profil fournisseur que vous pouvez utiliser n'a été trouvé : remplissez les critères."
    initial.update(initial_from_criteria(criteria))
    initial.update(name=f"Opportunités pour {organisation.name}"[:120], organisation=organisation.pk)
    return initial, f"Critères repris du profil fournisseur de {organisation.name} : vérifiez-les avant d'enregistrer."


@login_required
def create(request):
    if request.method == "POST":
        form = SavedSearchForm(request.POST, user=request.user)
        if form.is_valid():
            search = services.save_search(request.user, form.cleaned_data)
            messages.success(request, f"La recherche « {search.name} » est enregistrée.")
            return redirect(search)
        note = ""
    else:
        initial, note = prefill(request)
        form = SavedSearchForm(initial=initial, user=request.user)
    return render(request, "alerts/form.html", {"form": form, "search": None, "note": note})


@login_required
def detail(request, pk):
    search = search_or_404(request.user, pk)
    results = services.current_results(search)
    return render(
        request,
        "alerts/detail.html",
        {
            "search": search,
            "results": results,
            "criteria": search.criteria.describe(),
            "atom_url": absolute_url(reverse("alerts:atom", args=[search.feed_token])),
            "ics_url": absolute_url(reverse("alerts:ics", args=[search.feed_token])),
        },
    )


@login_required
def edit(request, pk):
    search = search_or_404(request.user, pk)
    if request.method == "POST":
        form = SavedSearchForm(request.POST, user=request.user)
        if form.is_valid():
            services.save_search(request.user, form.cleaned_data, search)
            messages.success(request, "Vos modifications sont enregistrées.")
            return redirect(search)
    else:
        form = SavedSearchForm(initial=initial_from_search(search), user=request.user)
    return render(request, "alerts/form.html", {"form": form, "search": search, "note": ""})


@login_required
def delete(request, pk):
    search = search_or_404(request.user, pk)
    if request.method == "POST":
        services.delete_search(request.user, search)
        messages.success(request, f"La recherche « {search.name} » est supprimée ; ses flux ne répondent plus.")
        return redirect("alerts:list")
    return render(request, "alerts/delete.html", {"search": search})


@login_required
@require_POST
def regenerate(request, pk):
    search = search_or_404(request.user, pk)
    services.regenerate_feed_token(request.user, search)
    messages.success(request, "Nouveaux liens créés : les anciens liens des flux ne fonctionnent plus.")
    return redirect(f"{search.get_absolute_url()}#flux")


def unsubscribe(request, token):
    """From the link of an e-mail, without logging in: a confirmation page, then a POST (link checkers and mail
    scanners follow links; they must not unsubscribe people)."""
    try:
        search = services.search_from_unsubscribe_token(token)
    except services.NotFound as error:
        return render(request, "alerts/unsubscribe.html", {"error": str(error)}, status=404)
    done = False
    if request.method == "POST":
        services.unsubscribe(search)
        done = True
    return render(request, "alerts/unsubscribe.html", {"search": search, "done": done})
