from django.urls import path

from tremplin.interests import thread_views, views

app_name = "interests"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("prevision/<int:pk>/", views.forecast_interests, name="forecast"),
    path("prevision/<int:pk>/entreprises-interessees.csv", views.forecast_interests_csv, name="forecast_csv"),
    path("prevision/<int:pk>/repondre/", views.answer_forecast, name="answer_forecast"),
    path("prevision/<int:pk>/ecrire/", thread_views.write, name="write"),
    path("avis/<int:pk>/", views.notice_interests, name="notice"),
    path("avis/<int:pk>/entreprises-interessees.csv", views.notice_interests_csv, name="notice_csv"),
    path("avis/<int:pk>/repondre/", views.answer_notice, name="answer_notice"),
    path("echanges/<int:pk>/", thread_views.thread, name="thread"),
]
