"""Pure checks on uploaded documents: the type is read from the content (magic bytes, and for office files the
parts inside the ZIP container), never trusted from the name or the browser; the extension must agree.
No ORM, no request: works on any seekable binary stream."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # 10 Mo per file
MAX_FILES_PER_POST = 5
DEFAULT_MAX_DOCUMENTS_PER_CASE = 30
NAME_MAX_LENGTH = 150


class InvalidDocument(ValueError):
    """A file that is refused; the message is in French, for the user."""


@dataclass(frozen=True)
class DocumentType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = DocumentType("pdf", "PDF", "application/pdf", (".pdf",))
PNG = DocumentType("png", "image PNG", "image/png", (".png",))
JPEG = DocumentType("jpeg", "image JPEG", "image/jpeg", (".jpg", ".jpeg"))
WEBP = DocumentType("webp", "image WebP", "image/webp", (".webp",))
OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = DocumentType("docx", "document Word", OOXML + "wordprocessingml.document", (".docx",))
XLSX = DocumentType("xlsx", "classeur Excel", OOXML + "spreadsheetml.sheet", (".xlsx",))
PPTX = DocumentType("pptx", "présentation PowerPoint", OOXML + "presentationml.presentation", (".pptx",))
ODT = DocumentType("odt", "texte OpenDocument", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = DocumentType("ods", "classeur OpenDocument", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
ODP = DocumentType("odp", "présentation OpenDocument", "application/vnd.oasis.opendocument.presentation", (".odp",))

DOCUMENT_TYPES = (PDF, PNG, JPEG, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP)
BY_KEY = {document_type.key: document_type for document_type in DOCUMENT_TYPES}
ACCEPTED_EXTENSIONS = tuple(ext for document_type in DOCUMENT_TYPES for ext in document_type.extensions)
ACCEPTED_HELP = "PDF, images (PNG, JPEG, WebP), Word, Excel, PowerPoint (.docx, .xlsx, .pptx) ou OpenDocument"

# OOXML: the part that makes a ZIP a document of that kind. Macro-enabled documents (vbaProject.bin) are refused.
OOXML_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
# OpenDocument: the "mimetype" entry names the type.
ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS, ODP.content_type: ODP}
ZIP_MAGIC = b"PK\x03\x04"


def clean_filename(raw: str | None) -> str:
    """The name shown and offered on download: the last path component, without control characters, at most
    NAME_MAX_LENGTH characters (the extension kept)."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    name = name.strip(". ") or "document"
    if len(name) > NAME_MAX_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: NAME_MAX_LENGTH - len(ext) - 1] + "." + ext
        else:
            name = name[:NAME_MAX_LENGTH]
    return name


def extension_of(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return ("." + ext.lower()) if dot else ""


def _zip_type(stream: BinaryIO) -> DocumentType | None:
    """An office document is a ZIP; which one it is depends on its parts. Only the list of parts and the tiny
    ODF "mimetype" entry are read: nothing is decompressed, so a ZIP bomb costs nothing."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            declared = ""
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError) as error:
        raise InvalidDocument("Ce fichier est une archive ZIP endommagée ou illisible.") from error
    finally:
        stream.seek(0)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise InvalidDocument(
            "Les documents contenant des macros ne sont pas acceptés : enregistrez-le sans macros ou en PDF."
        )
    if declared in ODF_MIMETYPES and "content.xml" in names:
        return ODF_MIMETYPES[declared]
    if "[Content_Types].xml" in names:
        for part, document_type in OOXML_MAIN_PARTS.items():
            if part in names:
                return document_type
    return None


def sniff(stream: BinaryIO) -> DocumentType | None:
    """The type the content really has (None when it is none of the accepted types)."""
    stream.seek(0)
    head = stream.read(512)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(ZIP_MAGIC):
        return _zip_type(stream)
    return None


def check_document(name: str, size: int, stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentType:
    """The type of an upload, or InvalidDocument: empty or too large, unknown content, or a name whose extension
    does not match the content (a script renamed .pdf, a PDF renamed .docx)."""
    label = clean_filename(name)
    if size <= 0:
        raise InvalidDocument(f"« {label} » est vide.")
    if size > max_bytes:
        raise InvalidDocument(
            f"« {label} » dépasse la taille maximale de {format_size(max_bytes)} ({format_size(size)})."
        )
    extension = extension_of(label)
    if extension not in ACCEPTED_EXTENSIONS:
        raise InvalidDocument(f"« {label} » : type de fichier non accepté. Formats acceptés : {ACCEPTED_HELP}.")
    document_type = sniff(stream)
    if document_type is None:
        raise InvalidDocument(
            f"« {label} » : son contenu ne correspond à aucun format accepté ({ACCEPTED_HELP}). "
            "Le fichier est peut-être endommagé ou mal nommé."
        )
    if extension not in document_type.extensions:
        raise InvalidDocument(
            f"« {label} » : l'extension {extension} ne correspond pas au contenu du fichier "
            f"({document_type.label}). Renommez-le en {document_type.extensions[0]}."
        )
    return document_type


def format_size(size: int) -> str:
    """A size in French: "850 octets", "12 Ko", "3,4 Mo"."""
    if size < 1024:
        return f"{size} octet{'s' if size >= 2 else ''}"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} Ko"
    megabytes = size / (1024 * 1024)
    text = f"{megabytes:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " Mo"
