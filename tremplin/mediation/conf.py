"""Mediation settings, each optional (read with a default, so that settings.py needs no entry):

- MEDIATION_FIRST_CONTACT_DAYS: days after filing within which the mediator makes first contact (7);
- MEDIATION_TARGET_DAYS: days after the mediation opens within which it should end (90);
- MEDIATION_MAX_DOCUMENT_BYTES: largest accepted document (10 Mo);
- MEDIATION_MAX_DOCUMENTS_PER_CASE: documents a case may hold (30)."""

from django.conf import settings

from tremplin.mediation import document_types, rules


def first_contact_days() -> int:
    return int(getattr(settings, "MEDIATION_FIRST_CONTACT_DAYS", rules.DEFAULT_FIRST_CONTACT_DAYS))


def target_days() -> int:
    return int(getattr(settings, "MEDIATION_TARGET_DAYS", rules.DEFAULT_MEDIATION_TARGET_DAYS))


def max_document_bytes() -> int:
    return int(getattr(settings, "MEDIATION_MAX_DOCUMENT_BYTES", document_types.DEFAULT_MAX_BYTES))


def max_documents_per_case() -> int:
    return int(getattr(settings, "MEDIATION_MAX_DOCUMENTS_PER_CASE", document_types.DEFAULT_MAX_DOCUMENTS_PER_CASE))
