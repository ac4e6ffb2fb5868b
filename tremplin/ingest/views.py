"""Data-quality pages (public): the DECP imports per source, and the rejected records with their raw payload."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from tremplin.contracts.models import Source
from tremplin.ingest.decp_import.quality import COUNT_LABELS, reason_label, rejected_records, source_quality

PAGE_SIZE = 25


def quality(request):
    data = source_quality()
    return render(request, "ingest/quality.html", {"quality": data, "labels": COUNT_LABELS})


def rejections(request):
    source = None
    source_name = request.GET.get("source", "")[:100]
    if source_name:
        source = get_object_or_404(Source, name=source_name)
    reason = request.GET.get("motif", "")[:40]
    records = rejected_records(source, reason or None)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ingest/rejections.html",
        {
            "page": page,
            "source": source,
            "reason": reason,
            "reason_label": reason_label(reason) if reason else "",
            "rows": [(record, reason_label(record.reason_code)) for record in page.object_list],
        },
    )
