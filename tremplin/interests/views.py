"""Interest pages: a company's answers from the forecast or notice panel, "Mes opportunités suivies", and for a
buyer's members the interested companies of a forecast or notice (page and CSV).

Access is decided by tremplin.policy; what a person may not see answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from tremplin import policy
from tremplin.core.mail import absolute_url
from tremplin.interests import queries, rules
from tremplin.interests.exports import interested_csv
from tremplin.interests.forms import InterestForm
from tremplin.interests.panels import answering_organisations, panel_context
from tremplin.interests.services import Invalid, NotAllowed, Opportunity, answer, for_forecast, for_notice
from tremplin.notices.models import Notice
from tremplin.opportunities.models import Forecast

DONE = {
    rules.FOLLOW: "Vous suivez maintenant cette opportunité.",
    rules.UNFOLLOW: "Vous ne suivez plus cette opportunité.",
    rules.INTERESTED: "Votre intérêt est enregistré : l'acheteur le voit.",
    rules.NOT_INTERESTED: "Votre réponse est enregistrée. Merci, elle aide l'acheteur à ajuster son besoin.",
}


def public_forecast_or_404(user, pk: int) -> Forecast:
    forecast = get_object_or_404(Forecast.objects.select_related("buyer"), pk=pk)
    if forecast.is_draft or not policy.can_view_forecast(user, forecast):
        raise Http404("Prévision inconnue.")
    return forecast


def notice_or_404(user, pk: int) -> Notice:
    notice = get_object_or_404(Notice.objects.select_related("buyer"), pk=pk)
    if not policy.can_view_notice(user, notice):
        raise Http404("Avis inconnu.")
    return notice


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _answer(request, opportunity: Opportunity, back_url: str):
    organisations = answering_organisations(request.user, opportunity)
    if not organisations:
        raise Http404("Opportunité inconnue.")
    form = InterestForm(request.POST, organisations=organisations, lots=opportunity.lots)
    done = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            answer(
                request.user,
                form.chosen_organisation,
                opportunity,
                data["action"],
                data["reason"],
                data["details"],
                data["lots"],
            )
        except NotAllowed as error:
            raise Http404(str(error)) from error
        except Invalid as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            done = DONE[data["action"]]
            if not is_htmx(request):
                messages.success(request, done)
                return redirect(f"{back_url}?organisation={data['organisation']}#interets")
            form = None
    context = panel_context(request, opportunity, form=form, notice_text=done)
    if is_htmx(request):
        return render(request, "interests/includes/panel.html", context)
    context.update(back_url=back_url)
    return render(request, "interests/answer.html", context, status=400)


@login_required
@require_POST
def answer_forecast(request, pk: int):
    forecast = public_forecast_or_404(request.user, pk)
    return _answer(request, for_forecast(forecast), forecast.get_absolute_url())


@login_required
@require_POST
def answer_notice(request, pk: int):
    notice = notice_or_404(request.user, pk)
    return _answer(request, for_notice(notice), notice.get_absolute_url())


@login_required
def mine(request):
    organisations = policy.interest_organisations(request.user)
    rows = list(queries.followed_by(organisations)) if organisations else []
    for row in rows:
        row.reason_label = rules.REASONS.get(row.reason, "")
    return render(
        request,
        "interests/mine.html",
        {"organisations": organisations, "rows": rows, "several": len(organisations) > 1},
    )


def _buyer_list(request, opportunity: Opportunity, csv_url: str):
    rows = list(queries.interested(**opportunity.lookup))
    threads = queries.threads_by_organisation(opportunity.forecast) if opportunity.forecast else {}
    for row in rows:
        row.thread = threads.get(row.organisation_id)
    context = {
        "opportunity": opportunity,
        "object": opportunity.forecast or opportunity.notice,
        "funnel": queries.funnel(**opportunity.lookup),
        "rows": rows,
        "csv_url": csv_url,
        "other_threads": [t for org_id, t in threads.items() if org_id not in {r.organisation_id for r in rows}],
    }
    return render(request, "interests/buyer_list.html", context)


def _csv(opportunity: Opportunity, name: str) -> HttpResponse:
    rows = queries.interested(**opportunity.lookup)
    body = interested_csv(rows, lambda o: absolute_url(reverse("suppliers:detail", args=[o.siret])))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="entreprises-interessees-{slugify(name)[:60]}.csv"'
    return response


def _buyer_forecast(request, pk: int) -> Forecast:
    forecast = get_object_or_404(Forecast.objects.select_related("buyer"), pk=pk)
    if not policy.can_view_forecast_interests(request.user, forecast):
        raise Http404("Prévision inconnue.")
    return forecast


def _buyer_notice(request, pk: int) -> Notice:
    notice = get_object_or_404(Notice.objects.select_related("buyer"), pk=pk)
    if not policy.can_view_notice_interests(request.user, notice):
        raise Http404("Avis inconnu.")
    return notice


@login_required
def forecast_interests(request, pk: int):
    forecast = _buyer_forecast(request, pk)
    return _buyer_list(request, for_forecast(forecast), reverse("interests:forecast_csv", args=[pk]))


@login_required
def forecast_interests_csv(request, pk: int):
    forecast = _buyer_forecast(request, pk)
    return _csv(for_forecast(forecast), f"prevision-{forecast.pk}")


@login_required
def notice_interests(request, pk: int):
    notice = _buyer_notice(request, pk)
    return _buyer_list(request, for_notice(notice), reverse("interests:notice_csv", args=[pk]))


@login_required
def notice_interests_csv(request, pk: int):
    notice = _buyer_notice(request, pk)
    return _csv(for_notice(notice), f"avis-{notice.pk}")
