"""The purchase programme as an XLSX workbook, in a real Chromium: the agent downloads the XLSX template, sends
an .ods file (refused, with the error summary), then a workbook with a formula left without value, reads the
preview and confirms. Screenshots go to test-artifacts/screenshots/opportunities-programme-*.png."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.conf import settings
from django.test import Client

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tremplin.opportunities.models import Forecast
from tremplin.opportunities.spreadsheet import XLSX_CONTENT_TYPE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def programme_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Programme"
    sheet.append(["reference", "lot", "intitule", "categorie", "cpv", "montant_estime_ht", "date_publication"])
    sheet.append(["2027-EC-01", None, "Rénovation de l'école Jean-Macé", "travaux", "45210000", 420000.0])
    sheet["G2"] = datetime.date(2027, 2, 1)
    sheet.append(["2027-EC-01", 1, "Menuiseries", None, None, 250000])
    sheet.append(["2027-EC-01", 2, "Peintures", None, None, 120000])
    sheet.append([])
    sheet.append(["2027-TR-01", None, "Navettes du centre de loisirs", "services", "60112000", "=B2*2"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_file() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def test_an_xlsx_programme_from_template_to_drafts(browser, live_server, world):  # noqa: F811
    base = live_server.url
    page = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}).new_page()
    client = Client()
    client.force_login(world.agent)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    page.goto(base + "/previsions/programme/")
    check_accessibility(page)
    shoot(page, "opportunities-programme-01-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le modèle (XLSX)").click()
    assert download.value.suggested_filename == "modele-programme-achats-tremplin.xlsx"
    template = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert template.sheetnames == ["Programme", "Colonnes"]

    field = page.get_by_label("Fichier CSV ou XLSX")
    ods = {"name": "programme.ods", "mimeType": "application/vnd.oasis.opendocument.spreadsheet", "buffer": ods_file()}
    field.set_input_files(files=[ods])
    page.get_by_role("button", name="Vérifier le fichier").click()
    assert page.title().startswith("Erreur : ")
    assert page.locator(".error-summary").get_by_text("classeurs LibreOffice (.ods)", exact=False).is_visible()
    check_accessibility(page)
    shoot(page, "opportunities-programme-02-erreur-fichier")

    workbook = {"name": "programme.xlsx", "mimeType": XLSX_CONTENT_TYPE, "buffer": programme_workbook()}
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(files=[workbook])
    page.get_by_role("button", name="Vérifier le fichier").click()
    assert page.get_by_text("1 prévision prête à enregistrer").is_visible()
    assert page.get_by_text("formule sans valeur calculée", exact=False).is_visible()
    assert page.get_by_role("cell", name="01/02/2027").is_visible()
    assert not Forecast.objects.exists()
    check_accessibility(page)
    shoot(page, "opportunities-programme-03-apercu")

    page.get_by_role("button", name=re.compile("Enregistrer 1 prévision")).click()
    page.wait_for_url(base + "/previsions/mes-previsions/")
    assert page.get_by_text("Import terminé : 1 prévision créée", exact=False).is_visible()
    shoot(page, "opportunities-programme-04-importe")
    forecast = Forecast.objects.get()
    assert (forecast.external_id, forecast.lots.count()) == ("2027-EC-01", 2)
    page.context.close()
