from django.urls import path

from tremplin.suppliers import editor_views, views

app_name = "suppliers"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("mon-profil/", editor_views.mine, name="mine"),
    path("<str:siret>/", views.detail, name="detail"),
    path("<str:siret>/profil/", editor_views.edit, name="edit"),
    path("<str:siret>/profil/activites/", editor_views.activity_add, name="activity_add"),
    path("<str:siret>/profil/activites/<int:pk>/", editor_views.activity_edit, name="activity_edit"),
    path("<str:siret>/profil/activites/<int:pk>/supprimer/", editor_views.activity_delete, name="activity_delete"),
    path("<str:siret>/profil/zone/", editor_views.perimeter, name="perimeter"),
    path("<str:siret>/profil/entreprise/", editor_views.company, name="company"),
]
