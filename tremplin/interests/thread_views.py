"""Messaging pages: a company writes to a forecast's buyer (once interested), and the thread both sides read.
A thread is seen by the active members of its two organisations only; to anyone else it does not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from tremplin import policy
from tremplin.interests.forms import MessageForm
from tremplin.interests.models import Thread
from tremplin.interests.panels import selected
from tremplin.interests.services import Invalid, NotAllowed, get_thread, post, start_or_continue
from tremplin.interests.views import public_forecast_or_404

SENT = "Votre message est envoyé ; l'autre partie est prévenue par e-mail."


def _form_errors(form, error: Invalid) -> None:
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


@login_required
def write(request, pk: int):
    """The first message of a company to the buyer (later ones are written on the thread page)."""
    forecast = public_forecast_or_404(request.user, pk)
    organisations = [
        o for o in policy.interest_organisations(request.user) if policy.can_start_thread(request.user, forecast, o)
    ]
    if not organisations:
        raise Http404("Messagerie fermée.")
    wanted = request.POST.get("organisation") or request.GET.get("organisation")
    organisation = selected(organisations, wanted)
    thread = get_thread(forecast, organisation)
    if request.method == "GET" and thread is not None:
        return redirect(thread)
    form = MessageForm(request.POST or None, organisations=organisations, initial={"organisation": organisation.siret})
    if request.method == "POST" and form.is_valid():
        try:
            message = start_or_continue(request.user, forecast, form.chosen_organisation, form.cleaned_data["body"])
        except NotAllowed as error:
            raise Http404(str(error)) from error
        except Invalid as error:
            _form_errors(form, error)
        else:
            messages.success(request, SENT)
            return redirect(f"{message.thread.get_absolute_url()}#message-{message.pk}")
    context = {"forecast": forecast, "organisation": organisation, "organisations": organisations, "form": form}
    return render(request, "interests/write.html", context, status=400 if form.errors else 200)


@login_required
def thread(request, pk: int):
    thread = get_object_or_404(Thread.objects.select_related("forecast__buyer", "organisation"), pk=pk)
    if not policy.can_view_thread(request.user, thread):
        raise Http404("Fil d'échanges inconnu.")
    side = policy.thread_side(request.user, thread)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not side:
            raise Http404("Fil d'échanges inconnu.")
        if form.is_valid():
            try:
                message = post(request.user, thread, form.cleaned_data["body"])
            except NotAllowed as error:
                raise Http404(str(error)) from error
            except Invalid as error:
                _form_errors(form, error)
            else:
                messages.success(request, SENT)
                return redirect(f"{thread.get_absolute_url()}#message-{message.pk}")
    context = {
        "thread": thread,
        "forecast": thread.forecast,
        "thread_messages": thread.messages.select_related("author"),
        "side": side,
        "form": form,
    }
    return render(request, "interests/thread.html", context, status=400 if form.errors else 200)
