"""What an import keeps: rejected records, flags, suspicious amounts, organisations, territories; the command's
output; archives."""

import gzip
import io
import json
import tarfile
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import OrganisationFactory, make_siret
from tremplin.contracts.models import Contract, ContractHolder, RejectedRecord, Source, SourceFile
from tremplin.ingest.decp.normalize import FLAGS, REJECTIONS
from tremplin.organisations.models import Organisation
from tremplin.organisations.rules import derive_size_category

from .conftest import BUYER, HOLDER_A, HOLDER_B, market, run_import, write_json

pytestmark = pytest.mark.django_db


def test_rejected_record_keeps_file_position_reason_and_payload(tmp_path):
    broken = {"objet": "Travaux sans identifiant", "acheteur": {"id": BUYER, "nom": "COMMUNE"}, "montant": 5}
    path = write_json(tmp_path / "r.json", [market(), broken])
    report = run_import(path, source="plateforme-x")

    record = RejectedRecord.objects.get()
    assert record.source_file.name == "r.json" and record.source_file.source.name == "plateforme-x"
    assert (record.position, record.reason_code) == ("marches[1]", "missing_contract_id")
    assert record.reason == REJECTIONS["missing_contract_id"]
    assert json.loads(record.payload) == broken
    assert report.summary()["rejected"] == 1
    assert SourceFile.objects.get().counts["rejections"] == {"missing_contract_id": 1}


