from django.urls import path

from tremplin.carbon import import_views, views

app_name = "carbon"
urlpatterns = [
    path("", views.index, name="index"),
    path("facteurs/", views.factors, name="factors"),
    path("facteurs/import/", import_views.factor_import, name="import"),
    path("facteurs/modele-facteurs.csv", import_views.factor_template, name="import_template"),
    path("estimations/", views.estimates, name="estimates"),
    path("estimations/nouvelle/", views.estimate_create, name="estimate_create"),
    path("estimations/<int:pk>/", views.estimate_detail, name="estimate"),
    path("estimations/<int:pk>/modifier/", views.estimate_edit, name="estimate_edit"),
    path("estimations/<int:pk>/synthese/", views.estimate_summary, name="estimate_summary"),
    path("estimations/<int:pk>/recalculer/", views.estimate_recompute, name="estimate_recompute"),
    path("estimations/<int:pk>/supprimer/", views.estimate_delete, name="estimate_delete"),
    path("estimations/<int:pk>/lignes/<str:section>/", views.line_add, name="line_add"),
    path("estimations/<int:pk>/lignes/<int:line_pk>/supprimer/", views.line_delete, name="line_delete"),
]
