"""The interest panel shown at the bottom of a forecast or notice page: the funnel for the buyer's members, the
answer buttons for a company's members, a sign-in invitation for visitors. Built here so that the page
(through the `interest_panel` tag) and the htmx answer view render the same thing."""

from __future__ import annotations

from django.urls import reverse

from tremplin import policy
from tremplin.interests import queries, rules
from tremplin.interests.forms import InterestForm
from tremplin.interests.services import Opportunity, find_interest, get_thread


def answering_organisations(user, opportunity: Opportunity) -> list:
    buyer_id = opportunity.forecast.buyer_id if opportunity.forecast else None
    return [o for o in policy.interest_organisations(user) if o.pk != buyer_id]


def selected(organisations: list, siret: str | None):
    return next((o for o in organisations if o.siret == siret), organisations[0] if organisations else None)


def panel_context(request, opportunity: Opportunity, form: InterestForm | None = None, notice_text: str = "") -> dict:
    user = request.user
    forecast, notice = opportunity.forecast, opportunity.notice
    if forecast:
        if forecast.is_draft:
            return {"hidden": True}
        args = [forecast.pk]
        answer_url = reverse("interests:answer_forecast", args=args)
        is_buyer = policy.can_view_forecast_interests(user, forecast)
        list_url = reverse("interests:forecast", args=args)
        csv_url = reverse("interests:forecast_csv", args=args)
    else:
        args = [notice.pk]
        answer_url = reverse("interests:answer_notice", args=args)
        is_buyer = policy.can_view_notice_interests(user, notice)
        list_url = reverse("interests:notice", args=args)
        csv_url = reverse("interests:notice_csv", args=args)
    context = {
        "hidden": False,
        "opportunity": opportunity,
        "forecast": forecast,
        "notice_text": notice_text,
        "answer_url": answer_url,
        "login_url": f"{reverse('accounts:login')}?next={request.get_full_path()}",
        "anonymous": not policy.is_authenticated(user),
    }
    if is_buyer:
        context.update(buyer=True, funnel=queries.funnel(**opportunity.lookup), list_url=list_url, csv_url=csv_url)
        if forecast:
            context["thread_count"] = forecast.threads.count()
    organisations = answering_organisations(user, opportunity)
    if organisations:
        organisation = selected(organisations, request.POST.get("organisation") or request.GET.get("organisation"))
        row = find_interest(organisation, opportunity)
        answer = row.answer if row else rules.Answer()
        if form is None:
            initial = {"organisation": organisation.siret}
            if row and row.interested_at:
                initial["lots"] = [str(pk) for pk in row.lots.values_list("pk", flat=True)]
            form = InterestForm(organisations=organisations, lots=opportunity.lots, initial=initial)
        context.update(
            supplier=True,
            organisations=organisations,
            organisation=organisation,
            row=row,
            answer=answer,
            reason_label=rules.REASONS.get(answer.reason, ""),
            chosen_lots=list(row.lots.order_by("number")) if row and row.interested_at else [],
            form=form,
            reasons=rules.REASONS,
        )
        if forecast and forecast.messaging_enabled:
            thread = get_thread(forecast, organisation)
            context.update(
                messaging=True,
                thread=thread,
                may_write=thread is not None or rules.may_start_thread(answer),
                write_url=f"{reverse('interests:write', args=[forecast.pk])}?organisation={organisation.siret}",
            )
    return context
