"""Every real DECP file, official example and edge case parses and normalises without an exception, with the counts
known from shared/data/SOURCES.md §1 and docs/data-notes.md §4."""

from collections import Counter
from functools import cache

import pytest

from tremplin.ingest.decp.normalize import (
    FLAGS,
    REJECTIONS,
    Contract,
    Rejection,
    group_by_uid,
    group_contracts,
    normalize,
)
from tremplin.ingest.decp.reader import read_path
from tremplin.ingest.decp.records import FAULT_CODES, ParseFault, RawRecord

from .conftest import DECP_DIR, REAL_2019, REAL_2024, TABULAR, TODAY, requires_data

pytestmark = requires_data


def _all_files():
    if not DECP_DIR.is_dir():
        return []
    roots = [DECP_DIR / "real", DECP_DIR / "edge_cases", *sorted((DECP_DIR / "schemas").glob("*/exemples"))]
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file())


@cache
def scan(path):
    """(members, raw records, contracts, rejections, faults) for one path."""
    members, raws, contracts, rejections, faults = set(), [], [], [], []
    for member, item in read_path(path):
        members.add(member)
        if isinstance(item, ParseFault):
            faults.append(item)
            continue
        assert isinstance(item, RawRecord)
        raws.append(item)
        result = normalize(item, "test", today=TODAY)
        (contracts if isinstance(result, Contract) else rejections).append(result)
    return members, raws, contracts, rejections, faults


def flag_counts(contracts):
    return Counter(flag for c in contracts for flag in c.flags)


@pytest.mark.parametrize("path", _all_files(), ids=lambda p: str(p.relative_to(DECP_DIR)))
def test_every_file_parses_and_normalises(path):
    members, raws, contracts, rejections, faults = scan(path)
    assert raws, f"no record read from {path}"
    assert not faults, faults
    assert len(contracts) + len(rejections) == len(raws)
    for result in rejections:
        assert isinstance(result, Rejection) and result.reason_code in REJECTIONS
    for contract in contracts:
        assert set(contract.flags) <= FLAGS.keys(), contract.flags
        assert contract.uid == contract.buyer_id + contract.id
        assert contract.kind in {"marche", "concession"} and contract.format in {"2019", "2024", "tabular"}
        assert contract.cpv is None or (len(contract.cpv) == 8 and contract.cpv.isdigit())
        assert contract.place_type in {None, "postcode", "commune", "arrondissement", "canton", "department"} | {
            "region",
            "country",
        }
        assert all(m.notification_date is None or m.notification_date <= TODAY for m in contract.modifications)
    assert FAULT_CODES  # descriptions exist for the importer's report


# (file, records, {kind: count}, {rejection: count}) — SOURCES.md §1.2–1.4
EXPECTED = [
    ("decp-rama_2019-03_marches-publics.info.json.gz", 4509, {"marche": 4499, "concession": 10}, {}),
    (
        "decp-rama_2019-04_data.gouv.fr_aife.json.gz",
        4530,
        {"marche": 4507, "concession": 15},
        {"missing_contract_id": 7, "missing_buyer_id": 1},
    ),
    ("decp-rama_2019-04_data.gouv.fr_pes.json.gz", 1148, {"marche": 1148}, {}),
    ("decp-rama_2019-04_e-marchespublics.json.gz", 470, {"marche": 470}, {}),
    ("megalis-bretagne_focus-marches_decp-2022.xml.gz", 768, {"marche": 766, "concession": 2}, {}),
    ("megalis-bretagne_focus-marches_decp-2022-03-25.xml.gz", 496, {"marche": 494}, {"missing_contract_id": 2}),
    ("marches-securises_ville-de-croix_2019-2021.json", 159, {"marche": 126}, {"missing_contract_id": 33}),
]


