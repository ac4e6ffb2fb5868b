"""Import of an invoice ledger from CSV: preview with line-by-line errors, nothing saved until confirmed."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tests.factories import OrganisationFactory
from tremplin.payments.forms import MAX_UPLOAD_BYTES
from tremplin.payments.imports import COLUMN_NAMES
from tremplin.payments.models import Invoice

pytestmark = pytest.mark.django_db

URL = reverse("payments:import")
HEADER = "cle_marche;siret_acheteur;id_marche;siret_titulaire;numero_facture;montant_ttc;date_reception;date_paiement"


def upload(client, text: str, encoding="utf-8", name="factures.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")})


def confirm(client, html: str):
    start = html.index('name="content"')
    value_start = html.index('value="', start) + len('value="')
    content = unescape(html[value_start : html.index('"', value_start)])
    return client.post(URL, {"content": content})


def test_the_page_documents_the_columns_and_offers_a_template(client, world):
    client.force_login(world.supplier_member)
    html = client.get(URL).content.decode()
    assert "<h1>Importer un registre de factures</h1>" in html
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in html
    assert reverse("payments:import_template") in html
    assert 'enctype="multipart/form-data"' in html
    response = client.get(reverse("payments:import_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(COLUMN_NAMES)


def test_preview_then_confirm(client, world):
    client.force_login(world.supplier_member)
    text = "\n".join(
        [
            HEADER,
            f"{world.contract.key};;;;F-10;10 000,00;03/03/2025;02/05/2025",
            f";{world.buyer.siret};2025-0042;{world.supplier.siret};F-11;1234.5;2025-06-02;",
        ]
    )
    html = upload(client, text).content.decode()
    assert "Aperçu avant enregistrement" in html
    assert "<strong>2 lignes prêtes à enregistrer</strong>" in html
    assert "30,55\u202f€" not in html and "70,55\u202f€" in html  # interest + indemnity of F-10
    assert "Création" in html
    assert not Invoice.objects.filter(number__in=["F-10", "F-11"]).exists()  # nothing saved yet

    response = confirm(client, html)
    assert response.status_code == 302 and response.url == reverse("payments:hub")
    f10 = Invoice.objects.get(number="F-10")
    assert (f10.supplier, f10.amount_ttc) == (world.supplier, Decimal("10000.00"))
    assert f10.paid_on == datetime.date(2025, 5, 2)
    assert f10.created_by == world.supplier_member
    assert Invoice.objects.get(number="F-11").amount_ttc == Decimal("1234.50")
    assert "Import terminé : 2 factures créées, 0 mise à jour." in client.get(response.url).content.decode()


def test_line_by_line_errors(client, world):
    foreign = ContractFactory(decp_id="2025-0777")  # a contract that is none of this company's business
    ContractHolderFactory(contract=foreign, organisation=OrganisationFactory())
    client.force_login(world.supplier_member)
    text = "\n".join(
        [
            HEADER,
            f"{world.contract.key};;;;E-1;100;31/02/2025;",  # line 2: bad date
            "inconnu-123;;;;E-2;100;01/03/2025;",  # line 3: unknown contract
            f"{foreign.key};;;;E-3;100;01/03/2025;",  # line 4: someone else's contract
            f"{world.contract.key};;;;E-4;cent euros;01/03/2025;",  # line 5: amount not a number
            f"{world.contract.key};;;;E-5;100;01/03/2025;15/02/2025",  # line 6: paid before received
            f"{world.contract.key};;;;E-6;100;01/03/2025;",  # line 7: valid
            f"{world.contract.key};;;;E-6;200;01/03/2025;",  # line 8: duplicate of line 7
            f"{world.contract.key};;;;;100;;",  # line 9: missing number and date
        ]
    )
    html = upload(client, text).content.decode()
    assert "<strong>1 ligne prête à enregistrer</strong>, <strong>7 lignes en erreur</strong>" in html
    expected = [
        ("Ligne 2", "date_reception : « 31/02/2025 » n&#x27;est pas une date valide (JJ/MM/AAAA"),
        ("Ligne 3", "cle_marche : marché introuvable parmi ceux dont vous êtes l&#x27;acheteur ou le titulaire."),
        ("Ligne 4", "cle_marche : marché introuvable"),
        ("Ligne 5", "montant_ttc : « cent euros » n&#x27;est pas un montant"),
        ("Ligne 6", "date_paiement : La date de paiement ne peut pas précéder la date de réception"),
        ("Ligne 8", "numero_facture : facture en double dans le fichier (déjà ligne 7)."),
        ("Ligne 9", "numero_facture : obligatoire."),
        ("Ligne 9", "date_reception : obligatoire."),
    ]
    for line, message in expected:
        block = html[html.index(f"<strong>{line}</strong>") :]
        assert message in block[: block.index("</ul>")], (line, message)
    assert "Enregistrer 1 facture (lignes en erreur ignorées)" in html
    assert Invoice.objects.count() == 1  # only the fixture's

    confirm(client, html)
    assert set(Invoice.objects.values_list("number", flat=True)) == {"F-2025-001", "E-6"}


def test_a_buyer_agent_names_the_holder_when_the_contract_has_several(client, world):
    client.force_login(world.buyer_agent)
    text = "\n".join(
        [
            HEADER,
            f"{world.contract.key};;;;B-1;100;01/03/2025;",
            f"{world.contract.key};;;{world.co_holder.siret};B-2;100;01/03/2025;",
            f"{world.contract.key};;;{OrganisationFactory().siret};B-3;100;01/03/2025;",
        ]
    )
    html = upload(client, text).content.decode()
    assert "siret_titulaire : le marché a plusieurs titulaires" in html
    assert "siret_titulaire : ce SIRET n&#x27;est pas un titulaire du marché" in html
    confirm(client, html)
    assert Invoice.objects.get(number="B-2").supplier == world.co_holder
    assert not Invoice.objects.filter(number__in=["B-1", "B-3"]).exists()


def test_importing_again_updates_the_invoices(client, world):
    client.force_login(world.supplier_member)
    text = f"{HEADER}\n{world.contract.key};;;;F-2025-001;10 000,00;03/03/2025;22/04/2025\n"
    html = upload(client, text).content.decode()
    assert "Mise à jour" in html
    response = confirm(client, html)
    world.invoice.refresh_from_db()
    assert world.invoice.paid_on == datetime.date(2025, 4, 22)
    assert Invoice.objects.count() == 1
    assert "0 facture créée, 1 mise à jour." in client.get(response.url).content.decode()


def test_a_windows_file_with_commas_and_all_columns(client, world):
    client.force_login(world.supplier_member)
    text = (
        ",".join(COLUMN_NAMES)
        + "\r\n"
        + f'{world.contract.key},,,,W-1,"10000,00",03/03/2025,,09/05/2025,"10000,00",,13/03/2025,'
        + "Pièce manquante : bon de réception,20/03/2025\r\n"
    )
    html = upload(client, text, encoding="cp1252").content.decode()
    assert "<strong>1 ligne prête à enregistrer</strong>" in html
    confirm(client, html)
    invoice = Invoice.objects.get(number="W-1")
    assert invoice.interruption_reason == "Pièce manquante : bon de réception"
    assert invoice.documents_received_on == datetime.date(2025, 3, 20)


def test_file_level_errors(client, world):
    client.force_login(world.supplier_member)
    html = upload(client, "numero;montant\nA;1\n").content.decode()
    assert "Colonnes manquantes : cle_marche (ou siret_acheteur et id_marche), numero_facture, montant_ttc" in html
    assert 'name="content"' not in html
    html = upload(client, HEADER + "\n").content.decode()
    assert "Le fichier ne contient aucune ligne de facture après l&#x27;en-tête." in html


def test_the_upload_is_size_limited(client, world):
    client.force_login(world.supplier_member)
    big = HEADER + "\n" + ("x" * 100 + "\n") * (MAX_UPLOAD_BYTES // 100)
    html = upload(client, big).content.decode()
    assert "Le fichier dépasse 1 Mo" in html
    assert 'name="content"' not in html


def test_a_tampered_confirmation_is_checked_again(client, world):
    """The confirmation carries the file back: a line changed to someone else's contract is refused."""
    foreign = ContractFactory()
    ContractHolderFactory(contract=foreign, organisation=OrganisationFactory())
    client.force_login(world.supplier_member)
    client.post(URL, {"content": f"{HEADER}\n{foreign.key};;;;T-1;100;01/03/2025;\n"})
    assert not Invoice.objects.filter(number="T-1").exists()


def test_an_unreadable_csv_is_a_file_error(client, world):
    client.force_login(world.supplier_member)
    html = upload(client, HEADER + "\n" + '"' + "x" * 200_000 + '"\n').content.decode()
    assert "Fichier CSV illisible" in html


def test_documents_without_an_interruption_date(client, world):
    client.force_login(world.supplier_member)
    header = "cle_marche;numero_facture;montant_ttc;date_reception;date_pieces_recues"
    text = f"{header}\n{world.contract.key};I-1;100;01/03/2025;05/03/2025\n"
    html = upload(client, text).content.decode()
    assert "date_interruption : indiquez la date de notification de l&#x27;interruption." in html
