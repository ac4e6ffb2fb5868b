import gzip
import json
import shutil
import zipfile
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory
from tests.ingest.sirene.conftest import ESTABLISHMENTS, LEGAL_UNITS
from tests.ingest.sirene.helpers import establishment, legal_unit, write_establishments, write_legal_units
from tremplin.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, dict]:
    out = StringIO()
    call_command("import_sirene", *map(str, args), "--json", stdout=out, stderr=StringIO())
    text = out.getvalue()
    return text, json.loads(text.strip().splitlines()[-1])


def fresh(org) -> Organisation:
    return Organisation.objects.get(pk=org.pk)


def test_both_files_enrich_organisations(orgs):
    text, summary = run(ESTABLISHMENTS, LEGAL_UNITS)

    alpha = fresh(orgs["alpha"])
    assert alpha.name == "ALPHA CONSEIL"  # the SIRET standing as a name was a placeholder
    assert alpha.search_text == "alpha conseil"
    assert alpha.address == "12 BIS AVENUE DE L OPERA"
    assert (alpha.postcode, alpha.commune_id, alpha.department_id) == ("75002", "75102", "75")
    assert alpha.naf_id == "62.01Z"
    assert (alpha.establishment_headcount_band, alpha.headcount_band, alpha.company_category) == ("11", "12", "PME")
    assert (alpha.size_category, alpha.size_source) == ("pme", "sirene")
    assert (alpha.legal_category, alpha.buyer_type, alpha.is_ess, alpha.is_closed) == ("5710", "", False, False)
    assert alpha.sirene_updated_at is not None

    alpha2 = fresh(orgs["alpha2"])  # same SIREN, no establishment row: the unit's facts only
    assert (alpha2.name, alpha2.headcount_band, alpha2.company_category) == ("ALPHA CONSEIL LYON", "12", "PME")
    assert (alpha2.address, alpha2.commune_id) == ("", None)

    beta = fresh(orgs["beta"])
    assert beta.name == "Bêta Bâtiment Rhône"  # typed on the platform: kept
    assert beta.address == "8 quai Perrache"  # idem
    assert beta.postcode == "69003"  # was blank
    assert (beta.commune_id, beta.department_id) == ("69123", "69")  # district 69383 → Lyon
    assert (beta.establishment_headcount_band, beta.headcount_band, beta.company_category) == ("32", "41", "ETI")
    assert beta.size_category == "eti"
    assert beta.is_ess is True

    gamma = fresh(orgs["gamma"])
    assert (gamma.is_closed, gamma.closed_on) == (True, date(2023, 6, 30))
    assert (gamma.headcount_band, gamma.company_category, gamma.size_category) == ("53", "GE", "ge")
    assert gamma.naf_id is None  # 70.10Z is not in our NAF table
    assert gamma.commune_id == "13055"

    micro = fresh(orgs["micro"])
    assert (micro.headcount_band, micro.company_category, micro.size_category) == ("03", "PME", "micro")
    assert micro.naf_id == "62.02A"  # the establishment's NAFRev1 code is ignored, the unit's APE fills the blank
    assert micro.address == "3 IMPASSE DES LILAS, BATIMENT C"

    commune = fresh(orgs["commune"])
    assert (commune.buyer_type, commune.legal_category) == ("commune", "7210")
    assert commune.name == "Ville de Boulogne-Billancourt"
    assert commune.commune_id == "92012"

    hospital = fresh(orgs["hospital"])
    assert (hospital.buyer_type, hospital.legal_category) == ("etablissement_public_sante", "7364")
    assert hospital.name == "CENTRE HOSPITALIER DE SAINT-DENIS"  # "Inconnu" was a placeholder
    assert hospital.commune_id is None  # 97499 is unknown
    assert (hospital.postcode, hospital.address) == ("97400", "2 RUE DE L HOPITAL")

    assert summary["read"] == 12 + 8
    assert summary["matched"] == 7 + 8
    assert (summary["updated"], summary["unchanged"]) == (15, 0)
    assert summary["skipped"] == {"column_count": 1, "invalid_siren": 1, "invalid_siret": 1}
    assert summary["warnings"] == {"partial_diffusion": 2, "unknown_commune": 1, "unknown_naf": 6}
    assert summary["fields"]["address"] == {"updated": 6, "kept": 1}  # 5 filled, 1 erased (DELTA)
    assert summary["fields"]["name"] == {"updated": 3, "kept": 5}
    assert [f["kind"] for f in summary["files"]] == ["etablissements", "unites_legales"]

    assert "ligne 4 : SIRET invalide — 00799819801018" in text
    assert "ligne 6 : nombre de colonnes incorrect — 10 colonnes au lieu de 54" in text
    assert "ligne 13 : SIREN illisible en première colonne" in text
    assert "1 ligne(s) : code commune inconnu" in text


