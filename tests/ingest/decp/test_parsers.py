"""Format detection and the three streaming parsers, on small inline documents that reproduce the real faults."""

import io
import json

import pytest

from tremplin.ingest.decp.detect import sniff
from tremplin.ingest.decp.parse_csv import parse_csv, tabular_payload
from tremplin.ingest.decp.parse_json import parse_json, sniff_envelope
from tremplin.ingest.decp.parse_xml import parse_xml
from tremplin.ingest.decp.reader import open_records
from tremplin.ingest.decp.records import ParseFault, RawRecord


def read(data: bytes | str) -> list:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(open_records(io.BytesIO(data)))


def records(items) -> list[RawRecord]:
    return [item for item in items if isinstance(item, RawRecord)]


def faults(items) -> list[ParseFault]:
    return [item for item in items if isinstance(item, ParseFault)]


MARCHE = {"id": "A1", "acheteur": {"id": "24201005600073"}, "montant": 1000, "objet": "Réfection"}

# -- detection --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "syntax", "detail"),
    [
        (b'{"marches": [', "json", "2019"),
        (b'\xef\xbb\xbf  {\n "marches" : {"marche": [', "json", "2024"),  # BOM
        (b'{"$schema": "https://x/paquet.json", "source": "data.gouv.fr_pes", "marches": [', "json", "2019"),  # pes
        (b'[{"id": "A"}]', "json", "list"),
        (b'{"id": "A", "acheteur": {"id": "1"}}', "json", "object"),
        (b"<?xml version='1.0' encoding='utf8'?>\n<marches><marche>", "xml", "marches"),  # meg22
        (b'<?xml version="1.0"?><!-- c --><m:marches xmlns:m="x">', "xml", "marches"),
        (b"uid,id,type,codeCPV,acheteur_id,acheteur_nom\n", "csv", ","),  # tabular
        (b"uid;id;acheteur_id;montant\n", "csv", ";"),
        (b"   \n", "empty", None),
        (b"", "empty", None),
        (b"hello world", "unknown", None),
    ],
)
def test_sniff(head, syntax, detail):
    sniffed, stream = sniff(io.BytesIO(head))
    assert (sniffed.syntax, sniffed.detail) == (syntax, detail)
    assert stream.read() == head.removeprefix(b"\xef\xbb\xbf")


def test_sniff_encoding():
    latin = "<?xml version='1.0' encoding='ISO-8859-1'?><marches><marche><objet>Réfection</objet>".encode("cp1252")
    assert sniff(io.BytesIO(latin))[0].encoding == "cp1252"
    # A file declared Latin-1 whose bytes are valid UTF-8 is UTF-8.
    mislabelled = "<?xml version='1.0' encoding='ISO-8859-1'?><marches><objet>Réfection</objet>".encode()
    assert sniff(io.BytesIO(mislabelled))[0].encoding == "utf-8"
    assert sniff(io.BytesIO('{"marches": [{"objet": "Réfection"}]}'.encode("cp1252")))[0].encoding == "cp1252"
    assert sniff(io.BytesIO(b"\xff\xfe" + '{"marches": []}'.encode("utf-16-le")))[0].encoding == "utf-16-le"


def test_sniff_envelope_without_marches_in_head():
    assert sniff_envelope('{"$schema": "x", "source": "y"') == "object"


# -- JSON -------------------------------------------------------------------------------------------------------------


def test_json_2019_envelope_and_kinds():
    doc = {"marches": [MARCHE, {"_type": "Contrat de concession", "id": "C1"}, {"id": "C2", "autoriteConcedante": {}}]}
    items = read(json.dumps(doc))
    assert [(r.position, r.kind, r.format) for r in items] == [
        ("marches[0]", "marche", "2019"),
        ("marches[1]", "concession", "2019"),
        ("marches[2]", "concession", "2019"),
    ]
    assert items[0].payload == MARCHE


def test_json_2024_envelope_both_lists():
    # Official example marches_concessions.json: concessions first, then markets.
    doc = {"marches": {"contrat-concession": [{"id": "C"}], "autre": [1, 2], "marche": [MARCHE, MARCHE]}}
    items = read(json.dumps(doc))
    assert [(r.position, r.kind, r.format) for r in items] == [
        ("marches.contrat-concession[0]", "concession", "2024"),
        ("marches.marche[0]", "marche", "2024"),
        ("marches.marche[1]", "marche", "2024"),
    ]


def test_json_2024_single_object_instead_of_list():
    items = read(json.dumps({"marches": {"marche": MARCHE}}))
    assert [(r.position, r.kind) for r in items] == [("marches.marche", "marche")]


