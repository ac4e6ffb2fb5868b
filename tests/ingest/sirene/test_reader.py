import gzip
import io
import zipfile

import pytest

from tests.ingest.sirene.conftest import ESTABLISHMENTS, LEGAL_UNITS
from tremplin.ingest.sirene.columns import ESTABLISHMENT_COLUMNS, LEGAL_UNIT_COLUMNS
from tremplin.ingest.sirene.reader import FileKind, SireneFile, SireneFormatError, detect_kind, open_sources


def read_all(source: SireneFile, wanted) -> tuple[list, list]:
    bad = []
    rows = list(source.candidates(wanted, bad.append))
    return rows, bad


def test_kind_comes_from_the_header():
    assert detect_kind(list(ESTABLISHMENT_COLUMNS)) is FileKind.ESTABLISHMENTS
    assert detect_kind(list(LEGAL_UNIT_COLUMNS)) is FileKind.LEGAL_UNITS
    # The 48-column establishment layout of 2019-2023 (before the address identifier, the Lambert coordinates,
    # the last street number and NAF 2025 columns) reads as well: columns are taken by name.
    added = ("identifiantAdresse", "coordonneeLambert", "dernierNumeroVoie", "DernierNumeroVoie", "NAF25")
    old = [c for c in ESTABLISHMENT_COLUMNS if not any(part in c for part in added)]
    assert len(old) == 48
    assert detect_kind(old) is FileKind.ESTABLISHMENTS
    with pytest.raises(SireneFormatError, match="En-tête non reconnu"):
        detect_kind(["code", "libelle"])
    with pytest.raises(SireneFormatError, match="colonnes absentes : nic, statutDiffusionEtablissement,"):
        detect_kind(["siren", "siret", "etatAdministratifEtablissement"])


def test_fixture_files_read_by_name_and_only_wanted_sirens_are_parsed():
    with open_sources(ESTABLISHMENTS) as [(label, stream)]:
        source = SireneFile(label, stream)
        rows, bad = read_all(source, {"007998198", "008473332"})
    assert source.kind is FileKind.ESTABLISHMENTS
    assert [(number, row["siret"]) for number, row in rows] == [
        (2, "00799819801017"),
        (3, "00799819803039"),
        (4, "00799819801018"),
        (11, "00847333201071"),
    ]
    assert rows[3][1]["libelleVoieEtablissement"] == "DES LILAS, BATIMENT C"  # quoted field with a comma
    assert [(b.line, b.reason) for b in bad] == [(13, "invalid_siren")]
    assert source.rows == 12


def test_short_row_is_reported_with_its_line():
    with open_sources(ESTABLISHMENTS) as [(label, stream)]:
        rows, bad = read_all(SireneFile(label, stream), {"008077380"})
    assert [number for number, _ in rows] == [5]
    assert [(b.line, b.reason, b.excerpt) for b in bad] == [
        (6, "column_count", "10 colonnes au lieu de 54"),
        (13, "invalid_siren", "NON-SIREN,00000,X,O"),
    ]


def test_multi_line_quoted_field_keeps_line_numbers(tmp_path):
    header = ",".join(LEGAL_UNIT_COLUMNS)
    width = len(LEGAL_UNIT_COLUMNS)
    multi = '008077380,O,,,"SIGLE\nSUR DEUX LIGNES"' + "," * (width - 5)
    plain = "007998198,O" + "," * (width - 2)
    path = tmp_path / "ul.csv"
    path.write_text(f"\ufeff{header}\n{multi}\n{plain}\n", encoding="utf-8")  # with a BOM, as Excel writes

    with open_sources(path) as [(label, stream)]:
        source = SireneFile(label, stream)
        rows, bad = read_all(source, {"008077380", "007998198"})
    assert source.kind is FileKind.LEGAL_UNITS
    assert [(number, row["siren"]) for number, row in rows] == [(2, "008077380"), (4, "007998198")]
    assert bad == []


def test_stray_quote_does_not_swallow_the_next_lines(tmp_path):
    width = len(LEGAL_UNIT_COLUMNS)
    stray = '007998198,O,,,LE "PETIT' + "," * (width - 5)  # a quote inside an unquoted field opens nothing
    plain = "008077380,O" + "," * (width - 2)
    path = tmp_path / "ul.csv"
    path.write_text(",".join(LEGAL_UNIT_COLUMNS) + f"\n{stray}\n{plain}\n", encoding="utf-8")

    with open_sources(path) as [(label, stream)]:
        rows, bad = read_all(SireneFile(label, stream), {"008077380", "007998198"})
    assert [(number, row["siren"]) for number, row in rows] == [(2, "007998198"), (3, "008077380")]
    assert bad == []


def test_quote_never_closed_costs_one_bounded_record(tmp_path):
    width = len(LEGAL_UNIT_COLUMNS)
    broken = '007998198,O,,,"OUVERT' + "," * (width - 5)
    plains = [f"{n:09d},O" + "," * (width - 2) for n in range(100)]
    path = tmp_path / "ul.csv"
    path.write_text("\n".join([",".join(LEGAL_UNIT_COLUMNS), broken, *plains]) + "\n", encoding="utf-8")

    with open_sources(path) as [(label, stream)]:
        source = SireneFile(label, stream)
        rows, bad = read_all(source, {"000000099"})
    assert [(b.line, b.reason) for b in bad] == [(2, "unreadable")]
    assert [number for number, _ in rows] == [102]  # reading went on after the 51 lines given up
    assert source.rows == 1 + 100 - 50


def test_gzip_and_zip_sources(tmp_path):
    gz = tmp_path / "StockUniteLegale_utf8.csv.gz"
    gz.write_bytes(gzip.compress(LEGAL_UNITS.read_bytes()))
    archive = tmp_path / "stock.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(ESTABLISHMENTS, "StockEtablissement_utf8.csv")
        zf.writestr("LISEZMOI.txt", "pas une table")

    with open_sources(gz) as [(label, stream)]:
        assert SireneFile(label, stream).kind is FileKind.LEGAL_UNITS
    with open_sources(archive) as sources:
        assert [label for label, _ in sources] == ["stock.zip:StockEtablissement_utf8.csv"]
        assert SireneFile(*sources[0]).kind is FileKind.ESTABLISHMENTS


def test_empty_or_foreign_files_are_refused(tmp_path):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with open_sources(empty) as [(label, stream)], pytest.raises(SireneFormatError, match="fichier vide"):
        SireneFile(label, stream)
    with pytest.raises(FileNotFoundError):
        with open_sources(tmp_path / "absent.csv"):
            pass


def test_progress_callback(tmp_path):
    seen = []
    text = ",".join(LEGAL_UNIT_COLUMNS) + "\n" + "".join(f"{n:09d},O\n" for n in range(25))
    stream = io.BytesIO(text.encode())
    source = SireneFile("test", stream)
    rows, bad = [], []
    for item in source.candidates(set(), bad.append, seen.append, progress_every=10):
        rows.append(item)
    assert [p.rows for p in seen] == [10, 20]
    assert rows == [] and bad == [] and source.rows == 25