def test_partial_diffusion_imports_no_address_nor_name_and_erases_imported_ones(orgs):
    run(ESTABLISHMENTS, LEGAL_UNITS)

    delta = fresh(orgs["delta"])
    assert (delta.address, delta.postcode, delta.commune_id, delta.department_id) == ("", "", None, None)
    assert delta.name == "SIREN 008235764"  # the personal name the import wrote earlier is gone
    assert delta.sirene_values == {}
    # The economic facts INSEE still publishes are kept.
    assert (delta.naf_id, delta.establishment_headcount_band, delta.legal_category) == ("41.20B", "NN", "1000")
    assert (delta.company_category, delta.size_category) == ("PME", "pme")


def test_partial_diffusion_keeps_what_was_typed_on_the_platform(orgs):
    delta = orgs["delta"]
    delta.address = "Atelier, 5 rue Neuve"  # typed by a member after the earlier import
    delta.name = "Durand Rénovation"
    delta.save()

    run(ESTABLISHMENTS, LEGAL_UNITS)

    delta = fresh(delta)
    assert (delta.address, delta.name) == ("Atelier, 5 rue Neuve", "Durand Rénovation")
    assert delta.commune_id is None  # this one had come from SIRENE


def test_second_run_changes_nothing_and_says_so(orgs):
    run(ESTABLISHMENTS, LEGAL_UNITS)
    before = {org.pk: org.updated_at for org in Organisation.objects.all()}

    with CaptureQueriesContext(connection) as queries:
        text, summary = run(ESTABLISHMENTS, LEGAL_UNITS)

    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert (summary["updated"], summary["unchanged"], summary["matched"]) == (0, 15, 15)
    assert all(counts.get("updated", 0) == 0 for counts in summary["fields"].values())
    assert "Aucun changement : les 15 organisation(s) trouvées étaient à jour." in text
    assert {org.pk: org.updated_at for org in Organisation.objects.all()} == before


def test_values_typed_on_the_platform_win_over_later_imports(orgs, tmp_path):
    run(ESTABLISHMENTS, LEGAL_UNITS)
    alpha = fresh(orgs["alpha"])
    alpha.address = "Tour Alpha, 12 bis avenue de l'Opéra"
    alpha.save()
    moved = establishment(
        "00799819801017",
        numeroVoieEtablissement="40",
        typeVoieEtablissement="RUE",
        libelleVoieEtablissement="DU LOUVRE",
        codePostalEtablissement="75001",
        codeCommuneEtablissement="75101",
        activitePrincipaleEtablissement="62.02A",
    )
    micro_moved = establishment(
        "00847333201071", numeroVoieEtablissement="9", typeVoieEtablissement="CHE", libelleVoieEtablissement="VERT"
    )

    _, summary = run(write_establishments(tmp_path / "etab.csv", [moved, micro_moved]))

    alpha = fresh(alpha)
    assert alpha.address == "Tour Alpha, 12 bis avenue de l'Opéra"  # typed: kept
    assert (alpha.postcode, alpha.commune_id) == ("75001", "75101")  # came from SIRENE: follow it
    assert alpha.naf_id == "62.02A"  # SIRENE-owned
    assert fresh(orgs["micro"]).address == "9 CHEMIN VERT"
    assert summary["fields"]["address"] == {"updated": 1, "kept": 1}


def test_reopened_establishment_and_new_company_category(orgs, tmp_path):
    run(ESTABLISHMENTS, LEGAL_UNITS)

    write_establishments(tmp_path / "etab.csv", [establishment("00815657201035", etatAdministratifEtablissement="A")])
    write_legal_units(tmp_path / "ul.csv", [legal_unit("008156572", categorieEntreprise="ETI")])
    run(tmp_path / "etab.csv", tmp_path / "ul.csv")

    gamma = fresh(orgs["gamma"])
    assert (gamma.is_closed, gamma.closed_on) == (False, None)
    # INSEE's category raises the size the band gives (10 000+ → GE stays GE: the larger wins).
    assert (gamma.company_category, gamma.headcount_band, gamma.size_category) == ("ETI", "53", "ge")


