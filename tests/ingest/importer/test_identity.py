"""Identity of a contract across records and files: copies, updates, lots sharing an id, stable keys; the
modifications applied in date order; tabular rows merged by (uid, date, amount)."""

import csv
import gzip
from decimal import Decimal

import pytest

from tremplin.contracts.models import Contract, ContractHolder, ContractModification

from .conftest import BUYER, HOLDER_A, HOLDER_B, market, modification, run_import, write_json

pytestmark = pytest.mark.django_db


def keys() -> dict[str, str]:
    """key → "date|holders" for every contract."""
    found = {}
    for contract in Contract.objects.all():
        holders = sorted(contract.holders.filter(is_initial=True).values_list("identifier", flat=True))
        found[contract.key] = f"{contract.notification_date}|{','.join(holders)}"
    return found


def test_same_uid_date_and_holders_is_one_contract_updated_by_the_copy_with_more_modifications(tmp_path):
    original = market()
    amended = market(modifications=[modification("2024-09-01", amount=120_000)])
    path = write_json(tmp_path / "a.json", [original, amended, original])

    summary = run_import(path).summary()

    assert summary == {
        "read": 3, "created": 1, "updated": 1, "duplicates": 1, "shared_ids": 0, "rejected": 0, "flagged": 0,
    }  # fmt: skip
    contract = Contract.objects.get()
    assert contract.uid == f"{BUYER}2024-001" and contract.key.startswith(contract.uid + "-")
    assert (contract.amount_initial, contract.amount_current) == (Decimal("100000.00"), Decimal("120000.00"))
    assert contract.modifications.count() == 1


def test_a_copy_published_later_replaces_an_equal_one_a_stale_one_does_not(tmp_path):
    first = market(datePublicationDonnees="2024-03-20", objet="Objet publié d'abord")
    later = market(datePublicationDonnees="2024-04-02", objet="Objet corrigé")
    run_import(write_json(tmp_path / "1.json", [first]))
    assert run_import(write_json(tmp_path / "2.json", [later])).summary()["updated"] == 1
    assert Contract.objects.get().object == "Objet corrigé"

    summary = run_import(write_json(tmp_path / "3.json", [first])).summary()  # the older copy comes back

    assert (summary["updated"], summary["duplicates"]) == (0, 1)
    assert Contract.objects.get().object == "Objet corrigé"


def test_same_uid_other_date_or_holders_are_distinct_contracts_with_stable_keys(tmp_path):
    lot_1 = market(holders=(HOLDER_A,))
    lot_2 = market(holders=(HOLDER_B,))  # same uid and date, another holder
    lot_3 = market(date_notified="2024-05-02")  # same uid, another date
    forward = write_json(tmp_path / "forward.json", [lot_1, lot_2, lot_3])
    backward = write_json(tmp_path / "backward.json", [lot_3, lot_2, lot_1])

    summary = run_import(forward).summary()
    assert (summary["created"], summary["shared_ids"]) == (3, 2)
    assert Contract.objects.filter(uid=f"{BUYER}2024-001").count() == 3
    first_keys = keys()
    Contract.objects.all().delete()
    run_import(backward)

    assert keys() == first_keys  # the same keys whatever the order the records come in
    assert len(set(first_keys)) == 3


def test_keys_do_not_depend_on_the_order_files_are_imported_in(tmp_path):
    one = write_json(tmp_path / "one.json", [market(), market(holders=(HOLDER_B,))])
    two = write_json(tmp_path / "two.json", [market(date_notified="2024-06-01"), market(holders=(HOLDER_A, HOLDER_B))])
    run_import(one)
    run_import(two)
    first = keys()
    Contract.objects.all().delete()
    run_import(two)
    run_import(one)
    assert keys() == first and len(first) == 4


def test_modifications_applied_in_date_order(tmp_path):
    record = market(
        amount=100_000,
        dureeMois=12,
        modifications=[  # published out of order
            modification("2024-11-01", amount=130_000, number=3),
            modification("2024-06-01", amount=110_000, duration=18, number=1),
            modification("2024-09-01", holders=(HOLDER_B,), number=2),
        ],
    )
    run_import(write_json(tmp_path / "m.json", [record]))

    contract = Contract.objects.get()
    assert (contract.amount_initial, contract.duration_initial) == (Decimal("100000.00"), 12)
    assert (contract.amount_current, contract.duration_current) == (Decimal("130000.00"), 18)
    assert list(contract.modifications.values_list("seq", "object")) == [
        (1, "Avenant n° 1"),
        (2, "Avenant n° 2"),
        (3, "Avenant n° 3"),
    ]
    holders = {(h.identifier, h.is_initial, h.is_current) for h in contract.holders.all()}
    assert holders == {(HOLDER_A, True, False), (HOLDER_B, False, True)}
    assert ContractModification.objects.get(seq=2).holders[0]["identifier"] == HOLDER_B


def _tabular(path, rows):
    columns = ["uid", "id", "acheteur_id", "acheteur_nom", "titulaire_id", "titulaire_nom", "montant",
               "dateNotification", "codeCPV", "procedure", "dureeMois"]  # fmt: skip
    with gzip.open(path, "wt", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for holder, amount, notified in rows:
            writer.writerow([f"{BUYER}T1", "T1", BUYER, "COMMUNE", holder, "SARL X", amount, notified, "45212221",
                             "Procédure adaptée", "6"])  # fmt: skip
    return path


def test_tabular_rows_of_one_contract_are_merged_wherever_they_are(tmp_path):
    path = _tabular(
        tmp_path / "t.csv.gz",
        [
            (HOLDER_A, "79000", "2024-11-12"),
            (HOLDER_A, "15000", "2024-09-17"),  # another contract under the same uid (another date)
            (HOLDER_B, "79000", "2024-11-12"),  # second holder of the first contract, not adjacent
            (HOLDER_B, "79000", "2024-11-12"),  # the same row again
        ],
    )
    summary = run_import(path, batch_size=2).summary()  # rows of one contract in two batches

    assert (summary["created"], summary["updated"], summary["duplicates"], summary["shared_ids"]) == (2, 1, 1, 1)
    first = Contract.objects.get(amount_initial=79000)
    assert sorted(first.holders.values_list("identifier", "position")) == [(HOLDER_A, 0), (HOLDER_B, 1)]
    assert run_import(path).summary()["duplicates"] == 4
    assert ContractHolder.objects.count() == 3
