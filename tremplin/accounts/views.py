"""Account pages: sign-up, e-mail verification, login/logout, password reset and change, "Mon compte"."""

import smtplib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tremplin.accounts import services
from tremplin.accounts.forms import (
    ApiTokenForm,
    EmailAuthenticationForm,
    PasswordResetRequestForm,
    ProfileForm,
    SignupForm,
)
from tremplin.accounts.models import ApiToken, User

RESEND_SESSION_KEY = "verification_sent_at"
RESEND_INTERVAL_SECONDS = 60


def safe_next(request, default: str) -> str:
    """The `next` parameter when it points inside this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect("organisations:mine")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = services.register(
            form.cleaned_data["email"], form.cleaned_data["full_name"], form.cleaned_data["password1"]
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[RESEND_SESSION_KEY] = time.time()
        messages.success(
            request,
            f"Bienvenue sur Tremplin ! Un lien de confirmation vient d'être envoyé à {user.email} : "
            "ouvrez-le pour pouvoir vous rattacher à votre organisation.",
        )
        return redirect(safe_next(request, reverse("organisations:mine")))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


def verify_email(request, token):
    try:
        user, newly_verified = services.verify_email(token)
    except services.VerificationError as error:
        return render(request, "accounts/verification_failed.html", {"reason": str(error)}, status=400)
    if newly_verified:
        messages.success(
            request, "Votre adresse e-mail est confirmée. Vous pouvez maintenant vous rattacher à votre organisation."
        )
    else:
        messages.info(request, "Votre adresse e-mail était déjà confirmée.")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("organisations:mine")
    if request.user.is_authenticated:
        return redirect("core:home")
    return redirect(f"{reverse('accounts:login')}?next={reverse('organisations:mine')}")


@login_required
@require_POST
def resend_verification(request):
    destination = safe_next(request, reverse("organisations:mine"))
    user = request.user
    if user.email_verified:
        messages.info(request, "Votre adresse e-mail est déjà confirmée.")
        return redirect(destination)
    last_sent = request.session.get(RESEND_SESSION_KEY)
    if last_sent and time.time() - last_sent < RESEND_INTERVAL_SECONDS:
        messages.warning(
            request,
            "Un lien vient de vous être envoyé. Patientez une minute avant d'en demander un autre, et pensez à "
            "regarder dans vos courriers indésirables.",
        )
        return redirect(destination)
    try:
        services.send_verification_email(user)
    except (OSError, smtplib.SMTPException):
        messages.error(request, "L'envoi du message a échoué. Réessayez dans quelques minutes.")
        return redirect(destination)
    request.session[RESEND_SESSION_KEY] = time.time()
    messages.success(request, f"Un nouveau lien de confirmation a été envoyé à {user.email}.")
    return redirect(destination)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Vous êtes déconnecté(e). À bientôt sur Tremplin.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Links use the configured site address, never the Host header of the request.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe a été modifié.")
        return response


def render_account(request, *, profile_form=None, token_form=None, new_token=None, raw_token=None):
    context = {
        "profile_form": profile_form or ProfileForm(instance=User.objects.get(pk=request.user.pk)),
        "token_form": token_form or ApiTokenForm(),
        "tokens": request.user.api_tokens.all(),
        "new_token": new_token,
        "raw_token": raw_token,
    }
    return render(request, "accounts/account.html", context)


@login_required
@never_cache
def account(request):
    if request.method == "POST":
        # A fresh instance: an invalid form must not alter request.user, which the page header displays.
        form = ProfileForm(request.POST, instance=User.objects.get(pk=request.user.pk))
        if form.is_valid():
            form.save()
            messages.success(request, "Vos informations ont été enregistrées.")
            return redirect("accounts:account")
        return render_account(request, profile_form=form)
    return render_account(request)


@login_required
@require_POST
@never_cache
def create_token(request):
    """Creates a token and shows its clear value in this response only: it is neither stored nor redirected
    through the session, so it cannot be displayed again."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render_account(request, token_form=form)
    token, raw = services.issue_api_token(request.user, form.cleaned_data["name"])
    return render_account(request, new_token=token, raw_token=raw)


@login_required
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne donne plus accès à l'API.")
    return redirect("accounts:account")