def test_gzip_and_zip_files(orgs, tmp_path):
    gz = tmp_path / "StockUniteLegale_utf8.csv.gz"
    gz.write_bytes(gzip.compress(LEGAL_UNITS.read_bytes()))
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(ESTABLISHMENTS, "StockEtablissement_utf8.csv")

    text, summary = run(archive, gz)

    assert [f["file"] for f in summary["files"]] == [
        "StockEtablissement_utf8.zip:StockEtablissement_utf8.csv",
        "StockUniteLegale_utf8.csv.gz",
    ]
    assert (summary["read"], summary["matched"], summary["updated"]) == (20, 15, 15)
    assert fresh(orgs["micro"]).size_category == "micro"


def test_dry_run_writes_nothing(orgs):
    text, summary = run(ESTABLISHMENTS, LEGAL_UNITS, "--dry-run")

    assert summary["updated"] == 15 and summary["dry_run"] is True
    assert "Simulation (--dry-run)" in text
    assert fresh(orgs["alpha"]).name == "00799819801017"


def test_files_are_checked_before_anything_is_written(orgs, tmp_path):
    other = tmp_path / "autre.csv"
    other.write_text("code,libelle\n62.01Z,Programmation\n", encoding="utf-8")

    with pytest.raises(CommandError, match="En-tête non reconnu"):
        call_command("import_sirene", str(ESTABLISHMENTS), str(other), stdout=StringIO())
    assert fresh(orgs["alpha"]).name == "00799819801017"

    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_sirene", str(tmp_path / "absent.csv"), stdout=StringIO())


def test_missing_required_column_is_refused(tmp_path, db):
    path = tmp_path / "etab.csv"
    shutil.copy(ESTABLISHMENTS, path)
    text = path.read_text(encoding="utf-8").replace("codeCommuneEtablissement", "codeCommune", 1)
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError, match="colonnes absentes : codeCommuneEtablissement"):
        call_command("import_sirene", str(path), stdout=StringIO())


def test_progress_is_written_to_stderr_when_asked(orgs):
    out, err = StringIO(), StringIO()
    call_command("import_sirene", str(ESTABLISHMENTS), "--progress", "--progress-every", "5", stdout=out, stderr=err)

    assert "StockEtablissement_utf8.csv : 5 lignes lues" in err.getvalue()
    assert "lignes/s" in err.getvalue()
    assert "lignes/s" not in out.getvalue().splitlines()[-1]


def test_establishment_band_alone_does_not_size_the_company(small_referentials, tmp_path):
    """A 10-person branch of a large group must not make it a microenterprise."""
    org = OrganisationFactory(siret="00799819801017", name="Alpha", declared_size_category="pme")
    write_establishments(tmp_path / "e.csv", [establishment(org.siret, trancheEffectifsEtablissement="02")])

    run(tmp_path / "e.csv")

    org = fresh(org)
    assert (org.establishment_headcount_band, org.headcount_band) == ("02", "")
    assert (org.size_category, org.size_source) == ("pme", "declared")


@pytest.mark.django_db
def test_enriched_buyer_department_becomes_the_territory_of_its_contracts_without_place(tmp_path, small_referentials):
    """A contract with no usable place of execution takes its buyer's department; SIRENE gives that department."""
    from tests.contracts.factories import ContractFactory
    from tests.factories import BuyerFactory
    from tremplin.contracts.models import TerritorySource
    from tremplin.contracts.territory import refresh_territories

    commune = next(iter(small_referentials.communes.values()))
    buyer = BuyerFactory()
    contract = ContractFactory(buyer=buyer, place_type="", place_code="")
    refresh_territories()
    contract.refresh_from_db()
    assert contract.territory_source == TerritorySource.UNKNOWN

    path = tmp_path / "StockEtablissement_utf8.csv"
    write_establishments(path, [establishment(buyer.siret, codeCommuneEtablissement=commune.code)])
    call_command("import_sirene", str(path), stdout=StringIO())

    contract.refresh_from_db()
    assert contract.territory_source == TerritorySource.BUYER
    assert contract.territory_department == commune.department_id
