"""CSV import of emission factors: parsing, idempotence, the command and the staff page."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.carbon.conftest import FAKE_FACTORS_CSV, load_fake_factors
from tests.factories import UserFactory
from tremplin.carbon.imports import parse_factors, template_csv
from tremplin.carbon.models import EmissionFactor, FactorImport

HEADER = "type;nom;unite;valeur_kgco2e;valide_du;valide_au;source;reference_source"


def test_a_valid_file_with_decimal_comma_and_bom():
    batch = parse_factors("\ufeff" + FAKE_FACTORS_CSV)
    assert batch.file_errors == [] and batch.invalid == []
    truck = batch.lines[4].values
    assert truck["kind"] == "transport" and truck["unit"] == "tkm" and truck["transport_mode"] == "road"
    assert truck["value"] == Decimal("0.0961")
    assert truck["valid_from"] == datetime.date(2025, 1, 1) and truck["valid_to"] is None


def test_comma_separated_with_decimal_point_and_iso_dates():
    text = "Type,Nom,Unité,Valeur kgCO2e,Valide du,Source,Référence source\n"
    text += "energie,FICTIF chaleur,kgCO2e/kWh,0.2,2025-01-01,Jeu FICTIF,FICTIF-CHALEUR\n"
    [line] = parse_factors(text).lines
    assert line.ok, line.errors
    assert (line.values["unit"], line.values["value"], line.values["kind"]) == ("kwh", Decimal("0.2"), "energy")


def test_each_bad_line_is_reported_with_its_column():
    text = HEADER + ";mode_transport;url_source\n"
    text += "production;FICTIF;kg;abc;01/01/2025;;S;R1;;\n"
    text += "transport;FICTIF;kg;1;01/01/2025;;S;R2;;\n"
    text += "energie;FICTIF;kWh;1;31/02/2025;;S;R3;;\n"
    text += "production;FICTIF;kg;1;01/01/2025;01/01/2024;S;R4;;\n"
    text += "chaleur;FICTIF;kg;1;01/01/2025;;S;R5;;\n"
    text += "production;FICTIF;kg;1;01/01/2025;;S;R6;routier;ftp://x\n"
    text += "production;FICTIF;kg;-1;01/01/2025;;;;;\n"
    text += "production;FICTIF;kg;1;01/01/2025;;S;R1b;;\n"
    text += "production;FICTIF bis;kg;2;01/01/2025;;S;R1b;;\n"
    batch = parse_factors(text)
    errors = {line.number: line.errors for line in batch.invalid}
    assert errors[2] == ["valeur_kgco2e : « abc » n'est pas un nombre (par exemple 0,0961)."]
    assert errors[3][0].startswith("unite : Un facteur de type « Transport » ne peut pas être exprimé par kg")
    assert errors[4] == ["valide_du : « 31/02/2025 » n'est pas une date (JJ/MM/AAAA, par exemple 01/01/2025)."]
    assert errors[5] == ["valide_au : la fin de validité précède son début."]
    assert errors[6] == ["type : « chaleur » inconnu : production, transport ou energie."]
    assert errors[7] == [
        "url_source : adresse invalide (elle commence par http:// ou https://).",
        "mode_transport : seulement pour un facteur de transport.",
    ]
    assert "reference_source : obligatoire." in errors[8]
    assert "valeur_kgco2e : doit être positive ou nulle." in errors[8]
    assert "source : obligatoire (colonne source ou option --source)." in errors[8]
    assert errors[10] == ["reference_source : même référence et même date de début que la ligne 9."]
    assert [line.number for line in batch.valid] == [9]


def test_file_errors():
    assert parse_factors("").file_errors == ["Le fichier est vide."]
    assert (
        parse_factors("nom;valeur\nx;1\n")
        .file_errors[0]
        .startswith(
            "Colonnes manquantes : type, unite, valeur_kgco2e, valide_du, reference_source, "
            "source (ou l'option --source)"
        )
    )
    assert parse_factors(HEADER + "\n").file_errors == [
        "Le fichier ne contient aucune ligne de facteur après l'en-tête."
    ]
    too_long = HEADER + "\n" + "production;F;kg;1;01/01/2025;;S;R\n" * 3
    assert parse_factors(too_long, max_lines=2).file_errors == ["Le fichier compte plus de 2 lignes : découpez-le."]


def test_the_default_source_fills_empty_source_cells():
    text = "type;nom;unite;valeur_kgco2e;valide_du;reference_source\nproduction;FICTIF;kg;1;01/01/2025;R\n"
    assert parse_factors(text).file_errors
    [line] = parse_factors(text, default_source="Export FICTIF").lines
    assert line.ok and line.values["source_name"] == "Export FICTIF"


def test_the_template_parses_and_says_its_values_are_fake():
    batch = parse_factors(template_csv())
    assert batch.invalid == [] and len(batch.valid) == 1
    assert "fictif" in batch.valid[0].values["name"].lower()


@pytest.mark.django_db
def test_reimport_updates_and_never_duplicates():
    first = load_fake_factors()
    assert (first.created, first.updated, first.unchanged) == (7, 0, 0)
    again = load_fake_factors()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    corrected = FAKE_FACTORS_CSV.replace("FICTIF électricité réseau;kWh;0,05", "FICTIF électricité réseau;kWh;0,052")
    third = load_fake_factors(corrected)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 6)
    assert EmissionFactor.objects.count() == 7
    assert EmissionFactor.objects.get(source_reference="FICTIF-ELEC").value == Decimal("0.052")
    assert EmissionFactor.objects.get(source_reference="FICTIF-ELEC").import_batch == third


@pytest.mark.django_db
def test_command_dry_run_then_import_with_json_report(tmp_path, capsys):
    path = tmp_path / "facteurs.csv"
    path.write_text(FAKE_FACTORS_CSV + "transport;FICTIF;kg;1;01/01/2025;;S;RX;;;\n", encoding="utf-8-sig")
    call_command("import_emission_factors", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert out.startswith("Vérification (rien n'est enregistré) : 7 créé(s), 0 mis à jour, 0 inchangé(s), 1 ligne(s)")
    assert "Ligne 9 : unite : Un facteur de type « Transport »" in out
    assert EmissionFactor.objects.count() == 0
    call_command("import_emission_factors", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert (report["created"], report["updated"], report["unchanged"]) == (7, 0, 0)
    assert report["rejected"][0]["line"] == 9
    assert EmissionFactor.objects.count() == 7
    assert FactorImport.objects.get().rejected[0]["line"] == 9


@pytest.mark.django_db
def test_command_source_option_and_missing_file(tmp_path, capsys):
    path = tmp_path / "f.csv"
    path.write_text("type;nom;unite;valeur_kgco2e;valide_du;reference_source\nproduction;F;kg;1;2025-01-01;R\n")
    call_command("import_emission_factors", str(path), "--source", "Export FICTIF")
    assert EmissionFactor.objects.get().source_name == "Export FICTIF"
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_emission_factors", str(tmp_path / "absent.csv"))
    path.write_text("nom\nx\n")
    with pytest.raises(CommandError, match="Colonnes manquantes"):
        call_command("import_emission_factors", str(path))


# ---------- The staff page ----------

URL = reverse("carbon:import")


def upload(client, content: bytes, name="facteurs.csv", source=""):
    return client.post(URL, {"file": SimpleUploadedFile(name, content, "text/csv"), "source": source})


@pytest.mark.django_db
def test_only_staff_reach_the_import_page(client):
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404
    assert upload(client, FAKE_FACTORS_CSV.encode()).status_code == 404
    assert EmissionFactor.objects.count() == 0


@pytest.mark.django_db
def test_staff_preview_then_confirm(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    bad_line = "transport;FICTIF vélo;kg;1;01/01/2025;;S;RV;;;\n"
    response = upload(client, (FAKE_FACTORS_CSV + bad_line).encode("utf-8-sig"))
    html = response.content.decode()
    assert "7 lignes prêtes à enregistrer" in html and "1 ligne en erreur" in html
    assert "Ligne 9" in html and "(réf. RV)" in html
    assert html.count("<td>Création</td>") == 7
    assert EmissionFactor.objects.count() == 0  # nothing before confirmation
    content = response.context["confirm_form"].initial["content"]
    response = client.post(URL, {"content": content, "source": "", "file_name": "facteurs.csv"})
    assert response.status_code == 302 and response.url == reverse("carbon:factors")
    assert EmissionFactor.objects.count() == 7
    record = FactorImport.objects.get()
    assert (record.imported_by, record.created, len(record.rejected)) == (staff, 7, 1)
    assert "Mise à jour" not in upload(client, FAKE_FACTORS_CSV.encode()).content.decode()
    assert upload(client, FAKE_FACTORS_CSV.encode()).content.decode().count("<td>Inchangé</td>") == 7


@pytest.mark.django_db
def test_upload_checks(client, settings):
    client.force_login(UserFactory(is_staff=True))
    assert "Le fichier dépasse 1 Mo" in upload(client, b"a" * (1024 * 1024 + 1)).content.decode()
    assert "Envoyez un fichier CSV" in upload(client, b"%PDF-1.4", name="facteurs.pdf").content.decode()
    assert "n&#x27;est pas un fichier texte CSV" in upload(client, b"\x00\x01\x02", name="x.csv").content.decode()
    assert "Le fichier est vide." in upload(client, b"   ").content.decode()
    cp1252 = FAKE_FACTORS_CSV.encode("cp1252")
    assert "7 lignes prêtes à enregistrer" in upload(client, cp1252).content.decode()


def test_the_template_download(client):
    response = client.get(reverse("carbon:import_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig").startswith("type;nom;unite;valeur_kgco2e;valide_du;")
