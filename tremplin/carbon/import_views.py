"""Staff page importing emission factors from CSV: upload → preview with line-by-line errors → confirm (the file
comes back and is checked again). To anyone but platform staff the page does not exist (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from tremplin import policy
from tremplin.carbon.forms import FactorConfirmForm, FactorUploadForm
from tremplin.carbon.imports import COLUMNS, compare_with_database, parse_factors, save_batch, template_csv


@login_required
def factor_import(request):
    if not policy.can_import_emission_factors(request.user):
        raise Http404("Page inconnue.")
    upload_form = FactorUploadForm()
    batch = None
    content, source, file_name = "", "", ""
    if request.method == "POST" and "content" in request.POST:
        confirm = FactorConfirmForm(request.POST)
        if confirm.is_valid():
            content, source = confirm.cleaned_data["content"], confirm.cleaned_data["source"]
            file_name = confirm.cleaned_data["file_name"]
            batch = parse_factors(content, source)
            if batch.valid and not batch.file_errors:
                record = save_batch(batch, file_name, source, request.user)
                messages.success(
                    request,
                    f"Import terminé : {record.created} facteur(s) créé(s), {record.updated} mis à jour, "
                    f"{record.unchanged} inchangé(s), {len(record.rejected)} ligne(s) rejetée(s).",
                )
                return redirect("carbon:factors")
    elif request.method == "POST":
        upload_form = FactorUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            file_name, content = upload_form.cleaned_data["file"]
            source = upload_form.cleaned_data["source"]
            batch = parse_factors(content, source)
    if batch is not None and not batch.file_errors:
        compare_with_database(batch)
    confirm_form = None
    if batch is not None and batch.valid and not batch.file_errors:
        # No ids: the upload form below has its own "source" field, whose label must stay its own.
        initial = {"content": content, "source": source, "file_name": file_name}
        confirm_form = FactorConfirmForm(initial=initial, auto_id=False)
    context = {"upload_form": upload_form, "batch": batch, "confirm_form": confirm_form, "columns": COLUMNS}
    return render(request, "carbon/import.html", context)


def factor_template(request):
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-facteurs-emission.csv"'
    return response
