"""Purchase fair pages: list, detail (with registration and, for the organiser, the attendees and the waiting
list), announcing and changing a fair, registering and cancelling, the calendar file (ICS)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin import policy
from tremplin.opportunities import ics, rules
from tremplin.opportunities.fair_forms import FairForm, RegistrationForm
from tremplin.opportunities.fairs import (
    FairError,
    FairInvalid,
    cancel_fair,
    cancel_registration,
    register,
    save_fair,
    waiting_position,
)
from tremplin.opportunities.models import Fair, Forecast, Registration
from tremplin.opportunities.views import not_a_buyer


def get_fair_or_404(pk: int) -> Fair:
    return get_object_or_404(Fair.objects.select_related("organiser", "commune"), pk=pk)


def fair_list(request):
    past = request.GET.get("passes") == "1"
    now = timezone.now()
    fairs = Fair.objects.select_related("organiser", "commune")
    fairs = fairs.filter(ends_at__lt=now).order_by("-starts_at") if past else fairs.filter(ends_at__gte=now)
    can_announce = bool(policy.forecast_buyer_organisations(request.user))
    return render(request, "opportunities/fair_list.html", {"fairs": fairs, "past": past, "can_announce": can_announce})


def fair_detail(request, pk: int):
    fair = get_fair_or_404(pk)
    user = request.user
    now = timezone.now()
    confirmed = fair.registrations.filter(status=rules.CONFIRMED)
    companies = policy.fair_registrant_organisations(user)
    mine = list(
        fair.registrations.filter(organisation__in=companies)
        .exclude(status=rules.CANCELLED)
        .select_related("organisation")
    )
    for registration in mine:
        registration.position = waiting_position(registration)
    registered = {registration.organisation_id for registration in mine}
    available = [company for company in companies if company.pk not in registered]
    context = {
        "fair": fair,
        "forecasts": fair.forecasts.public().select_related("buyer"),
        "confirmed_count": confirmed.count(),
        "seats_left": None if fair.capacity is None else max(0, fair.capacity - confirmed.count()),
        "closed_reason": rules.registration_closed_reason(
            now, fair.starts_at, fair.registration_deadline, fair.is_cancelled
        ),
        "mine": mine,
        "register_form": RegistrationForm(organisations=available) if available else None,
        "is_company_member": bool(companies),
        "can_manage": policy.can_manage_fair(user, fair),
    }
    if context["can_manage"]:
        registrations = fair.registrations.select_related("organisation", "user").order_by("requested_at", "pk")
        context["attendees"] = [r for r in registrations if r.status == rules.CONFIRMED]
        context["waiting"] = [r for r in registrations if r.status == rules.WAITING]
    return render(request, "opportunities/fair_detail.html", context)


def _fair_form(request, organisation, fair: Fair | None):
    forecasts = Forecast.objects.public().filter(buyer=organisation).order_by("title")
    if request.method == "POST":
        form = FairForm(request.POST, forecasts=forecasts)
        if form.is_valid():
            try:
                saved = save_fair(request.user, organisation, form.to_values(), fair)
            except FairInvalid as error:
                for name, messages_ in error.errors.items():
                    for message in messages_:
                        form.add_error(name if name in form.fields else None, message)
            except FairError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Le salon « {saved.title} » est {'enregistré' if fair else 'annoncé'}.")
                return redirect(saved)
    else:
        initial = FairForm.initial_from(fair) if fair else {"contact_email": request.user.email}
        form = FairForm(initial=initial, forecasts=forecasts)
    return render(request, "opportunities/fair_form.html", {"form": form, "fair": fair, "organisation": organisation})


@login_required
def fair_create(request):
    organisations = policy.forecast_buyer_organisations(request.user)
    if not organisations:
        return not_a_buyer(request)
    siret = request.POST.get("organisation") or request.GET.get("organisation")
    organisation = next((o for o in organisations if o.siret == siret), organisations[0])
    return _fair_form(request, organisation, None)


@login_required
def fair_edit(request, pk: int):
    fair = get_fair_or_404(pk)
    if not policy.can_manage_fair(request.user, fair):
        raise Http404("Salon inconnu.")
    return _fair_form(request, fair.organiser, fair)


@login_required
@require_POST
def fair_cancel(request, pk: int):
    fair = get_fair_or_404(pk)
    if not policy.can_manage_fair(request.user, fair):
        raise Http404("Salon inconnu.")
    try:
        cancel_fair(request.user, fair)
    except FairError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Le salon est annulé ; les entreprises inscrites sont prévenues par e-mail.")
    return redirect(fair)


@login_required
@require_POST
def fair_register(request, pk: int):
    fair = get_fair_or_404(pk)
    companies = policy.fair_registrant_organisations(request.user)
    form = RegistrationForm(request.POST, organisations=companies)
    if not form.is_valid():
        messages.error(request, "Choisissez l'entreprise à inscrire parmi celles pour lesquelles vous agissez.")
        return redirect(fair)
    organisation = next(o for o in companies if o.siret == form.cleaned_data["organisation"])
    try:
        registration = register(request.user, fair, organisation)
    except FairError as error:
        messages.error(request, str(error))
    else:
        if registration.status == rules.CONFIRMED:
            messages.success(request, f"{organisation.name} est inscrite au salon. Un e-mail de confirmation suit.")
        else:
            position = waiting_position(registration)
            messages.warning(
                request,
                f"Le salon est complet : {organisation.name} est sur la liste d'attente (position {position}). "
                "Vous serez prévenu(e) par e-mail si une place se libère.",
            )
    return redirect(fair)


@login_required
@require_POST
def fair_unregister(request, pk: int, registration_pk: int):
    fair = get_fair_or_404(pk)
    registration = get_object_or_404(Registration.objects.select_related("organisation"), pk=registration_pk, fair=fair)
    registration.fair = fair
    if not policy.can_view_registration(request.user, registration):
        raise Http404("Inscription inconnue.")
    try:
        promoted = cancel_registration(request.user, registration)
    except FairError as error:
        messages.error(request, str(error))
    else:
        text = f"L'inscription de {registration.organisation.name} est annulée."
        if promoted:
            text += " La place libérée revient à " + ", ".join(r.organisation.name for r in promoted) + "."
        messages.success(request, text)
    return redirect(fair)


def fair_event(fair: Fair) -> ics.Event:
    host = urlsplit(settings.SITE_URL).hostname or "tremplin"
    place = ", ".join(part for part in (fair.venue, fair.address, fair.commune.name if fair.commune else "") if part)
    forecasts = [f"- {forecast.title}" for forecast in fair.forecasts.public()]
    description = "\n".join(
        [fair.description.strip(), *(["", "Prévisions présentées :", *forecasts] if forecasts else [])]
    ).strip()
    return ics.Event(
        uid=f"salon-{fair.pk}@{host}",
        start=fair.starts_at,
        end=fair.ends_at,
        summary=fair.title,
        description=description,
        location=place,
        url=settings.SITE_URL + fair.get_absolute_url(),
        organizer_name=fair.organiser.name,
        organizer_email=fair.contact_email,
        cancelled=fair.is_cancelled,
        sequence=fair.sequence,
    )


def fair_ics(request, pk: int):
    fair = get_fair_or_404(pk)
    body = ics.calendar([fair_event(fair)], timezone.now(), name=fair.title)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="salon-{fair.pk}.ics"'
    return response
