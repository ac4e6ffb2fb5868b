from django.urls import path

from tremplin.alerts import feeds, views

app_name = "alerts"
urlpatterns = [
    path("", views.search_list, name="list"),
    path("nouvelle/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("<int:pk>/regenerer-flux/", views.regenerate, name="regenerate"),
    path("flux/<str:token>.atom", feeds.SearchAtomFeed(), name="atom"),
    path("flux/<str:token>.ics", feeds.ics_feed, name="ics"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
