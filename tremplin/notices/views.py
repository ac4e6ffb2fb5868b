"""Published notice pages: the list of open calls for competition (with filters), one notice, and for platform
staff the notices the importer rejected. Access is decided by tremplin.policy; a page a person may not see is a
404."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tremplin import policy
from tremplin.interests import services as interest_services
from tremplin.notices.forms import NoticeSearchForm
from tremplin.notices.models import Notice, RejectedNotice
from tremplin.notices.presenters import deadline_text
from tremplin.notices.search import SHOW_OPEN, NoticeFilters, search_notices
from tremplin.referentials.models import CpvCode, Department, Region

PAGE_SIZE = 20


def _cpv_labels(codes) -> dict[str, str]:
    return dict(CpvCode.objects.filter(code__in=[c for c in codes if c]).values_list("code", "label"))


def notice_list(request):
    form = NoticeSearchForm(request.GET or None)
    now = timezone.now()
    valid = not form.is_bound or form.is_valid()
    filters = NoticeFilters.from_cleaned(form.cleaned_data) if form.is_bound and valid else NoticeFilters()
    notices = search_notices(filters, now) if valid else Notice.objects.none()
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    departments = dict(
        Department.objects.filter(code__in={n.place_department for n in rows if n.place_department}).values_list(
            "code", "name"
        )
    )
    cpv_prefix_label = ""
    if filters.cpv:
        cpv_prefix_label = _cpv_labels([filters.cpv.ljust(8, "0")]).get(filters.cpv.ljust(8, "0"), "")
    context = {
        "form": form,
        "valid": valid,
        "filters": filters,
        "showing_open": filters.show == SHOW_OPEN,
        "page": page,
        "rows": [
            {
                "notice": n,
                "open": n.is_open_at(now),
                "deadline": deadline_text(n),
                "department": departments.get(n.place_department, ""),
            }
            for n in rows
        ],
        "cpv_prefix_label": cpv_prefix_label,
        "open_total": Notice.objects.open(now).count()
        if filters.show == SHOW_OPEN and not page.paginator.count
        else None,
        "can_view_rejections": policy.can_view_rejected_notices(request.user),
    }
    return render(request, "notices/list.html", context)


def notice_detail(request, pk: int):
    notice = get_object_or_404(Notice.objects.select_related("buyer", "related").with_cancelled(), pk=pk)
    if not policy.can_view_notice(request.user, notice):
        raise Http404("Avis inconnu.")
    interest_services.record_view(request.user, notice)  # the "viewed" step of the interest funnel
    now = timezone.now()
    lots = list(notice.lots.all())
    awards = list(notice.awards.select_related("lot").prefetch_related("winners__organisation"))
    cpv_labels = _cpv_labels([notice.cpv, *notice.additional_cpv, *(lot.cpv for lot in lots)])
    context = {
        "notice": notice,
        "open": notice.is_open_at(now),
        "deadline": deadline_text(notice),
        "lots": lots,
        "awards": awards,
        "cpv_label": cpv_labels.get(notice.cpv, ""),
        "additional_cpv": [(code, cpv_labels.get(code, "")) for code in notice.additional_cpv],
        "department": Department.objects.filter(code=notice.place_department).first(),
        "region": Region.objects.filter(code=notice.place_region).first(),
        "follow_ups": list(notice.follow_ups.order_by("publication_date", "id")),
        "api_url": f"/api/v1/notices/{notice.pk}",
    }
    return render(request, "notices/detail.html", context)


def rejections(request):
    if not policy.can_view_rejected_notices(request.user):
        raise Http404("Page inconnue.")
    page = Paginator(RejectedNotice.objects.order_by("-updated_at", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/rejections.html", {"page": page, "rejections": page.object_list})
