"""Uploading a purchase programme (CSV): upload → preview with line-by-line errors → confirm (the file comes
back and is checked again); nothing is saved before the confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tremplin import policy
from tremplin.core.templatetags.french import pluriel
from tremplin.opportunities.forms import ProgrammeConfirmForm, ProgrammeUploadForm
from tremplin.opportunities.programme import COLUMNS, parse_programme, template_csv
from tremplin.opportunities.services import ForecastError, import_programme, programme_known
from tremplin.opportunities.views import not_a_buyer


@login_required
@require_http_methods(["GET", "POST"])
def programme(request):
    organisations = policy.forecast_buyer_organisations(request.user)
    if not organisations:
        return not_a_buyer(request)
    by_siret = {organisation.siret: organisation for organisation in organisations}
    upload_form = ProgrammeUploadForm(organisations=organisations)
    result = organisation = None
    content = ""
    if request.method == "POST" and "content" in request.POST:
        confirm_form = ProgrammeConfirmForm(request.POST)
        if confirm_form.is_valid() and confirm_form.cleaned_data["organisation"] in by_siret:
            organisation = by_siret[confirm_form.cleaned_data["organisation"]]
            content = confirm_form.cleaned_data["content"]
            result = parse_programme(content, programme_known(organisation))
            if result.valid and not result.file_errors:
                try:
                    created, updated = import_programme(request.user, organisation, result)
                except ForecastError as error:
                    messages.error(request, str(error))
                else:
                    skipped = len(result.entries) - len(result.valid)
                    messages.success(
                        request,
                        f"Import terminé : {created} prévision{pluriel(created)} créée{pluriel(created)}, "
                        f"{updated} mise{pluriel(updated)} à jour (brouillons)"
                        + (f", {skipped} en erreur ignorée{pluriel(skipped)}." if skipped else "."),
                    )
                    return redirect("opportunities:mine")
    elif request.method == "POST":
        upload_form = ProgrammeUploadForm(request.POST, request.FILES, organisations=organisations)
        if upload_form.is_valid():
            organisation = by_siret[upload_form.cleaned_data["organisation"]]
            content = upload_form.cleaned_data["file"]
            result = parse_programme(content, programme_known(organisation))
    confirm = None
    if result and result.valid and not result.file_errors:
        initial = {"organisation": organisation.siret, "content": content}
        confirm = ProgrammeConfirmForm(initial=initial, auto_id=False)  # no id clashing with the upload form
    context = {
        "upload_form": upload_form,
        "result": result,
        "organisation": organisation,
        "confirm_form": confirm,
        "columns": COLUMNS,
    }
    return render(request, "opportunities/programme.html", context)


def programme_template(request):
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-programme-achats-tremplin.csv"'
    return response
