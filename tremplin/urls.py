from django.contrib import admin
from django.urls import include, path

from tremplin.api import api

urlpatterns = [
    path("", include("tremplin.core.urls")),
    path("compte/", include("tremplin.accounts.urls")),
    path("", include("tremplin.organisations.urls")),
    path("observatoire/", include("tremplin.observatory.urls")),
    path("marches/", include("tremplin.contracts.urls")),
    path("qualite-des-donnees/", include("tremplin.ingest.urls")),
    path("paiements/", include("tremplin.payments.urls")),
    path("previsions/", include("tremplin.opportunities.urls")),
    path("avis/", include("tremplin.notices.urls")),
    path("fournisseurs/", include("tremplin.suppliers.urls")),
    path("mediation/", include("tremplin.mediation.urls")),
    path("correspondances/inclusion/", include("tremplin.matching.inclusive_urls")),
    path("correspondances/", include("tremplin.matching.urls")),
    path("interets/", include("tremplin.interests.urls")),
    path("alertes/", include("tremplin.alerts.urls")),
    path("clauses/", include("tremplin.clauses.urls")),
    path("carbone/", include("tremplin.carbon.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