def test_json_per_upload_file_with_schema_first():
    # decp-rama_2019-02_pes_per_buyer_files: {"$schema": ..., "source": ..., "marches": [...]}
    doc = '{\n  "$schema": "https://raw.githubusercontent.com/x/paquet.json",\n  "source": "data.gouv.fr_pes",\n'
    doc += '  "marches": [' + json.dumps(MARCHE) + '],\n  "extra": {"a": [1]}\n}'
    assert [r.position for r in read(doc)] == ["marches[0]"]


def test_json_bare_list_and_single_record():
    assert [(r.position, r.format) for r in read(json.dumps([MARCHE, {**MARCHE, "offresRecues": 2}]))] == [
        ("[0]", "2019"),
        ("[1]", "2024"),
    ]
    assert [r.position for r in read(json.dumps(MARCHE))] == ["$"]


def test_json_nan_literals_and_control_characters():
    doc = '{"marches": [{"id": "A", "montant": NaN, "dureeMois": Infinity, "objet": "a\tb\x01c"}]}'
    (record,) = read(doc)
    assert record.payload["montant"] != record.payload["montant"]  # NaN
    assert record.payload["objet"] == "a\tb\x01c"


def test_json_bom():
    (record,) = read(b"\xef\xbb\xbf" + json.dumps({"marches": [MARCHE]}).encode())
    assert record.payload["id"] == "A1"


def test_json_invalid_escape_repaired():
    doc = r'{"marches": [{"id": "A", "objet": "dossier C:\travaux\divers"}, {"id": "B"}]}'
    items = read(doc)
    assert [r.payload["id"] for r in items] == ["A", "B"]
    assert items[0].payload["objet"] == "dossier C:\travaux\\divers"  # "\t" is a valid escape, "\d" is not
    assert items[0].notes == ("json_escape_repaired",)
    assert items[1].notes == ()


def test_json_unescaped_quotes_repaired():
    # Shape of the marches-publics.info (AWS) fault: "CONSTRUCTION D'UN BÂTIMENT "PÔLE JEUNES""
    doc = '{"marches": [{"id": "A", "objet": "BATIMENT "POLE JEUNES"", "montant": 1}, {"id": "B"}]}'
    items = read(doc)
    assert items[0].payload == {"id": "A", "objet": 'BATIMENT "POLE JEUNES"', "montant": 1}
    assert items[0].notes == ("json_quote_repaired",) and items[1].payload == {"id": "B"}


def test_json_syntax_error_stops_the_file_with_a_fault():
    doc = '{"marches": [\n{"id": "A"},\n{"id": "B" "x": 1},\n{"id": "C"}\n]}'
    items = read(doc)
    assert [r.payload["id"] for r in records(items)] == ["A"]
    (fault,) = faults(items)
    assert fault.position == "marches[1]" and fault.code == "syntax_error" and fault.fatal
    assert "ligne 3" in fault.reason and "abandonnée" in fault.reason
    assert items[-1] is fault


def test_json_truncated_file():
    doc = json.dumps({"marches": [MARCHE, MARCHE, MARCHE]})
    items = read(doc[: doc.rindex("{") + 10])
    assert len(records(items)) == 2
    (fault,) = faults(items)
    assert fault.position == "marches[2]" and fault.code == "syntax_error"


def test_json_truncated_between_records():
    items = read('{"marches": [{"id": "A"}, ')
    assert len(records(items)) == 1 and faults(items)[0].position == "marches[1]"


@pytest.mark.parametrize(
    ("doc", "code"),
    [
        ('{"marches": []}', "empty_file"),  # empty envelope (files under 180 bytes)
        ('{"marches": {"marche": [], "contrat-concession": []}}', "empty_file"),
        ("", "empty_file"),
        ('{"foo": 1}', "unknown_format"),
        ("[]", "empty_file"),
    ],
)
def test_json_empty_or_foreign(doc, code):
    items = read(doc)
    assert [(f.code, f.fatal) for f in faults(items)] == [(code, True)] and not records(items)


@pytest.mark.parametrize("chunk_size", [1, 3, 7, 64])
def test_json_tiny_chunks_give_the_same_records(chunk_size):
    """Chunk boundaries fall inside strings, numbers, escapes, literals and multi-byte characters."""
    doc = {
        "$schema": "x",
        "marches": [
            {**MARCHE, "montant": 123456.789, "ok": True, "nul": None, "txt": 'é"\\\u00e9\u20ac😀'},
            {"id": "B", "list": [1, 2.5e3, -7, False], "nested": {"a": {"b": []}}},
        ],
    }
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode()
    items = list(parse_json(io.BytesIO(data), chunk_size=chunk_size))
    assert [r.payload for r in items] == doc["marches"]


