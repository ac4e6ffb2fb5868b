"""Uploading a purchase programme (CSV or XLSX): upload → preview with line-by-line errors → confirm (the file
comes back and is checked again); nothing is saved before the confirmation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tremplin import policy
from tremplin.core.templatetags.french import pluriel
from tremplin.opportunities.forms import ProgrammeConfirmForm, ProgrammeUploadForm
from tremplin.opportunities.programme import COLUMNS, MAX_BYTES, parse_upload, template_csv, template_xlsx
from tremplin.opportunities.services import ForecastError, import_programme, programme_known
from tremplin.opportunities.spreadsheet import CSV, XLSX, XLSX_CONTENT_TYPE, TableError, Upload, read_upload
from tremplin.opportunities.views import not_a_buyer


class UploadForm(ProgrammeUploadForm):
    """The upload form, reading XLSX workbooks as well as CSV files; `file` is cleaned into an `Upload`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        file = self.fields["file"]
        file.label = "Fichier CSV ou XLSX"
        file.help_text = (
            "Classeur Excel ou LibreOffice enregistré au format .xlsx, ou fichier CSV (séparateur point-virgule ou "
            "virgule, encodage UTF-8 ou Windows) ; 1 Mo au plus."
        )
        file.widget.attrs["accept"] = f".csv,.xlsx,text/csv,{XLSX_CONTENT_TYPE}"

    def clean_file(self) -> Upload:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers.")
        try:
            return read_upload(upload.read(), upload.name)
        except TableError as error:
            raise forms.ValidationError(str(error)) from error


class ConfirmForm(ProgrammeConfirmForm):
    """The previewed file comes back: CSV text, or the workbook in base64 (`kind` tells which)."""

    kind = forms.ChoiceField(choices=[(CSV, CSV), (XLSX, XLSX)], widget=forms.HiddenInput, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def programme(request):
    organisations = policy.forecast_buyer_organisations(request.user)
    if not organisations:
        return not_a_buyer(request)
    by_siret = {organisation.siret: organisation for organisation in organisations}
    upload_form = UploadForm(organisations=organisations)
    result = organisation = upload = None
    if request.method == "POST" and "content" in request.POST:
        confirm_form = ConfirmForm(request.POST)
        if confirm_form.is_valid() and confirm_form.cleaned_data["organisation"] in by_siret:
            organisation = by_siret[confirm_form.cleaned_data["organisation"]]
            upload = Upload(confirm_form.cleaned_data["kind"] or CSV, confirm_form.cleaned_data["content"])
            result = parse_upload(upload, programme_known(organisation))
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
        upload_form = UploadForm(request.POST, request.FILES, organisations=organisations)
        if upload_form.is_valid():
            organisation = by_siret[upload_form.cleaned_data["organisation"]]
            upload = upload_form.cleaned_data["file"]
            result = parse_upload(upload, programme_known(organisation))
    confirm = None
    if result and result.valid and not result.file_errors:
        initial = {"organisation": organisation.siret, "content": upload.content, "kind": upload.kind}
        confirm = ConfirmForm(initial=initial, auto_id=False)  # no id clashing with the upload form
    context = {
        "upload_form": upload_form,
        "result": result,
        "organisation": organisation,
        "confirm_form": confirm,
        "columns": COLUMNS,
    }
    return render(request, "opportunities/programme.html", context)


def programme_template(request):
    """The template file: CSV, or XLSX with `?format=xlsx`."""
    if request.GET.get("format") == XLSX:
        response = HttpResponse(template_xlsx(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="modele-programme-achats-tremplin.xlsx"'
        return response
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-programme-achats-tremplin.csv"'
    return response
