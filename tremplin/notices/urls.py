from django.urls import path

from tremplin.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("rejets/", views.rejections, name="rejections"),
    path("<int:pk>/", views.notice_detail, name="detail"),
]