def test_json_repairs_across_chunks():
    doc = r'{"marches": [{"id": "A", "objet": "x\y \"z\" BAT "POLE" fin", "n": 12345678}]}'
    items = list(parse_json(io.BytesIO(doc.encode()), chunk_size=5))
    assert items[0].payload == {"id": "A", "objet": 'x\\y "z" BAT "POLE" fin', "n": 12345678}


# -- XML --------------------------------------------------------------------------------------------------------------

XML_2019 = """<?xml version='1.0' encoding='utf8'?>
<marches>
  <marche>
    <id>20222021S0000100</id>
    <acheteur><id>21350204000016</id><nom>Commune de Nouvoitou </nom></acheteur>
    <nature>Marché</nature>
    <objet>Réfection\x01 de l’école</objet>
    <montant>7281.18</montant>
    <formePrix />
    <titulaires>
      <titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>30130960500410</id></titulaire>
    </titulaires>
    <modifications><modification/></modifications>
  </marche>
  <contrat-concession><id>C1</id><valeurGlobale>10.3</valeurGlobale></contrat-concession>
</marches>
"""


def test_xml_2019_utf8_declaration_controls_and_shape():
    # megalis decp-2022.xml: encoding='utf8' (rejected by expat on bytes); ASCII controls; empty elements.
    items = read(XML_2019)
    assert [(r.position, r.kind, r.format) for r in items] == [
        ("<marche> #1", "marche", "2019"),
        ("<contrat-concession> #1", "concession", "2019"),
    ]
    payload = items[0].payload
    assert payload["objet"] == "Réfection de l’école"
    assert payload["acheteur"] == {"id": "21350204000016", "nom": "Commune de Nouvoitou "}
    assert payload["formePrix"] == ""
    assert payload["titulaires"] == [{"typeIdentifiant": "SIRET", "id": "30130960500410"}]  # 2019 JSON shape
    assert payload["modifications"] == [""]


XML_2024 = """<marches><marche>
  <id>TEST2022</id><acheteur><id>21750001630040</id></acheteur><offresRecues>4</offresRecues>
  <considerationsSociales><considerationSociale>Clause sociale</considerationSociale>
    <considerationSociale>Critère social</considerationSociale></considerationsSociales>
  <techniques><technique>Concours</technique></techniques>
  <titulaires><titulaire><id>55204599900869</id><typeIdentifiant>SIRET</typeIdentifiant></titulaire></titulaires>
  <modifications><modification><id>1</id><titulaires><titulaire><id>1</id></titulaire></titulaires></modification>
  </modifications>
</marche></marches>"""


def test_xml_2024_keeps_the_json_2024_shape():
    # Official example exemples/xml/Marche.xml
    (record,) = read(XML_2024)
    assert record.format == "2024"
    payload = record.payload
    assert payload["considerationsSociales"] == {"considerationSociale": ["Clause sociale", "Critère social"]}
    assert payload["techniques"] == {"technique": ["Concours"]}
    assert payload["titulaires"] == [{"titulaire": {"id": "55204599900869", "typeIdentifiant": "SIRET"}}]
    assert payload["modifications"] == [{"modification": {"id": "1", "titulaires": [{"titulaire": {"id": "1"}}]}}]


def test_xml_packed_items_are_split():
    # megalis decp-2022-03-25 <marche> #12: two holders in one <titulaire>; #99: two modifications in one.
    doc = """<marches><marche><id>2021/CB/2100</id>
      <titulaires><titulaire>
        <denominationSociale>3 IA</denominationSociale><id>79151186800014</id><typeIdentifiant>SIRET</typeIdentifiant>
        <denominationSociale>Atelier</denominationSociale><id>09413459000010</id><typeIdentifiant>SIRET</typeIdentifiant>
      </titulaire></titulaires>
      <modifications><modification>
        <dateNotificationModification>2021-09-22+02:00</dateNotificationModification><montant>86000</montant>
        <dateNotificationModification>2021-03-24+01:00</dateNotificationModification><montant>85400</montant>
      </modification></modifications>
    </marche></marches>"""
    (record,) = read(doc)
    assert record.payload["titulaires"] == [
        {"denominationSociale": "3 IA", "id": "79151186800014", "typeIdentifiant": "SIRET"},
        {"denominationSociale": "Atelier", "id": "09413459000010", "typeIdentifiant": "SIRET"},
    ]
    assert [m["montant"] for m in record.payload["modifications"]] == ["86000", "85400"]


def test_xml_repeated_plain_elements_become_lists():
    (record,) = read("<marches><marche><id>A</id><note>x</note><note>y</note></marche></marches>")
    assert record.payload == {"id": "A", "note": ["x", "y"]}


def test_xml_invalid_character_references_removed():
    (record,) = read("<marches><marche><id>A</id><objet>a&#1;b&#x1F;c&#233;</objet></marche></marches>")
    assert record.payload["objet"] == "abcé"


