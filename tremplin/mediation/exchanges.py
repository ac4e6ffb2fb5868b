"""Messages and documents of a case: uploads checked by content before anything is saved, messages from the
parties and the mediator, downloads written to the log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tremplin import policy
from tremplin.mediation import conf, notifications
from tremplin.mediation.document_types import MAX_FILES_PER_POST, InvalidDocument, check_document, clean_filename
from tremplin.mediation.models import Case, Document, EventAction, Message
from tremplin.mediation.services import (
    ActionRefused,
    CaseNotFound,
    MediationError,
    WrongStage,
    actor_label,
    author_role,
    get_case_for,
    log,
    mark_first_contact,
)

MESSAGE_MAX_LENGTH = 10_000


def check_uploads(uploads, already: int = 0) -> list:
    """Check every upload before anything is saved: all or nothing. Returns (upload, document type) pairs."""
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES_PER_POST:
        raise MediationError(f"{MAX_FILES_PER_POST} fichiers au plus par envoi.", "documents")
    limit = conf.max_documents_per_case()
    if already + len(uploads) > limit:
        raise MediationError(
            f"Une demande compte au plus {limit} pièces jointes ({already} déjà déposées).", "documents"
        )
    checked = []
    for upload in uploads:
        try:
            document_type = check_document(upload.name, upload.size, upload.file, conf.max_document_bytes())
        except InvalidDocument as error:
            raise MediationError(str(error), "documents") from error
        checked.append((upload, document_type))
    return checked


def save_documents(case: Case, user, checked, message: Message | None = None) -> list[Document]:
    documents = []
    for upload, document_type in checked:
        upload.seek(0)
        document = Document(
            case=case,
            message=message,
            name=clean_filename(upload.name),
            content_type=document_type.content_type,
            size=upload.size,
            uploaded_by=user,
        )
        document.file.save(document.name, upload, save=False)
        document.save()
        documents.append(document)
    return documents


def delete_files(documents: list[Document]) -> None:
    for document in documents:
        document.file.delete(save=False)


def post_message(user, case: Case, body: str, uploads=()) -> Message:
    """A message (with documents, or documents alone) from a party or the mediator on an open case."""
    case = get_case_for(user, case.pk)  # the stored state, not the caller's copy
    if not policy.can_post_mediation_message(user, case):
        if not case.is_open:
            raise WrongStage("Cette demande est close : on ne peut plus y écrire.")
        raise ActionRefused("Seuls les parties et le médiateur écrivent dans le dossier.")
    body = (body or "").strip()
    if len(body) > MESSAGE_MAX_LENGTH:
        raise MediationError(f"Le message : {MESSAGE_MAX_LENGTH} caractères au plus ({len(body)} saisis).", "body")
    checked = check_uploads(uploads, already=case.documents.count())
    if not body and not checked:
        raise MediationError("Écrivez un message ou joignez au moins un document.", "body")
    label = actor_label(user, case)
    saved: list[Document] = []
    try:
        with transaction.atomic():
            message = Message.objects.create(
                case=case, author=user, author_label=label[:300], author_role=author_role(user, case), body=body
            )
            saved = save_documents(case, user, checked, message)
            if body:
                log(case, EventAction.MESSAGE, user, label=label)
            for document in saved:
                log(case, EventAction.DOCUMENT, user, document.name, label=label)
            changed = mark_first_contact(case, user, timezone.now())
            if changed:
                case.save(update_fields=[*changed, "updated_at"])
    except Exception:
        delete_files(saved)
        raise
    notifications.new_message(case, user, label, len(saved))
    return message


def open_document(user, case: Case, document_pk) -> Document:
    """A document of a case the person may see; the download is written to the log."""
    case = get_case_for(user, case.pk)
    document = case.documents.filter(pk=document_pk).first() if str(document_pk).isdigit() else None
    if document is None:
        raise CaseNotFound("Pièce jointe introuvable.")
    log(case, EventAction.DOWNLOAD, user, document.name)
    return document
