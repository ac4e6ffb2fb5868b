"""Purchase programme as an XLSX workbook: file type told by content, cells read as the CSV text (dates, numbers,
booleans, formulas and their cached values), line numbers of the sheet, the zip-bomb and row limits, the XLSX
template, and the same preview → confirm flow as CSV. Workbooks are built in memory with openpyxl."""

import datetime
import io
import os
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tremplin.opportunities import spreadsheet
from tremplin.opportunities.models import Forecast
from tremplin.opportunities.programme import COLUMN_NAMES, Known, parse_upload, template_csv, template_xlsx
from tremplin.opportunities.spreadsheet import CSV, XLSX, TableError, Upload, cell_text, read_upload

KNOWN = Known(
    cpv=frozenset({"45233140", "45233221", "45233200", "45210000", "60112000", "03000000"}),
    departments=frozenset({"69", "01"}),
    communes=frozenset({"69123", "01053"}),
)
HEADER = ["Référence", "Lot", "Titre", "Catégorie", "CPV", "Montant", "Date publication", "Considérations sociales"]


def workbook(*rows, title="Programme", before=()) -> bytes:
    """A workbook whose sheet `title` holds `rows` (None leaves a row empty); `before`: sheets put first."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in before:
        book.create_sheet(name).append(["Notes", "sans rapport"])
    sheet = book.create_sheet(title)
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values or (), start=1):
            sheet.cell(number, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached_values(raw: bytes, values: dict[str, str]) -> bytes:
    """Store a cached value for formula cells, as a spreadsheet program does on saving (openpyxl does not):
    {"F3": "12000"}, or {"F3": "#DIV/0!"} for an error."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = data.decode()
                for ref, value in values.items():
                    kind = ' t="e"' if value.startswith("#") else ""
                    text, count = re.subn(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v ?/>',
                        rf'<c r="{ref}"\1{kind}><f>\2</f><v>{value}</v>',
                        text,
                    )
                    assert count == 1, ref
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def parse(raw: bytes):
    return parse_upload(read_upload(raw, "programme.xlsx"), KNOWN)


# ---------------------------------------------------------------- cells and file types


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "oui"),
        (False, "non"),
        (datetime.datetime(2026, 3, 15), "15/03/2026"),
        (datetime.date(2026, 3, 15), "15/03/2026"),
        (datetime.datetime(2026, 3, 15, 10, 30), "15/03/2026 10:30"),
        (datetime.time(9, 5), "09:05"),
        (12500, "12500"),
        (12500.0, "12500"),
        (0.1 + 0.2, "0.3"),
        (1234.56, "1234.56"),
        (1e16, "10000000000000000"),
        (Decimal("12.50"), "12.5"),
        ("  15/03/2026 ", "15/03/2026"),
        ("12 500,00 €", "12 500,00 €"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_the_kind_of_file_is_told_by_its_content_not_its_name():
    text = "référence;intitulé\r\n"
    assert read_upload(text.encode("cp1252"), "programme.csv") == Upload(CSV, text)
    assert read_upload(workbook(["a"]), "programme.csv").kind == XLSX  # a workbook wrongly named .csv


@pytest.mark.parametrize(
    ("raw", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "ancien.xls", "ancien format Excel 97-2003 (.xls)"),
        (b"PK\x03\x04 binaire", "programme.xlsx", "Ce fichier compressé est illisible"),
        (b"reference;intitule\r\n", "programme.xlsx", "porte l'extension .xlsx mais n'est pas un classeur lisible"),
        (b"a\x00b", "programme.csv", "n'est ni un fichier CSV ni un classeur Excel (.xlsx)"),
    ],
)
def test_files_that_are_not_read(raw, name, message):
    with pytest.raises(TableError, match=re.escape(message)):
        read_upload(raw, name)


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_other_archives_are_refused():
    with pytest.raises(TableError, match=r"classeurs LibreOffice \(\.ods\) ne sont pas lus directement"):
        read_upload(zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""}))
    with pytest.raises(TableError, match=r"n'est pas un classeur Excel \(\.xlsx\)"):
        read_upload(zip_of({"photo.jpg": b"..."}), "programme.zip")


def test_a_zip_bomb_is_refused_before_it_is_opened():
    source = zipfile.ZipFile(io.BytesIO(workbook(["reference", "intitule"], ["A", "Achat"])))
    parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    bomb = zip_of({**parts, "xl/media/image1.bin": bytes(spreadsheet.MAX_UNCOMPRESSED)})
    assert len(bomb) < 100_000  # small, under the 1 Mo upload limit
    with pytest.raises(TableError, match="dépasse 20 Mo une fois décompressé"):
        read_upload(bomb, "programme.xlsx")


