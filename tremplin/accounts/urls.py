from django.urls import path

from tremplin.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("inscription/", views.signup, name="signup"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("confirmation/renvoyer/", views.resend_verification, name="resend_verification"),
    path("confirmation/<str:token>/", views.verify_email, name="verify_email"),
    path("jetons/", views.create_token, name="create_token"),
    path("jetons/<int:pk>/revoquer/", views.revoke_token, name="revoke_token"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/reinitialiser/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/reinitialise/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
