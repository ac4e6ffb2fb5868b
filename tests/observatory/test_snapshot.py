"""The columnar snapshot: built on first use, rebuilt atomically when the database changes, streamed in batches."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tremplin.observatory import snapshot
from tremplin.observatory.filters import Filters
from tremplin.observatory.queries import breakdown, indicators

pytestmark = pytest.mark.django_db


def test_built_on_first_use_with_its_metadata(dataset):
    path = snapshot.snapshot_path()
    assert not path.exists()
    assert indicators(Filters())["contracts"] == 5
    assert path.exists()
    assert path.is_symlink()  # pointing at the current version
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == [path.resolve().name, "snapshot.duckdb", "snapshot.duckdb.lock"]
    assert path.resolve().name.startswith("snapshot.") and path.resolve().suffix == ".duckdb"
    meta = snapshot.metadata()
    assert (meta["rows"], meta["contracts"], meta["schema_version"]) == (6, 5, snapshot.SCHEMA_VERSION)
    assert meta["marker"] == snapshot.database_marker()
    con = duckdb.connect(str(path), read_only=True)
    facts = con.execute(
        "SELECT key, h.siret, h.name, is_first, holder_count, weight, holder_amount, sme, local_department, "
        "inclusive, share_key FROM facts JOIN holders h USING (holder_key) WHERE key = ? ORDER BY h.siret = ?",
        [dataset.c2.key, dataset.alpha.siret],
    ).fetchall()
    buyers = con.execute("SELECT siret, name FROM buyers ORDER BY buyer_key").fetchall()
    con.close()
    # share_key packs sme, department, region, inclusive as base-3 digits (0 no, 1 yes, 2 unknown).
    assert facts == [
        (dataset.c2.key, dataset.gamma.siret, "Atelier Gamma", False, 2, 0.5, 100_000.0, 1, 0, 1, 27 + 0 + 3 + 1),
        (dataset.c2.key, dataset.alpha.siret, "Alpha BTP", True, 2, 0.5, 100_000.0, 1, 1, 0, 27 + 9 + 3 + 0),
    ]
    assert sorted(buyers) == sorted([(dataset.lyon.siret, "Ville de Lyon"), (dataset.paris.siret, "Ville de Paris")])
    assert meta["median"] == 250_000 and meta["median_all"] == 300_000


def test_rebuilt_atomically_when_the_database_changes(dataset):
    assert indicators(Filters())["contracts"] == 5
    path = snapshot.snapshot_path()
    first = path.resolve()
    extra = ContractFactory(buyer=dataset.paris, amount_initial=Decimal("50000"), territory_department="75")
    ContractHolderFactory(contract=extra, organisation=dataset.beta)
    assert indicators(Filters())["contracts"] == 6
    assert path.resolve() != first and not first.exists()  # a new version, the old one removed
    assert not list(path.parent.glob("*.tmp")) and not list(path.parent.glob("*.link"))


def test_a_supplier_enrichment_is_seen(dataset):
    assert indicators(Filters())["sme"]["count"]["unknown"] == 2
    dataset.delta.declared_size_category = "pme"
    dataset.delta.save()  # what a SIRENE update does: the organisation's updated_at moves
    assert indicators(Filters())["sme"]["count"]["unknown"] == 1


def test_freshness_is_checked_at_most_every_interval(dataset, monkeypatch):
    assert indicators(Filters())["contracts"] == 5
    monkeypatch.setattr(snapshot, "CHECK_INTERVAL", 3600.0)
    ContractFactory(buyer=dataset.paris)
    assert indicators(Filters())["contracts"] == 5  # not checked again yet
    snapshot.refresh_snapshot()  # what the importer (or the command) does after an import
    assert indicators(Filters())["contracts"] == 6


def test_streaming_in_small_batches_gives_the_same_snapshot(dataset):
    snapshot.refresh_snapshot(batch_rows=2)
    assert indicators(Filters())["amount"] == 1_000_000
    assert breakdown("holder", Filters())["total"] == 5
    assert snapshot.metadata()["source_rows"] == 6


def test_the_command(dataset):
    out = StringIO()
    call_command("refresh_observatory", stdout=out)
    assert "Instantané prêt : 5 marchés, 6 lignes" in out.getvalue()
    assert snapshot.snapshot_path().exists()


def test_missing_snapshot_without_auto_build(client, dataset, monkeypatch):
    monkeypatch.setattr(snapshot, "AUTO_BUILD", False)
    with pytest.raises(snapshot.SnapshotUnavailable):
        indicators(Filters())
    response = client.get("/api/v1/observatory/indicators")
    assert response.status_code == 503
    assert "pas encore construit" in response.json()["detail"]


def test_default_location_is_under_var_dir(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "SNAPSHOT_PATH", None)
    settings.VAR_DIR = tmp_path
    assert snapshot.snapshot_path() == tmp_path / "observatory" / "snapshot.duckdb"
    settings.OBSERVATORY_SNAPSHOT_PATH = str(tmp_path / "ailleurs.duckdb")
    assert snapshot.snapshot_path() == Path(tmp_path / "ailleurs.duckdb")


def test_background_refresh_keeps_requests_off_the_rebuild(dataset, monkeypatch):
    assert indicators(Filters())["contracts"] == 5
    monkeypatch.setattr(snapshot, "BACKGROUND_REFRESH", True)
    ContractFactory(buyer=dataset.paris)
    started = []
    monkeypatch.setattr(
        snapshot.threading,
        "Thread",
        lambda target, args, daemon: started.append((target, args)) or _Inline(target, args),
    )
    assert indicators(Filters())["contracts"] == 5  # the request is served from the current version…
    assert len(started) == 1
    started_target, started_args = started[0]
    monkeypatch.setattr(snapshot.db_connection, "close", lambda: None)  # keep the test's transaction
    started_target(*started_args)  # …while the check and the rebuild run beside it
    assert indicators(Filters())["contracts"] == 6  # the next request reads the new version


class _Inline:
    def __init__(self, target, args):
        self.target, self.args = target, args

    def start(self):
        pass