def test_xml_latin1_file():
    data = "<?xml version='1.0' encoding='ISO-8859-1'?><marches><marche><id>A</id><objet>Réfection l’été</objet>"
    data += "</marche></marches>"
    (record,) = read(data.encode("cp1252"))
    assert record.payload["objet"] == "Réfection l’été"


def test_xml_syntax_error_after_records():
    doc = "<marches><marche><id>A</id></marche><marche><id>B</id><objet>x</marche></marches>"
    items = read(doc)
    assert [r.payload["id"] for r in records(items)] == ["A"]
    (fault,) = faults(items)
    assert fault.position == "<marche> #2" and fault.code == "syntax_error" and "ligne 1" in fault.reason


def test_xml_doctype_refused():
    doc = '<?xml version="1.0"?><!DOCTYPE marches [<!ENTITY a "b">]><marches><marche><id>&a;</id></marche></marches>'
    (fault,) = read(doc)
    assert fault.code == "forbidden_markup"


@pytest.mark.parametrize(
    ("doc", "code"),
    [
        ("<marches/>", "empty_file"),
        ("<ContractNotice><a/></ContractNotice>", "unknown_format"),  # an eForms notice is not DECP
    ],
)
def test_xml_empty_or_foreign(doc, code):
    assert [f.code for f in read(doc)] == [code]


def test_xml_single_record_document():
    (record,) = read("<marche><id>A</id></marche>")
    assert record.payload == {"id": "A"} and record.position == "<marche> #1"


@pytest.mark.parametrize("chunk_size", [1, 5, 64])
def test_xml_tiny_chunks(chunk_size):
    data = (XML_2019 + "").replace("Réfection", "Réfection&#1;").encode()
    items = list(parse_xml(io.BytesIO(data), "utf-8", chunk_size=chunk_size))
    assert [r.position for r in items] == ["<marche> #1", "<contrat-concession> #1"]
    assert items[0].payload["objet"] == "Réfection de l’école"


# -- CSV --------------------------------------------------------------------------------------------------------------

CSV = (
    "uid,id,type,codeCPV,acheteur_id,acheteur_nom,titulaire_id,titulaire_nom,montant,dateNotification,"
    "procedure,dureeMois,offresRecues,acheteur_departement_code,titulaire_departement_code\n"
    "2000625860015720241300104,20241300104,Travaux,45214200,20006258600157,COMMUNE DE FILLIERE (MAIRIE),"
    '42199758600035,"ALU CONCEPT, HABITAT",61100,2025-01-01,Procédure adaptée,12,1,74,73\n'
    "\n"
    "x,y\n"
    "20006258600157202413008,202413008,Travaux,45214200,20006258600157,COMMUNE DE FILLIERE (MAIRIE),"
    "83380264800026,ELEC ET COMPAGNIE,65900,2025-01-01,Procédure adaptée,12,1,74,74\n"
)


def test_csv_rows_become_json_shaped_records():
    # First rows of decp-processing-tabular_2024H2_travaux_cpv4521.csv.gz
    items = read(b"\xef\xbb\xbf" + CSV.encode())
    assert [(getattr(i, "position", None), type(i).__name__) for i in items] == [
        ("row 1", "RawRecord"),
        ("row 2", "ParseFault"),
        ("row 3", "RawRecord"),
    ]
    first = items[0]
    assert first.kind == "marche" and first.format == "tabular"
    assert first.payload["acheteur"] == {
        "id": "20006258600157",
        "nom": "COMMUNE DE FILLIERE (MAIRIE)",
        "departement_code": "74",
    }
    assert first.payload["titulaires"] == [
        {"id": "42199758600035", "denominationSociale": "ALU CONCEPT, HABITAT", "departement_code": "73"}
    ]
    assert first.payload["montant"] == "61100" and first.payload["type"] == "Travaux"
    assert items[1].fatal is False and items[1].code == "syntax_error"


def test_csv_semicolon_and_dotted_columns():
    data = "id;acheteur.id;titulaire.id;lieuExecution_code;lieuExecution_typeCode;nature\nA;1;2;75;Code postal;DSP\n"
    (record,) = read(data)
    assert record.payload == {
        "id": "A",
        "acheteur": {"id": "1"},
        "titulaires": [{"id": "2"}],
        "lieuExecution": {"code": "75", "typeCode": "Code postal"},
        "nature": "DSP",
    }


def test_csv_header_only():
    assert [f.code for f in parse_csv(io.BytesIO(b"uid,id,acheteur_id\n"))] == ["empty_file"]


def test_tabular_payload_skips_empty_cells():
    assert tabular_payload({"id": "A", "montant": " ", "titulaire_id": ""}) == {"id": "A"}
