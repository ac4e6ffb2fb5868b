from django.urls import path

from tremplin.mediation import views

app_name = "mediation"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("deposer/", views.file_case, name="file"),
    path("mediateur/", views.dashboard, name="dashboard"),
    path("statistiques/", views.statistics, name="statistics"),
    path("demandes/<int:pk>/", views.case_detail, name="case"),
    path("demandes/<int:pk>/action/", views.case_action, name="action"),
    path("demandes/<int:pk>/messages/", views.case_message, name="message"),
    path("demandes/<int:pk>/mediateur/", views.assign, name="assign"),
    path("demandes/<int:pk>/pieces/<int:document_pk>/", views.document_download, name="document"),
]
