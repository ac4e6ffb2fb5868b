"""Sending templated e-mails (plain text, French). Every notification goes through here."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def send_templated(to: Iterable[str], subject: str, template: str, context: dict) -> int:
    """Render `template` (a .txt template) with `context` and send it to each address separately, so that
    recipients never see each other's address. Returns the number of messages sent."""
    recipients = sorted({address for address in to if address})
    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    sent = 0
    for address in recipients:
        sent += send_mail(f"[Tremplin] {subject}", body, None, [address])
    return sent
