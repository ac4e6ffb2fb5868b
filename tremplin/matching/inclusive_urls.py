"""Pages of the inclusive potential and of the partner finder, mounted at /correspondances/inclusion/."""

from django.urls import path

from tremplin.matching import inclusive_views as views

app_name = "inclusive"
urlpatterns = [
    path("prevision/<int:pk>/", views.forecast_view, name="forecast"),
    path("prevision/<int:pk>/carte/", views.card_view, name="card"),
    path("prevision/<int:pk>/partenaires/", views.partners_view, name="partners"),
    path("besoin/", views.need_view, name="need"),
]
