from django.db.models import Count, Q
from django.shortcuts import render

from tremplin.organisations.models import Organisation


def home(request):
    stats = Organisation.objects.aggregate(
        total=Count("pk"),
        buyers=Count("pk", filter=Q(is_buyer=True)),
        suppliers=Count("pk", filter=Q(is_supplier=True)),
        inclusive=Count("pk", filter=Q(is_supplier=True) & ~Q(inclusive_status="")),
    )
    return render(request, "core/home.html", {"stats": stats})
