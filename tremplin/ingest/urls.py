from django.urls import path

from tremplin.ingest import views

app_name = "ingest"
urlpatterns = [
    path("", views.quality, name="quality"),
    path("rejets/", views.rejections, name="rejections"),
]