def test_rows_beyond_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 5)
    header = ["reference", "intitule"]
    assert parse(workbook(header, ["A", "Achat"], *[None] * 3, [None])).valid  # empty rows past it: fine
    programme = parse(workbook(header, ["A", "Achat"], *[None] * 4, ["B", "Achat"]))
    assert programme.file_errors == ["La feuille « Programme » dépasse 5 lignes : découpez-la en plusieurs fichiers."]


def test_columns_beyond_the_limit_are_not_read():
    far = ["reference", "intitule", *[""] * spreadsheet.MAX_COLUMNS, "mots_cles"]
    programme = parse(workbook(far, ["A", "Achat", *[""] * spreadsheet.MAX_COLUMNS, "voirie"]))
    assert programme.valid[0].data.keywords == []


# ---------------------------------------------------------------- reading a programme


def test_a_workbook_reads_like_its_csv():
    titled = workbook(["Programme d'achat 2026"], None, ["reference", "intitule"], ["A", "Achat"])
    assert parse(titled).file_errors[0].startswith("Colonnes manquantes : reference, intitule.")  # row 1 or none

    raw = with_cached_values(
        workbook(
            HEADER,
            ["2026-01", None, "Voirie", "travaux", "45233140", 480000.0, datetime.datetime(2026, 3, 15), True],
            None,  # an empty row: left out, the numbering goes on
            ["2026-01", 1, "Enrobés", None, 45233221, "=200000*1.5", None, None],
            ["2026-02", None, "Transport", "services", "60112000", "12 500,00 €", "01/09/2026", False],
            ["2026-03", None, "Repas", "services", "03000000", "=10000/0", "15/09/2026", "oui"],
            ["2026-04", None, "Ménage", "services", "03000000", "=A1*2", None, None],
            [None, None, None, None, None, None, None, None],
            ["2026-05", None, "Sans date", "fournitures", "03000000", "=SUM(1,2)", 46100, None],
        ),
        {"F4": "300000", "F6": "#DIV/0!", "F9": "3"},
    )
    programme = parse(raw)
    assert programme.file_errors == []
    voirie, transport = programme.valid
    assert (voirie.data.estimated_amount, voirie.data.publication_target_date) == (
        Decimal("480000"),
        datetime.date(2026, 3, 15),
    )
    assert voirie.data.social_considerations
    assert [(lot.number, lot.cpv, lot.estimated_amount) for lot in voirie.data.lots] == [
        (1, "45233221", Decimal("300000"))
    ]
    assert (transport.data.estimated_amount, transport.data.publication_target_date) == (
        Decimal("12500.00"),
        datetime.date(2026, 9, 1),
    )
    assert not transport.data.social_considerations
    assert {line.number: line.errors for line in programme.invalid_lines} == {
        6: ["montant_estime_ht : la formule donne une erreur (#DIV/0!)."],
        7: [
            "montant_estime_ht : formule sans valeur calculée : ouvrez le classeur dans Excel ou LibreOffice, "
            "enregistrez-le et envoyez-le à nouveau (ou remplacez la formule par sa valeur)."
        ],
        9: ["date_publication : « 46100 » n'est pas une date valide (JJ/MM/AAAA, par exemple 02/09/2025)."],
    }


def test_the_programme_sheet_is_preferred_to_the_first_one():
    raw = workbook(["reference", "intitule"], ["A", "Achat"], title="Prévisions 2026", before=["Notes"])
    assert [entry.reference for entry in parse(raw).valid] == ["A"]
    first = workbook(["reference", "intitule"], ["A", "Achat"], title="Feuil2", before=["Feuil1"])
    assert parse(first).file_errors[0].startswith("Colonnes manquantes")  # the first sheet is read


def test_a_workbook_without_programme_lines():
    assert parse(workbook(None, None)).file_errors == ["Le fichier est vide."]
    assert parse(workbook(["reference", "intitule"])).file_errors == [
        "Le fichier ne contient aucune prévision après l'en-tête."
    ]


def test_a_damaged_workbook_gives_a_file_error():
    raw = zip_of({"xl/workbook.xml": b"<pas du xml", "[Content_Types].xml": b"<Types/>"})
    programme = parse_upload(Upload(XLSX, spreadsheet.Upload.workbook(raw).content), KNOWN)
    assert programme.file_errors[0].startswith("Classeur illisible : enregistrez-le au format")
    assert parse_upload(Upload(XLSX, "pas du base64 !"), KNOWN).file_errors == [
        "Le classeur transmis est illisible : envoyez le fichier à nouveau."
    ]


def test_the_xlsx_template_holds_the_csv_template():
    raw = template_xlsx()
    from_xlsx = parse(raw)
    from_csv = parse_upload(Upload(CSV, template_csv()), KNOWN)
    assert from_xlsx.invalid_lines == [] and len(from_xlsx.valid) == 1
    assert from_xlsx.valid[0].data == from_csv.valid[0].data
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["Programme", "Colonnes"]
    sheet = book["Programme"]
    assert [cell.value for cell in sheet[1]] == list(COLUMN_NAMES)
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 40  # intitule
    assert sheet["H2"].value == 480000 and sheet["J2"].value.date() == datetime.date(2026, 3, 15)
    assert sheet["F2"].value == "45233140" and sheet["F2"].number_format == "@"
    assert book["Colonnes"]["A2"].value == "reference"


