from django.urls import path

from tremplin.organisations import views

app_name = "organisations"
urlpatterns = [
    path("mon-organisation/", views.mine, name="mine"),
    path("organisations/<str:siret>/", views.detail, name="detail"),
    path("organisations/<str:siret>/demandes/", views.detail, name="requests"),
]
