from django.urls import path

from tremplin.contracts import views

app_name = "contracts"
urlpatterns = [path("<str:key>/", views.detail, name="detail")]
