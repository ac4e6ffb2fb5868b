from django.urls import path

from tremplin.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.opportunities, name="opportunities"),
    path("fournisseurs/", views.suppliers, name="suppliers"),
    path("prevision/<int:pk>/", views.forecast_suppliers, name="forecast"),
]