@pytest.mark.parametrize(("name", "records", "kinds", "rejected"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_known_counts_2019(name, records, kinds, rejected):
    _members, raws, contracts, rejections, _faults = scan(REAL_2019 / name)
    assert len(raws) == records
    assert Counter(c.kind for c in contracts) == kinds
    assert Counter(r.reason_code for r in rejections) == rejected
    assert {c.format for c in contracts} == {"2019"}


def test_marches_publics_info_record_kinds():
    # 4,509 records = 4,499 markets + 10 concessions, as declared by "_type".
    _m, raws, *_ = scan(REAL_2019 / "decp-rama_2019-03_marches-publics.info.json.gz")
    assert Counter(r.kind for r in raws) == {"marche": 4499, "concession": 10}


def test_aife_known_faults():
    _m, raws, contracts, rejections, _f = scan(REAL_2019 / "decp-rama_2019-04_data.gouv.fr_aife.json.gz")
    assert Counter(r.kind for r in raws) == {"marche": 4508, "concession": 22}
    # 2,533 records without dateNotification: 22 concessions carry dateSignature instead, 1 is rejected.
    assert sum(1 for r in raws if not r.payload.get("dateNotification")) == 2533
    flags = flag_counts(contracts)
    assert flags["missing_notification_date"] == 2510
    assert flags["replacement_characters"] == 3559  # 10,746 U+FFFD characters in 3,563 records, 4 rejected
    assert flags["cpv_invalid"] == 3 and flags["missing_cpv"] == 18
    # 112 holder SIRETs with a wrong check digit (SOURCES.md §4: 112/5,062)
    from tremplin.ingest.decp.siret import siret_is_valid

    bad = sum(1 for c in contracts for h in c.holders if h.id_type == "SIRET" and h.id and not siret_is_valid(h.id))
    assert bad == 112


def test_pes_timezones_are_not_flags():
    _m, raws, contracts, _r, _f = scan(REAL_2019 / "decp-rama_2019-04_data.gouv.fr_pes.json.gz")
    assert sum("+" in r.payload["dateNotification"] for r in raws) == 1146  # timezone suffixes (2 without)
    flags = flag_counts(contracts)
    assert flags["date_repaired"] == 0 and flags["date_invalid"] == 0
    assert flags["mojibake"] == 4  # "Mise en Åuvre … nÂ°208", "dâapport", "Â« tout â venants Â»"


def test_e_marchespublics_publication_before_notification():
    *_x, contracts, _r, _f = scan(REAL_2019 / "decp-rama_2019-04_e-marchespublics.json.gz")
    assert flag_counts(contracts)["publication_before_notification"] == 18  # data-notes §4: 18 of 470


def test_megalis_known_faults():
    *_x, contracts, _r, _f = scan(REAL_2019 / "megalis-bretagne_focus-marches_decp-2022-03-25.xml.gz")
    flags = flag_counts(contracts)
    assert flags["missing_holder"] == 92  # SOURCES.md: 92 markets without holder
    assert flags["date_invalid"] == 0 and flags["holder_dropped"] == 0  # packed holders/modifications split
    *_y, contracts22, _r22, _f22 = scan(REAL_2019 / "megalis-bretagne_focus-marches_decp-2022.xml.gz")
    flags22 = flag_counts(contracts22)
    assert flags22["kind_fixed"] == 2
    from tremplin.ingest.decp.siret import siret_is_valid

    bad = sum(1 for c in contracts22 for h in c.holders if h.id_type == "SIRET" and h.id and not siret_is_valid(h.id))
    assert bad == 28  # SOURCES.md: 28 invalid holder SIRETs
    assert len({(c.buyer_id, c.id) for c in contracts22}) == 768 - 21  # 21 duplicate (buyer, id)


def test_croix_known_faults():
    *_x, contracts, _r, _f = scan(REAL_2019 / "marches-securises_ville-de-croix_2019-2021.json")
    flags = flag_counts(contracts)
    assert flags["holder_type_inferred"] == 63  # 69 empty typeIdentifiant, 6 of them in rejected records
    assert flags["contract_id_placeholder"] == 12
    assert Counter(c.place_type for c in contracts) == {"postcode": 124, None: 2}  # "Code Postal"; 2 empty
    assert Counter(c.place_name for c in contracts)["Croix"] == 58  # key "nom " with a trailing space


def test_pes_per_upload_archive():
    members, raws, contracts, rejections, faults = scan(REAL_2019 / "decp-rama_2019-02_pes_per_buyer_files.tar.gz")
    assert len(members) == 110 and len(raws) == 233 and len(contracts) == 233
    assert not rejections and not faults


def test_2024_files():
    *_x, megalis, _r, _f = scan(REAL_2024 / "megalis_decp-59920013600241-2024-07-09-01.json")
    assert len(megalis) == 5 and {c.format for c in megalis} == {"2024"}
    assert all(c.offers_received is not None and c.social_considerations == () for c in megalis)
    *_y, eclaireur, _r2, _f2 = scan(REAL_2024 / "eclaireur-public_decp2024_extract_20.json")
    assert len(eclaireur) == 20
    flags = flag_counts(eclaireur)
    assert flags["offers_invalid"] == 20 and flags["garbled_accents"] == 1 and flags["place_type_fixed"] == 2
    # Contracts notified in 2016–2019 republished in the 2024 format
    assert sorted(c.notification_date.year for c in eclaireur if c.notification_date.year < 2020) == [
        2016,
        2018,
        2018,
        2019,
    ]


def test_tabular():
    _m, raws, contracts, rejections, faults = scan(TABULAR / "decp-processing-tabular_2024H2_travaux_cpv4521.csv.gz")
    assert len(raws) == 8957 and len(contracts) == 8957 and not rejections and not faults
    assert len(group_by_uid(contracts)) == 5180  # SOURCES.md: 8,957 rows = 5,180 uids
    assert len(group_contracts(contracts)) == 7274  # same uid, date and amount
    positions = {}
    for index, contract in enumerate(contracts):
        positions.setdefault(contract.uid, []).append(index)
    scattered = sum(1 for rows in positions.values() if rows[-1] - rows[0] >= len(rows))
    assert scattered == 1009  # of 1,329 uids with several rows: no streaming grouping possible


def test_official_examples():
    examples = DECP_DIR / "schemas" / "v2.0_arrete_2022" / "exemples"
    *_x, contracts, _r, _f = scan(examples / "json" / "marches_concessions.json")
    assert Counter(c.kind for c in contracts) == {"marche": 2, "concession": 2}
    market = next(c for c in contracts if c.kind == "marche")
    assert market.techniques == ("Concours", "Accord-cadre") and market.offers_received == 4
    assert market.modifications[0].holders[0].id == "868768687576575"
    *_y, xml_contracts, _r2, _f2 = scan(examples / "xml" / "Marche.xml")
    assert [c.techniques for c in xml_contracts] == [m.techniques for m in [market, market]]
