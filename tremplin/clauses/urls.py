from django.urls import path

from tremplin.clauses import views

app_name = "clauses"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("heures-insertion.csv", views.overview_csv, name="overview_csv"),
    path("previsions/<int:pk>/ajouter/", views.forecast_add, name="forecast_add"),
    path("marches/<str:key>/ajouter/", views.contract_add, name="contract_add"),
    path("marches/<str:key>/insertion/", views.followup, name="followup"),
    path("<int:pk>/retirer/", views.clause_remove, name="remove"),
    path("declarations/<int:pk>/retirer/", views.declaration_withdraw, name="declaration_withdraw"),
    path("egalim/", views.egalim, name="egalim"),
    path("egalim/<int:pk>/supprimer/", views.egalim_delete, name="egalim_delete"),
]
