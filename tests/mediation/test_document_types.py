"""Uploads are typed by their content (magic bytes, parts of office ZIPs), never by their name alone."""

import io

import pytest

from tests.mediation.conftest import DOCX_BYTES, ODT_BYTES, PDF_BYTES, PNG_BYTES, zip_bytes
from tremplin.mediation import document_types
from tremplin.mediation.document_types import InvalidDocument, check_document, clean_filename, format_size

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20
XLSX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
PPTX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
ODS_BYTES = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<c/>"}, stored_first="mimetype"
)
OOXML = "application/vnd.openxmlformats-officedocument."
MACRO_DOCX = zip_bytes(
    {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", "word/vbaProject.bin": b"\x00" * 10}
)
PLAIN_ZIP = zip_bytes({"notes.txt": b"bonjour"})


def check(name, content, max_bytes=document_types.DEFAULT_MAX_BYTES):
    return check_document(name, len(content), io.BytesIO(content), max_bytes)


@pytest.mark.parametrize(
    ("name", "content", "key", "content_type"),
    [
        ("facture.pdf", PDF_BYTES, "pdf", "application/pdf"),
        ("FACTURE.PDF", PDF_BYTES, "pdf", "application/pdf"),
        ("photo.png", PNG_BYTES, "png", "image/png"),
        ("photo.jpg", JPEG_BYTES, "jpeg", "image/jpeg"),
        ("photo.jpeg", JPEG_BYTES, "jpeg", "image/jpeg"),
        ("capture.webp", WEBP_BYTES, "webp", "image/webp"),
        ("courrier.docx", DOCX_BYTES, "docx", OOXML + "wordprocessingml.document"),
        ("decompte.xlsx", XLSX_BYTES, "xlsx", OOXML + "spreadsheetml.sheet"),
        ("reunion.pptx", PPTX_BYTES, "pptx", OOXML + "presentationml.presentation"),
        ("courrier.odt", ODT_BYTES, "odt", "application/vnd.oasis.opendocument.text"),
        ("decompte.ods", ODS_BYTES, "ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_accepted_documents(name, content, key, content_type):
    document_type = check(name, content)
    assert (document_type.key, document_type.content_type) == (key, content_type)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "son contenu ne correspond à aucun format accepté"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "son contenu ne correspond à aucun format accepté"),
        ("facture.docx", PDF_BYTES, "l'extension .docx ne correspond pas au contenu du fichier (PDF)"),
        ("photo.png", JPEG_BYTES, "Renommez-le en .jpg"),
        ("courrier.odt", DOCX_BYTES, "l'extension .odt ne correspond pas"),
        ("archive.docx", PLAIN_ZIP, "son contenu ne correspond à aucun format accepté"),
        ("macro.docx", MACRO_DOCX, "contenant des macros ne sont pas acceptés"),
        ("casse.docx", b"PK\x03\x04" + b"\x00" * 40, "archive ZIP endommagée"),
        ("programme.exe", b"MZ\x90\x00", "type de fichier non accepté"),
        ("image.svg", b"<svg onload='alert(1)'/>", "type de fichier non accepté"),
        ("sans-extension", PDF_BYTES, "type de fichier non accepté"),
        ("vide.pdf", b"", "est vide"),
    ],
)
def test_refused_documents(name, content, message):
    with pytest.raises(InvalidDocument) as refusal:
        check(name, content)
    assert message in str(refusal.value)


def test_the_size_limit_is_checked_before_the_content():
    with pytest.raises(InvalidDocument, match=r"dépasse la taille maximale de 1 Ko \(2 Ko\)"):
        check("gros.pdf", PDF_BYTES + b"0" * 2000, max_bytes=1024)
    assert check("juste.pdf", PDF_BYTES, max_bytes=len(PDF_BYTES)).key == "pdf"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C:\\Users\\claire\\Facture 12.pdf", "Facture 12.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("fac\u0000ture\u202e.pdf", "facture.pdf"),
        ("", "document"),
        ("...", "document"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_file_names_are_cleaned(raw, expected):
    assert clean_filename(raw) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [(1, "1 octet"), (850, "850 octets"), (12_400, "12 Ko"), (3_565_158, "3,4 Mo"), (10 * 1024**2, "10 Mo")],
)
def test_sizes_in_french(size, expected):
    assert format_size(size) == expected
