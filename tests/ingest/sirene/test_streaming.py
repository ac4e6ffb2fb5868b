"""A stock file far larger than what we hold: rows not ours are skipped unparsed, memory stays flat."""

import gzip
import time
import tracemalloc

import pytest

from tests.factories import OrganisationFactory, make_siret
from tremplin.ingest.sirene.columns import ESTABLISHMENT_COLUMNS
from tremplin.ingest.sirene.service import import_sirene
from tremplin.organisations.models import Organisation

ROWS = 200_000
OURS = 10


def row(siret: str, n: int) -> str:
    """One establishment line of realistic width (~250 characters) in the 54-column layout."""
    values = dict.fromkeys(ESTABLISHMENT_COLUMNS, "")
    values |= {
        "siren": siret[:9],
        "nic": siret[9:],
        "siret": siret,
        "statutDiffusionEtablissement": "O",
        "dateCreationEtablissement": "2008-04-01",
        "trancheEffectifsEtablissement": "11",
        "anneeEffectifsEtablissement": "2023",
        "dateDernierTraitementEtablissement": "2025-01-17T03:11:52",
        "etablissementSiege": "true",
        "nombrePeriodesEtablissement": "3",
        "numeroVoieEtablissement": str(n % 200 + 1),
        "typeVoieEtablissement": "RUE",
        "libelleVoieEtablissement": "DE LA REPUBLIQUE",
        "codePostalEtablissement": "75002",
        "libelleCommuneEtablissement": "PARIS 2",
        "codeCommuneEtablissement": "75102",
        "identifiantAdresseEtablissement": "75102_8118_00012",
        "coordonneeLambertAbscisseEtablissement": "651933.2",
        "coordonneeLambertOrdonneeEtablissement": "6863051.9",
        "dateDebut": "2019-06-01",
        "etatAdministratifEtablissement": "A",
        "enseigne1Etablissement": "ENSEIGNE",
        "activitePrincipaleEtablissement": "62.01Z",
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
        "caractereEmployeurEtablissement": "O",
    }
    return ",".join(values.values()) + "\n"


@pytest.fixture
def big_file(tmp_path, small_referentials):
    ours = [make_siret(5000 + n) for n in range(OURS)]
    for siret in ours:
        OrganisationFactory(siret=siret, name=siret)
    positions = {ROWS * (k + 1) // (OURS + 1): siret for k, siret in enumerate(ours)}
    path = tmp_path / "StockEtablissement_utf8.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as stream:
        stream.write(",".join(ESTABLISHMENT_COLUMNS) + "\n")
        for n in range(ROWS):
            siret = positions.get(n) or f"{100_000_000 + n * 37:09d}{n % 100_000:05d}"
            stream.write(row(siret, n))
    return path


@pytest.mark.django_db
def test_large_file_streams_with_bounded_memory(big_file, capsys):
    started = time.perf_counter()
    report = import_sirene([big_file])
    elapsed = time.perf_counter() - started

    summary = report.summary()
    assert (summary["read"], summary["matched"], summary["updated"]) == (ROWS, OURS, OURS)
    assert Organisation.objects.filter(commune_id="75102", naf_id="62.01Z").count() == OURS
    assert elapsed < 10, f"{elapsed:.1f} s"

    tracemalloc.start()
    try:
        again = import_sirene([big_file])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert again.summary()["updated"] == 0
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"  # 1 MB read buffers; the file is ~50 MB unzipped

    with capsys.disabled():
        print(
            f"\n[sirene] {ROWS} lignes (gzip) en {elapsed:.2f} s : {ROWS / elapsed:,.0f} lignes/s ; "
            f"pic mémoire (tracemalloc, 2e passage) {peak / 1e6:.2f} Mo"
        )
