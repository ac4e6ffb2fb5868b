from django.urls import path

from tremplin.observatory import views, views_relationship

app_name = "observatory"
urlpatterns = [
    path("", views.home, name="home"),
    path("evolution/", views.timeline, name="timeline"),
    path("territoires/", views.territories, name="territories"),
    path("secteurs/", views.sectors, name="sectors"),
    path("acheteurs/", views.buyers, name="buyers"),
    path("acheteurs/<str:siret>/", views.buyer, name="buyer"),
    path("titulaires/", views.holders, name="holders"),
    path("titulaires/<str:siret>/", views.holder, name="holder"),
    path("delais-de-paiement/", views_relationship.payments, name="payments"),
    path("clauses/", views_relationship.clauses, name="clauses"),
]
