"""Every real DECP file, official example and edge case imports without a crash, with known counts; importing it
again creates nothing."""

import pytest

from tests.ingest.decp.conftest import requires_data
from tremplin.contracts.models import Contract, ContractHolder, RejectedRecord, SourceFile

from .conftest import DECP_DIR, run_import

pytestmark = [pytest.mark.django_db, requires_data]

# file → (read, created, updated, duplicates, shared ids, rejected, flagged), each file imported alone.
EXPECTED = {
    "edge_cases/decp-processing_test_2019.json": (2, 2, 0, 0, 0, 0, 2),
    "edge_cases/decp-processing_test_2022.json": (5, 5, 0, 0, 0, 0, 4),
    "edge_cases/decp-table-schema-utils/anomalies/autres.json": (1, 0, 0, 0, 0, 1, 0),
    "edge_cases/decp-table-schema-utils/anomalies/dureeMois0.json": (1, 1, 0, 0, 0, 0, 1),
    "edge_cases/decp-table-schema-utils/anomalies/dureeMois1201.json": (1, 1, 0, 0, 0, 0, 1),
    "edge_cases/decp-table-schema-utils/anomalies/idIdent.json": (1, 1, 0, 0, 0, 0, 0),
    "edge_cases/decp-table-schema-utils/anomalies/montantNegatif.json": (1, 1, 0, 0, 0, 0, 1),
    "edge_cases/decp-table-schema-utils/test1.json": (1, 1, 0, 0, 0, 0, 0),
    "edge_cases/decp-table-schema-utils/test2.json": (1, 1, 0, 0, 0, 0, 0),
    "edge_cases/eclaireur-public_ci_raw_marches_2019.json": (3, 3, 0, 0, 0, 0, 0),
    # 110 per-upload files (archive members), all distinct contracts.
    "real/format_2019/decp-rama_2019-02_pes_per_buyer_files.tar.gz": (233, 233, 0, 0, 0, 0, 12),
    "real/format_2019/decp-rama_2019-03_marches-publics.info.json.gz": (4509, 4499, 7, 3, 3, 0, 325),
    # 263 records repeat a (buyer, id): 42 later copies replace the stored one, 193 are plain copies, 23 are
    # lots sharing an id (other date or holders); 8 rejected (7 without id, 1 without buyer).
    "real/format_2019/decp-rama_2019-04_data.gouv.fr_aife.json.gz": (4530, 4287, 42, 193, 23, 8, 3988),
    "real/format_2019/decp-rama_2019-04_data.gouv.fr_pes.json.gz": (1148, 1140, 6, 2, 0, 0, 177),
    "real/format_2019/decp-rama_2019-04_e-marchespublics.json.gz": (470, 465, 1, 4, 24, 0, 19),
    # 33 records without id; ids shared by lots (one id per lot family).
    "real/format_2019/marches-securises_ville-de-croix_2019-2021.json": (159, 124, 0, 2, 13, 33, 93),
    "real/format_2019/megalis-bretagne_focus-marches_decp-2022-03-25.xml.gz": (496, 494, 0, 0, 0, 2, 162),
    # 21 duplicate (buyer, id) pairs: all lots with other holders or dates.
    "real/format_2019/megalis-bretagne_focus-marches_decp-2022.xml.gz": (768, 768, 0, 0, 21, 0, 51),
    "real/format_2024/eclaireur-public_decp2024_extract_20.json": (20, 20, 0, 0, 0, 0, 20),
    "real/format_2024/megalis_decp-59920013600241-2024-07-09-01.json": (5, 5, 0, 0, 0, 0, 0),
    # 8,957 rows = 7,274 contracts by (uid, date, amount): 1,683 rows bring another holder; 5,180 uids.
    "real/tabular/decp-processing-tabular_2024H2_travaux_cpv4521.csv.gz": (8957, 7274, 1683, 0, 2094, 0, 29),
    "schemas/v1.5.0_arrete_2019/exemples/json/cc-avec-modifications.json": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/json/cc-basique-avec-uid.json": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/json/cc-basique.json": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/json/mar-avec-modifications.json": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/json/mar-basique-avec-uid.json": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/json/mar-basique.json": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/json/paquet-avec-uid.json": (2, 2, 0, 0, 0, 0, 2),
    "schemas/v1.5.0_arrete_2019/exemples/json/paquet-result.json": (2, 2, 0, 0, 0, 0, 2),
    "schemas/v1.5.0_arrete_2019/exemples/json/paquet.json": (2, 2, 0, 0, 0, 0, 2),
    "schemas/v1.5.0_arrete_2019/exemples/xml/cc-avec-modifications.xml": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/xml/cc-basique-avec-uid.xml": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/xml/cc-basique.xml": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/xml/mar-avec-modifications.xml": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/xml/mar-basique-avec-uid.xml": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/xml/mar-basique.xml": (1, 1, 0, 0, 0, 0, 1),
    "schemas/v1.5.0_arrete_2019/exemples/xml/paquet-avec-uid.xml": (4, 4, 0, 0, 0, 0, 4),
    "schemas/v1.5.0_arrete_2019/exemples/xml/paquet.xml": (4, 4, 0, 0, 0, 0, 4),
    "schemas/v2.0_arrete_2022/exemples/json/concessions.json": (2, 2, 0, 0, 0, 0, 2),
    "schemas/v2.0_arrete_2022/exemples/json/concessions_avec_modifications.json": (2, 2, 0, 0, 0, 0, 2),
    "schemas/v2.0_arrete_2022/exemples/json/marches_avec_modifications.json": (2, 2, 0, 0, 0, 0, 2),
    "schemas/v2.0_arrete_2022/exemples/json/marches_concessions.json": (4, 4, 0, 0, 0, 0, 4),
    # The official XML examples hold each record twice (identical): one contract, one duplicate.
    "schemas/v2.0_arrete_2022/exemples/xml/Contrat-concession-modification.xml": (2, 1, 0, 1, 0, 0, 2),
    "schemas/v2.0_arrete_2022/exemples/xml/Contrat-concession.xml": (2, 1, 0, 1, 0, 0, 2),
    "schemas/v2.0_arrete_2022/exemples/xml/Marche.xml": (2, 1, 0, 1, 0, 0, 0),
}
KEYS = ("read", "created", "updated", "duplicates", "shared_ids", "rejected", "flagged")