# ---------------------------------------------------------------- pages

URL = reverse("opportunities:programme")


def upload(client, raw: bytes, name: str = "programme.xlsx", siret: str = "21690123100011"):
    file = SimpleUploadedFile(name, raw, content_type=spreadsheet.XLSX_CONTENT_TYPE)
    return client.post(URL, {"organisation": siret, "file": file})


@pytest.mark.django_db
def test_an_xlsx_preview_then_confirm(client, world):
    client.force_login(world.agent)
    raw = workbook(
        ["reference", "lot", "intitule", "categorie", "cpv", "montant_estime_ht", "date_publication"],
        ["2026-01", None, "Réfection de l'école", "travaux", "45210000", 300000, datetime.date(2026, 9, 15)],
        ["2026-01", 1, "Gros œuvre", None, None, 200000.0, None],
        None,
        ["2026-02", None, "Mauvaise ligne", "travaux", "45210000", "=1+1", None],
    )
    response = upload(client, raw)
    html = response.content.decode()
    assert "1 prévision prête à enregistrer" in html and "1 ligne en erreur" in html
    assert "Ligne 5</strong> (2026-02)" in html and "formule sans valeur calculée" in html
    assert "15/09/2026" in html
    assert not Forecast.objects.exists()

    confirm = response.context["confirm_form"]
    assert confirm.initial["kind"] == "xlsx"
    assert 'name="kind" value="xlsx"' in html
    data = {"organisation": world.buyer.siret, "kind": "xlsx", "content": confirm.initial["content"]}
    response = client.post(URL, data, follow=True)
    assert "Import terminé : 1 prévision créée, 0 mise à jour (brouillons), 1 en erreur ignorée." in (
        response.content.decode()
    )
    school = Forecast.objects.get(external_id="2026-01")
    assert (school.estimated_amount, school.publication_target_date) == (Decimal("300000"), datetime.date(2026, 9, 15))
    assert list(school.lots.values_list("number", "title", "estimated_amount")) == [
        (1, "Gros œuvre", Decimal("200000"))
    ]


@pytest.mark.django_db
def test_xlsx_uploads_are_checked(client, world):
    client.force_login(world.agent)
    ods = zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    html = upload(client, ods, name="programme.ods").content.decode()
    assert "Les classeurs LibreOffice (.ods) ne sont pas lus directement" in html
    assert "<title>Erreur : Importer un programme d'achat" in html  # the title tells screen reader users

    big = zip_of({"xl/workbook.xml": b"<workbook/>", "xl/media/photo.bin": os.urandom(1024 * 1024)})
    html = upload(client, big).content.decode()
    assert "Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers." in html

    data = {"organisation": world.buyer.siret, "kind": "xlsx", "content": "QUJD"}  # base64 of "ABC"
    html = client.post(URL, data).content.decode()
    assert "Ce fichier compressé est illisible" in html
    assert not Forecast.objects.exists()


@pytest.mark.django_db
def test_an_xlsx_confirmation_for_another_organisation_saves_nothing(client, world):
    client.force_login(world.agent)
    content = Upload.workbook(workbook(["reference", "intitule"], ["X", "Achat"])).content
    client.post(URL, {"organisation": world.other_buyer.siret, "kind": "xlsx", "content": content})
    client.force_login(world.company_member)
    client.post(URL, {"organisation": world.buyer.siret, "kind": "xlsx", "content": content})
    assert not Forecast.objects.exists()


@pytest.mark.django_db
def test_the_xlsx_template_download(client):
    response = client.get(reverse("opportunities:programme_template") + "?format=xlsx")
    assert response["Content-Type"] == spreadsheet.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="modele-programme-achats-tremplin.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book["Programme"][1]][:3] == ["reference", "lot", "intitule"]


@pytest.mark.django_db
def test_a_lot_line_in_error_is_named_in_the_preview(client, world):
    client.force_login(world.agent)
    raw = workbook(["reference", "lot", "intitule", "montant"], ["A", None, "Voirie"], ["A", 1, "Enrobés", "=1/0"])
    html = upload(client, with_cached_values(raw, {"D3": "#DIV/0!"})).content.decode()
    assert "<strong>Ligne 3</strong> (A, lot 1) :" in html
    assert "montant_estime_ht : la formule donne une erreur (#DIV/0!)." in html
    assert "<strong>0 prévision prête à enregistrer</strong>, <strong>2 lignes en erreur</strong>" in html
    assert 'name="content"' not in html  # nothing to confirm
