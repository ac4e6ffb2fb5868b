from django.urls import path

from tremplin.organisations import views

app_name = "organisations"
urlpatterns = [
    path("mon-organisation/", views.mine, name="mine"),
    path("organisations/", views.search, name="list"),
    path("organisations/<str:siret>/", views.detail, name="detail"),
    path("organisations/<str:siret>/modifier/", views.edit, name="edit"),
    path("organisations/<str:siret>/demandes/", views.requests, name="requests"),
    path("organisations/<str:siret>/demandes/<int:pk>/decision/", views.decide, name="decide"),
]