def _all_files():
    if not DECP_DIR.is_dir():
        return []
    roots = [DECP_DIR / "real", DECP_DIR / "edge_cases", *sorted((DECP_DIR / "schemas").glob("*/exemples"))]
    return sorted(str(p.relative_to(DECP_DIR)) for root in roots for p in root.rglob("*") if p.is_file())


def test_every_data_file_is_listed():
    assert _all_files() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda name: name.rsplit("/", 1)[-1])
def test_import_counts_then_reimport_creates_nothing(name):
    report = run_import(DECP_DIR / name)
    summary = report.summary()
    assert tuple(summary[key] for key in KEYS) == EXPECTED[name]
    read, created, updated, duplicates, _shared, rejected, _flagged = EXPECTED[name]
    assert read == created + updated + duplicates + rejected
    assert Contract.objects.count() == created
    assert RejectedRecord.objects.count() == rejected
    assert set(SourceFile.objects.values_list("status", flat=True)) == {SourceFile.Status.DONE}
    contracts, holders = Contract.objects.count(), ContractHolder.objects.count()

    again = run_import(DECP_DIR / name).summary()

    assert again["created"] == 0 and again["updated"] == 0 and again["shared_ids"] == 0
    assert again["duplicates"] == created + updated + duplicates  # every imported record is now a duplicate
    assert (again["read"], again["rejected"], again["flagged"]) == (read, rejected, summary["flagged"])
    assert (Contract.objects.count(), ContractHolder.objects.count()) == (contracts, holders)
    assert RejectedRecord.objects.count() == rejected
