from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from tremplin.organisations.models import Organisation


@login_required
def mine(request):
    return render(request, "organisations/mine.html")


def detail(request, siret):
    organisation = get_object_or_404(Organisation, siret=siret)
    return render(request, "organisations/detail.html", {"organisation": organisation})
