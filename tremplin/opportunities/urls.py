from django.urls import path

from tremplin.opportunities import fair_views, programme_views, views

app_name = "opportunities"
urlpatterns = [
    path("", views.forecast_list, name="list"),
    path("mes-previsions/", views.mine, name="mine"),
    path("nouvelle/", views.create, name="create"),
    path("<int:pk>/", views.forecast_detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/statut/", views.change_status, name="transition"),
    path("programme/", programme_views.programme, name="programme"),
    path("programme/modele.csv", programme_views.programme_template, name="programme_template"),
    path("salons/", fair_views.fair_list, name="fairs"),
    path("salons/nouveau/", fair_views.fair_create, name="fair_create"),
    path("salons/<int:pk>/", fair_views.fair_detail, name="fair"),
    path("salons/<int:pk>/modifier/", fair_views.fair_edit, name="fair_edit"),
    path("salons/<int:pk>/annuler/", fair_views.fair_cancel, name="fair_cancel"),
    path("salons/<int:pk>/inscription/", fair_views.fair_register, name="fair_register"),
    path(
        "salons/<int:pk>/inscriptions/<int:registration_pk>/annuler/",
        fair_views.fair_unregister,
        name="fair_unregister",
    ),
    path("salons/<int:pk>/salon.ics", fair_views.fair_ics, name="fair_ics"),
]