def test_unreadable_file_is_one_rejection_with_the_syntax_error(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"marches": [' + json.dumps(market()) + ', {"id": "X", "objet": "coupé')
    summary = run_import(path).summary()
    assert (summary["read"], summary["created"], summary["rejected"]) == (2, 1, 1)
    fault = RejectedRecord.objects.get()
    assert fault.reason_code == "syntax_error" and fault.position == "marches[1]" and "tronqué" in fault.reason
    assert SourceFile.objects.get().error == fault.reason


@pytest.mark.parametrize(
    ("amount", "specific"),
    [
        (None, "amount_missing"),
        (0, "amount_placeholder"),
        (1, "amount_placeholder"),
        (-2500, "amount_negative"),
        (999_999, "amount_placeholder"),
        (1_500_000_000, "amount_too_large"),
        (2e17, "amount_too_large"),  # beyond what DecimalField(17, 2) holds: stored as null
        (54_000, None),
    ],
)
def test_suspicious_amounts_are_flagged_and_kept_out_of_sums(tmp_path, amount, specific):
    payload = market(amount=amount)
    if amount is None:
        del payload["montant"]
    run_import(write_json(tmp_path / "a.json", [payload]))
    contract = Contract.objects.get()
    assert contract.amount_suspicious is (specific is not None)
    if specific:
        assert {specific, "amount_suspicious"} <= set(contract.flags)
        assert FLAGS["amount_suspicious"].startswith("Montant suspect")
    if amount == 2e17:
        assert contract.amount_initial is None and contract.amount_current is None


def test_flags_are_stored_and_counted_by_rule(tmp_path):
    payload = market(codeCPV="4521222", dateNotification="0222-04-29")  # lost digit, year typing slip
    run_import(write_json(tmp_path / "f.json", [payload, market("2")]))
    flagged = Contract.objects.get(decp_id="2024-001")
    assert {"cpv_repaired", "date_repaired"} <= set(flagged.flags)
    counts = SourceFile.objects.get().counts
    assert counts["flagged"] == 1 and counts["flags"]["cpv_repaired"] == 1


def test_organisations_by_valid_siret_only(tmp_path):
    known = OrganisationFactory(siret=HOLDER_B, name="Nom saisi sur Tremplin", is_supplier=False, is_buyer=False)
    invalid = HOLDER_A[:-1] + str((int(HOLDER_A[-1]) + 1) % 10)
    payload = market(holders=(HOLDER_A, HOLDER_B))
    payload["titulaires"] += [
        {"typeIdentifiant": "SIRET", "id": invalid, "denominationSociale": "CLE FAUSSE"},
        {"typeIdentifiant": "TVA", "id": "FR12345678901", "denominationSociale": "SOCIETE TVA"},
        {"typeIdentifiant": "HORS-UE", "id": "GB-998877", "denominationSociale": "LONDON LTD"},
    ]
    run_import(write_json(tmp_path / "o.json", [payload]))

    assert set(Organisation.objects.values_list("siret", flat=True)) == {BUYER, HOLDER_A, HOLDER_B}
    buyer = Organisation.objects.get(siret=BUYER)
    assert (buyer.name, buyer.is_buyer, buyer.is_supplier, buyer.siren) == ("COMMUNE DE TEST", True, False, BUYER[:9])
    assert buyer.search_text == "commune de test"
    assert (buyer.size_category, buyer.size_source) == tuple(derive_size_category("", "", ""))
    known.refresh_from_db()
    assert (known.name, known.is_supplier) == ("Nom saisi sur Tremplin", True)  # linked, name kept
    holders = {h.identifier: h for h in ContractHolder.objects.select_related("organisation")}
    assert holders[HOLDER_A].organisation.siret == HOLDER_A and holders[HOLDER_B].organisation == known
    for identifier in (invalid, "FR12345678901", "GB-998877"):
        assert holders[identifier].organisation is None
    assert holders["GB-998877"].id_type == "HORS-UE"
    assert Contract.objects.get().buyer == buyer


def test_buyer_first_seen_as_supplier_gets_both_roles(tmp_path):
    run_import(write_json(tmp_path / "1.json", [market(holders=(make_siret(555),))]))
    other = market("X-1", holders=(HOLDER_A,))
    other["acheteur"] = {"id": make_siret(555), "nom": "SEM"}
    run_import(write_json(tmp_path / "2.json", [other]))
    organisation = Organisation.objects.get(siret=make_siret(555))
    assert organisation.is_buyer and organisation.is_supplier


def test_territory_from_the_place_of_execution_else_the_buyer(tmp_path, small_referentials):
    lyon = market("L", lieuExecution={"code": "69003", "typeCode": "Code postal", "nom": "Lyon"})
    nowhere = market("N", lieuExecution={"code": "", "typeCode": "", "nom": ""})
    OrganisationFactory(siret=BUYER, is_buyer=True, department=small_referentials.departments["13"])
    run_import(write_json(tmp_path / "t.json", [lyon, nowhere]))
    placed, unplaced = Contract.objects.get(decp_id="L"), Contract.objects.get(decp_id="N")
    assert (placed.territory_department, placed.territory_region, placed.territory_source) == ("69", "84", "execution")
    assert placed.place_type == "Code postal"
    assert (unplaced.territory_department, unplaced.territory_source) == ("13", "buyer")


def test_json_summary_is_the_last_line(tmp_path):
    path = write_json(tmp_path / "j.json", [market(), market(), market(holders=(HOLDER_B,))])
    out = StringIO()
    call_command("import_decp", str(path), "--json", "--no-snapshot", stdout=out)
    last = json.loads(out.getvalue().strip().splitlines()[-1])
    assert last == {
        "read": 3, "created": 2, "updated": 0, "duplicates": 1, "shared_ids": 1, "rejected": 0, "flagged": 0,
    }  # fmt: skip
    assert Source.objects.get().name == "j"  # default source: the file name without its extensions


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_decp", str(tmp_path / "absent.json"), stdout=StringIO())


def _payload(records) -> bytes:
    return json.dumps({"marches": records}).encode()


def test_archives(tmp_path):
    gz = tmp_path / "a.json.gz"
    gz.write_bytes(gzip.compress(_payload([market("G1")])))
    tgz = tmp_path / "b.tar.gz"
    with tarfile.open(tgz, "w:gz") as tar:
        for name, record in (("x/one.json", market("T1")), ("x/two.json", market("T2"))):
            data = _payload([record])
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    archive = tmp_path / "c.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("inner.json", _payload([market("Z1")]))
        zipped.writestr("nested.json.gz", gzip.compress(_payload([market("Z2")])))

    report = run_import(gz, tgz, archive)

    assert sorted(Contract.objects.values_list("decp_id", flat=True)) == ["G1", "T1", "T2", "Z1", "Z2"]
    assert [file.label for file in report.files] == [
        "a.json.gz", "b.tar.gz:x/one.json", "b.tar.gz:x/two.json", "c.zip:inner.json", "c.zip:nested.json",
    ]  # fmt: skip
    assert SourceFile.objects.count() == 5 and len(set(SourceFile.objects.values_list("fingerprint", flat=True))) == 5
    assert len(set(SourceFile.objects.filter(source__name="b").values_list("archive", flat=True))) == 1


def test_xml_and_2024_formats(tmp_path):
    xml = tmp_path / "m.xml"
    xml.write_text(
        "<?xml version='1.0' encoding='utf8'?><marches><marche><id>X-1</id><acheteur><id>" + BUYER + "</id>"
        "<nom>COMMUNE</nom></acheteur><nature>Marché</nature><objet>Voirie</objet><codeCPV>45233140</codeCPV>"
        "<procedure>Procédure adaptée</procedure><dureeMois>6</dureeMois><dateNotification>2023-05-04+02:00"
        "</dateNotification><montant>48000.50</montant><titulaires><titulaire><typeIdentifiant>SIRET"
        "</typeIdentifiant><id>" + HOLDER_A + "</id><denominationSociale>TP</denominationSociale></titulaire>"
        "</titulaires></marche></marches>",
        encoding="utf-8",
    )
    v2024 = tmp_path / "decp-2024.json"
    v2024.write_text(
        json.dumps(
            {
                "marches": {
                    "marche": [
                        {
                            "id": "24-7",
                            "acheteur": {"id": BUYER},
                            "nature": "Marché",
                            "objet": "Études",
                            "codeCPV": "71000000",
                            "procedure": "Procédure adaptée",
                            "dureeMois": 12,
                            "dateNotification": "2024-02-01",
                            "montant": 90000,
                            "offresRecues": 3,
                            "considerationsSociales": {"considerationSociale": ["Clause sociale"]},
                            "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": HOLDER_B}}],
                        }  # fmt: skip
                    ],
                    "contrat-concession": [],
                }
            }
        )
    )
    run_import(xml, v2024)
    from_xml, from_2024 = Contract.objects.get(decp_id="X-1"), Contract.objects.get(decp_id="24-7")
    assert (from_xml.format, str(from_xml.notification_date), str(from_xml.amount_initial)) == (
        "2019",
        "2023-05-04",
        "48000.50",
    )
    assert (from_2024.format, from_2024.offers_received, from_2024.social_considerations) == (
        "2024",
        3,
        ["Clause sociale"],
    )
    # The 2024 format publishes no names: the organisation is named after its SIRET until a name comes.
    assert Organisation.objects.get(siret=HOLDER_B).name == HOLDER_B
    run_import(write_json(tmp_path / "named.json", [market("N-1", holders=(HOLDER_B,))]))
    assert Organisation.objects.get(siret=HOLDER_B).name == f"ENTREPRISE {HOLDER_B[:4]}"
