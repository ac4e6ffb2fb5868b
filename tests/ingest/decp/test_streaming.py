"""Memory stays bounded whatever the file size; a truncated file yields the records before the damage, then a fault."""

import gzip
import json
import tracemalloc

from tremplin.ingest.decp.parse_xml import parse_xml
from tremplin.ingest.decp.reader import read_path
from tremplin.ingest.decp.records import ParseFault, RawRecord

RECORD = {
    "procedure": "Appel d'offres ouvert",
    "lieuExecution": {"code": "20000", "typeCode": "Code postal", "nom": "Ajaccio"},
    "nature": "Accord-cadre",
    "codeCPV": "90513500",
    "dureeMois": 48,
    "acheteur": {"id": "24201005600073", "nom": "Communauté d'Agglomération du Pays Ajaccien"},
    "datePublicationDonnees": "2019-01-16",
    "titulaires": [{"denominationSociale": "OVIVE", "id": "42399908500057", "typeIdentifiant": "SIRET"}],
    "_type": "Marché",
    "formePrix": "Révisable",
    "dateNotification": "2018-01-20",
    "objet": "Traitement des lixiviats issus de la décharge de Saint Antoine — lot n° {i}",
    "montant": 12345.5,
    "modifications": [],
}


def write_json(path, count, indent=2):
    template = json.dumps(RECORD, ensure_ascii=False, indent=indent)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"marches": [\n')
        for i in range(count):
            if i:
                out.write(",\n")
            out.write(template.replace("{i}", str(i)))
        out.write("\n]}\n")


def peak_while_reading(path) -> tuple[int, int, ParseFault | None]:
    """(records, peak traced bytes, last fault) while reading ``path`` without keeping the records."""
    count, fault = 0, None
    tracemalloc.start()
    try:
        for _member, item in read_path(path):
            if isinstance(item, RawRecord):
                count += 1
            else:
                fault = item
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak, fault


def test_large_json_in_bounded_memory(tmp_path):
    path = tmp_path / "big.json"
    write_json(path, 50_000)
    size = path.stat().st_size
    assert size > 30_000_000
    count, peak, fault = peak_while_reading(path)
    assert count == 50_000 and fault is None
    # One 1 MiB chunk decoded (a few MB of str at most) plus one record, whatever the file size.
    assert peak < 12_000_000, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"


def test_xml_memory_does_not_grow_with_the_file(tmp_path):
    record = (
        "<marche><id>{i}</id><acheteur><id>24201005600073</id><nom>Commune</nom></acheteur>"
        "<objet>Réfection de l’école n° {i}</objet><montant>1000</montant><titulaires><titulaire>"
        "<typeIdentifiant>SIRET</typeIdentifiant><id>42399908500057</id></titulaire></titulaires></marche>\n"
    )
    peaks = {}
    for count in (2_000, 8_000):
        path = tmp_path / f"decp-{count}.xml.gz"
        with gzip.open(path, "wt", encoding="utf-8") as out:
            out.write("<?xml version='1.0' encoding='utf8'?>\n<marches>\n")
            out.write("".join(record.replace("{i}", str(i)) for i in range(count)))
            out.write("</marches>\n")
        with gzip.open(path, "rb") as stream:
            tracemalloc.start()
            try:
                read = sum(1 for item in parse_xml(stream, "utf-8", chunk_size=65_536) if isinstance(item, RawRecord))
                peaks[count] = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
        assert read == count
    # Four times more records (2.9 MB of XML against 64 KiB chunks), no more memory.
    assert peaks[8_000] < peaks[2_000] + 500_000, peaks


def test_truncated_json_yields_records_then_a_fault(tmp_path):
    path = tmp_path / "cut.json"
    write_json(path, 3_000)
    data = path.read_bytes()
    cut = data.index(b'"objet"', len(data) // 2)  # in the middle of a record, half-way through the file
    path.write_bytes(data[:cut])
    items = [item for _member, item in read_path(path)]
    records = [item for item in items if isinstance(item, RawRecord)]
    assert 1_000 < len(records) < 3_000
    assert [r.position for r in records] == [f"marches[{i}]" for i in range(len(records))]
    fault = items[-1]
    assert isinstance(fault, ParseFault) and fault.fatal and fault.code == "syntax_error"
    assert fault.position == f"marches[{len(records)}]" and "tronqué" in fault.reason


def test_syntax_error_mid_file(tmp_path):
    path = tmp_path / "broken.json"
    write_json(path, 2_000)
    data = path.read_bytes()
    middle = data.index(b'"nature"', len(data) // 2)
    path.write_bytes(data[:middle] + b"}}" + data[middle:])
    items = [item for _member, item in read_path(path)]
    fault = items[-1]
    assert isinstance(fault, ParseFault) and fault.code == "syntax_error" and "ligne" in fault.reason
    assert sum(isinstance(i, RawRecord) for i in items) == int(fault.position.split("[")[1].rstrip("]"))
