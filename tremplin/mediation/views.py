"""Mediation pages: my cases, filing a case, a case (workflow, messages, documents, log), document downloads, staff
assignment, the mediators' dashboard and the public statistics.

Access is decided by tremplin.policy through services.py; a case a person may not see answers 404 (anonymous
people are sent to the login page first, whatever the case number), so as not to reveal what exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin import policy
from tremplin.mediation import dashboard as dashboards
from tremplin.mediation import exchanges, filing, rules, services
from tremplin.mediation.forms import ActionForm, AssignForm, FilingForm, MessageForm, StatisticsForm
from tremplin.mediation.models import Case, EventAction
from tremplin.mediation.statistics import StatisticsFilters, filing_years, mediation_statistics

PAGE_SIZE = 20


def _case_or_404(user, pk) -> Case:
    try:
        return services.get_case_for(user, pk)
    except services.CaseNotFound as error:
        raise Http404(str(error)) from error


@login_required
@require_GET
def case_list(request):
    cases = services.visible_cases(request.user).order_by("-filed_at", "-pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": dashboards.rows_of(page.object_list),
        "can_file": bool(filing.filing_options(request.user)),
        "can_see_dashboard": policy.can_view_mediation_dashboard(request.user),
    }
    return render(request, "mediation/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def file_case(request):
    options = filing.filing_options(request.user)
    form = FilingForm(request.POST or None, request.FILES or None, options=options)
    if request.method == "POST" and options and form.is_valid():
        data = form.cleaned_data
        try:
            case = filing.file_case(
                request.user,
                organisation=form.option.organisation,
                side=form.option.side,
                other_party_siret=data["other_party_siret"],
                category=data["category"],
                description=data["description"],
                amount_at_stake=data["amount_at_stake"],
                contract_key=data["contract_key"],
                uploads=data["documents"],
            )
        except services.MediationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            who = case.mediator.get_full_name() if case.mediator else None
            messages.success(
                request,
                f"Votre demande {case.reference} est déposée. "
                + (f"{who} en est le médiateur." if who else "L'équipe Tremplin va désigner un médiateur."),
            )
            return redirect(case)
    return render(request, "mediation/file.html", {"form": form, "options": options})


def _case_context(request, case: Case, message_form=None, failed_action=None) -> dict:
    user = request.user
    roles = policy.mediation_roles(user, case)
    action_forms = []
    for action in rules.allowed_actions(case.status, roles):
        transition = rules.TRANSITIONS[action]
        if failed_action is not None and failed_action.transition.action == action:
            action_forms.append(failed_action)
        else:
            action_forms.append(ActionForm(transition=transition))
    can_post = policy.can_post_mediation_message(user, case)
    return {
        "case": case,
        "roles": roles,
        "deadlines": services.deadlines_for(case),
        "thread": case.messages.prefetch_related("documents"),
        "documents": case.documents.all(),
        "events": case.events.all(),
        "action_forms": action_forms,
        "can_post": can_post,
        "message_form": message_form or (MessageForm() if can_post else None),
        "can_assign": policy.can_assign_mediator(user, case),
        "is_mediator": rules.MEDIATOR in roles,
        "has_errors": bool((message_form and message_form.errors) or (failed_action and failed_action.errors)),
    }


@login_required
@require_GET
def case_detail(request, pk):
    case = _case_or_404(request.user, pk)
    return render(request, "mediation/case.html", _case_context(request, case))


@login_required
@require_POST
def case_action(request, pk):
    case = _case_or_404(request.user, pk)
    action = request.POST.get("action", "")
    transition = rules.TRANSITIONS.get(action)
    if transition is None:
        messages.error(request, "Action inconnue.")
        return redirect(case)
    form = ActionForm(request.POST, transition=transition)
    if form.is_valid():
        try:
            case = services.perform_action(request.user, case, action, form.comment)
        except services.MediationError as error:
            if error.field == "reason":
                form.add_error("reason", str(error))
            else:
                messages.error(request, str(error))
                return redirect(case)
        else:
            done = dict(EventAction.choices)[action]
            messages.success(request, f"{done}. Les autres participants au dossier sont prévenus par e-mail.")
            return redirect(case)
    context = _case_context(request, case, failed_action=form)
    return render(request, "mediation/case.html", context)


@login_required
@require_POST
def case_message(request, pk):
    case = _case_or_404(request.user, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            exchanges.post_message(request.user, case, form.cleaned_data["body"], form.cleaned_data["documents"])
        except services.MediationError as error:
            if error.field not in form.fields:
                messages.error(request, str(error))
                return redirect(case)
            form.add_error(error.field, str(error))
        else:
            messages.success(request, "Votre message est envoyé.")
            return redirect(case.get_absolute_url() + "#echanges")
    return render(request, "mediation/case.html", _case_context(request, case, message_form=form))


@login_required
@require_GET
def document_download(request, pk, document_pk):
    case = _case_or_404(request.user, pk)
    try:
        document = exchanges.open_document(request.user, case, document_pk)
    except services.CaseNotFound as error:
        raise Http404(str(error)) from error
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.name, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk):
    case = _case_or_404(request.user, pk)
    if not policy.can_assign_mediator(request.user, case):
        raise Http404("Demande de médiation introuvable.")
    form = AssignForm(request.POST or None, initial={"mediator": case.mediator_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_mediator(request.user, case, form.cleaned_data["mediator"])
        except services.MediationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            who = form.cleaned_data["mediator"].get_full_name()
            messages.success(request, f"{who} est désormais le médiateur de la demande.")
            return redirect(case)
    return render(request, "mediation/assign.html", {"case": case, "form": form})


@login_required
@require_GET
def dashboard(request):
    if not policy.can_view_mediation_dashboard(request.user):
        raise Http404("Page introuvable.")
    return render(request, "mediation/dashboard.html", dashboards.build(request.user, timezone.now()))


@require_GET
def statistics(request):
    years = filing_years()
    form = StatisticsForm(request.GET or None, years=years)
    filters = StatisticsFilters()
    if form.is_bound and form.is_valid():
        filters = StatisticsFilters.from_mapping(form.cleaned_data)
    stats = mediation_statistics(filters)
    context = {
        "form": form,
        "stats": stats,
        "shown_regions": [cell for cell in stats.by_region if not cell.suppressed],
        "min_cell_size": rules.MIN_CELL_SIZE,
    }
    return render(request, "mediation/statistics.html", context)
