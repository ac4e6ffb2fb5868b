"""Use cases on accounts: registering, e-mail verification links, API tokens.

A verification link carries a token signed with TimestampSigner; it names the user and the address being
verified, so that a link sent for an older address cannot verify a newer one."""

import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts.models import ApiToken, User
from tremplin.core.mail import absolute_url, send_templated

logger = logging.getLogger(__name__)

VERIFICATION_SALT = "tremplin.accounts.email-verification"


class VerificationError(Exception):
    """A verification link that cannot be used; the message is French, for the user."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=VERIFICATION_SALT)


def make_verification_token(user: User) -> str:
    return _signer().sign_object({"user": user.pk, "email": user.email})


def user_from_verification_token(token: str) -> User:
    """The user a verification token was issued for, or VerificationError when it is tampered with,
    expired (settings.EMAIL_VERIFICATION_MAX_AGE) or issued for another address."""
    try:
        payload = _signer().unsign_object(token, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise VerificationError("Ce lien de confirmation a expiré. Demandez-en un nouveau.") from exc
    except signing.BadSignature as exc:
        raise VerificationError("Ce lien de confirmation n'est pas valide. Vérifiez qu'il est complet.") from exc
    if not isinstance(payload, dict):
        raise VerificationError("Ce lien de confirmation n'est pas valide. Vérifiez qu'il est complet.")
    user = User.objects.filter(pk=payload.get("user"), is_active=True).first()
    if user is None or user.email != payload.get("email"):
        raise VerificationError("Ce lien de confirmation ne correspond à aucun compte actif.")
    return user


def send_verification_email(user: User) -> int:
    url = absolute_url(reverse("accounts:verify_email", args=[make_verification_token(user)]))
    days = settings.EMAIL_VERIFICATION_MAX_AGE // (24 * 3600)
    return send_templated(
        [user.email],
        "Confirmez votre adresse e-mail",
        "emails/email_verification.txt",
        {"user": user, "url": url, "valid_days": days, "valid_hours": settings.EMAIL_VERIFICATION_MAX_AGE // 3600},
    )


def verify_email(token: str) -> tuple[User, bool]:
    """Mark the token's user as verified. Returns (user, True when it was not verified before)."""
    user = user_from_verification_token(token)
    if user.email_verified:
        return user, False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user, True


def register(email: str, full_name: str, password: str) -> User:
    """Create an account (address not yet verified) and send the verification link. A mail server failure
    does not lose the account: it is logged, and the person can ask for the link again."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
    try:
        send_verification_email(user)
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not send the verification e-mail to user %s", user.pk)
    return user


def issue_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token and its clear value, which is shown once and never stored."""
    return ApiToken.issue(user, name.strip())


def revoke_api_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
