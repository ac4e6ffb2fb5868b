"""The observatory's columnar snapshot: a DuckDB file holding a flat fact table, rebuilt from the database.

The database (SQLite or PostgreSQL) stays the only source of truth; the snapshot is a derived, disposable copy
shaped for aggregation (1.5 M contracts aggregate in milliseconds in DuckDB, not in the row store).

`facts` has one row per contract × holder at notification (one row with empty holder columns for a contract
without holder), carrying:
- the contract's columns (date, year, month, CPV and its division, procedure, nature, territory, buyer as an
  integer key into `buyers`, amount at notification, suspicious-amount switch, offers received, flags);
- the holder's attributes from its organisation (integer key into `holders`, size category, department and
  region of its establishment);
- per-contract weights: `first` (1 on exactly one row per contract, to count and sum contracts without
  COUNT DISTINCT), `weight` = 1 / number of holders, `holder_amount` = amount / number of holders (the even
  split decp-augmente uses for co-contractors), and precomputed variants (`amount_first_ok`…) so that queries
  are plain sums with no per-aggregate FILTER;
- the share statuses as 1 (yes) / 0 (no) / NULL (unknown): `sme`, `local_department`, `local_region`,
  `inclusive`, and `share_key` packing the four into one small integer (one GROUP BY gives every share);
- the contract's clause flags `social` and `environmental`, 1 / 0 / NULL (not reported: the 2019 format has no
  such field), as `tremplin.observatory.clause_stats.consideration_status` defines them.
`holders` and `buyers` map integer keys to SIRET (or published identifier) and name: high-cardinality grouping
runs on integers, names are joined for the page of rows shown. `labels` holds the names of regions,
departments and CPV divisions; `meta` the build time, the medians of the whole snapshot and the database
marker the snapshot was built from.

Building streams rows from the database with a Django cursor (a server-side cursor on PostgreSQL) in batches of
`BATCH_ROWS` turned into pyarrow record batches, so memory stays bounded whatever the size; the new file is
written under a temporary name, renamed when complete, and the snapshot path (a symbolic link) is renamed over
to point at it (atomic: readers see the old or the new version, never a half-built one).
`refresh_snapshot()` and `tremplin refresh_observatory` rebuild it; `cursor()` builds it on first use and
rebuilds it when the database marker (contract and holder counts, latest contract and
organisation updates) differs from the one stored in `meta` — checked at most every `CHECK_INTERVAL` seconds
per process, in a background thread (`BACKGROUND_REFRESH`), so that neither the check nor a rebuild delays a
request: they go on reading the current version until the new one is ready.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from django.conf import settings
from django.db import connection as db_connection
from django.db.models import Count, Max
from django.utils import timezone

from tremplin.contracts.models import Contract, ContractHolder
from tremplin.organisations.models import HANDICAP_STATUSES, SIAE_STATUSES, Organisation
from tremplin.referentials.models import CpvCode, CpvLevel, Department, Region

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: clause flags `social` and `environmental`
# Where the snapshot lives: None means settings.OBSERVATORY_SNAPSHOT_PATH when set, else
# VAR_DIR/observatory/snapshot.duckdb. Tests point it at a temporary directory.
SNAPSHOT_PATH: Path | None = None
CHECK_INTERVAL = 30.0  # seconds between two freshness checks in one process
AUTO_BUILD = True  # build when missing / rebuild when stale on use (else serve what exists, if anything)
BACKGROUND_REFRESH = True  # check freshness (and rebuild) in a thread, off the request path; tests run it inline
BATCH_ROWS = 50_000
BUILD_MEMORY_LIMIT = "2GB"  # DuckDB spills to disk beyond this while building (window functions, sort)
INCLUSIVE_STATUSES = sorted(SIAE_STATUSES | HANDICAP_STATUSES)  # SIAE, EA, EATT, ESAT (not GEIQ)
SME_SIZES = ["micro", "pme"]
NON_SME_SIZES = ["eti", "ge"]

STAGING_SCHEMA = pa.schema(
    [
        ("contract_id", pa.int64()),
        ("key", pa.string()),
        ("notification_date", pa.date32()),
        ("cpv", pa.string()),
        ("procedure", pa.string()),
        ("nature", pa.string()),
        ("kind", pa.string()),
        ("territory_department", pa.string()),
        ("territory_region", pa.string()),
        ("territory_source", pa.string()),
        ("buyer_siret", pa.string()),
        ("buyer_name", pa.string()),
        ("amount", pa.float64()),
        ("amount_suspicious", pa.bool_()),
        ("offers_received", pa.int32()),
        ("flagged", pa.bool_()),
        ("holder_id", pa.int64()),
        ("holder_position", pa.int32()),
        ("holder_siret", pa.string()),
        ("holder_name", pa.string()),
        ("holder_known", pa.bool_()),
        ("holder_size", pa.string()),
        ("holder_inclusive", pa.string()),
        ("holder_department", pa.string()),
        ("holder_region", pa.string()),
        ("social", pa.int8()),
        ("environmental", pa.int8()),
    ]
)
# Read from the database but not staged as such: turned into the `social` / `environmental` flags.
RAW_CLAUSE_COLUMNS = 3  # format, social_considerations, environmental_considerations


class SnapshotUnavailable(RuntimeError):
    """No snapshot exists and none may be built now."""


def snapshot_path() -> Path:
    if SNAPSHOT_PATH is not None:
        return Path(SNAPSHOT_PATH)
    configured = getattr(settings, "OBSERVATORY_SNAPSHOT_PATH", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "observatory" / "snapshot.duckdb"


# ---------------------------------------------------------------- database side


def database_marker() -> dict:
    """What the snapshot must agree with: four aggregates, each one cheap query."""
    contracts = Contract.objects.aggregate(count=Count("id"), updated=Max("updated_at"))
    organisations = Organisation.objects.aggregate(updated=Max("updated_at"))

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "version": SCHEMA_VERSION,
        "contracts": contracts["count"],
        "contracts_updated": iso(contracts["updated"]),
        "holders": ContractHolder.objects.count(),
        "organisations_updated": iso(organisations["updated"]),
    }


def _source_sql() -> tuple[str, list]:
    """One row per contract × initial holder, with the buyer and the holder's organisation joined. Only table and
    column names taken from the models are interpolated; values are parameters."""
    quote = db_connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def col(alias: str, model, field: str) -> str:
        return f"{alias}.{quote(model._meta.get_field(field).column)}"

    c, h, o = "c", "h", "ho"
    contract_columns = [
        col(c, Contract, "id"),
        col(c, Contract, "key"),
        col(c, Contract, "notification_date"),
        col(c, Contract, "cpv"),
        col(c, Contract, "procedure"),
        col(c, Contract, "nature"),
        col(c, Contract, "kind"),
        col(c, Contract, "territory_department"),
        col(c, Contract, "territory_region"),
        col(c, Contract, "territory_source"),
        f"COALESCE(b.{quote('siret')}, {col(c, Contract, 'buyer_identifier')})",
        f"COALESCE(b.{quote('name')}, {col(c, Contract, 'buyer_name')})",
        col(c, Contract, "amount_initial"),
        col(c, Contract, "amount_suspicious"),
        col(c, Contract, "offers_received"),
        col(c, Contract, "flags"),
    ]
    holder_columns = [
        col(h, ContractHolder, "id"),
        col(h, ContractHolder, "position"),
        f"COALESCE({col(o, Organisation, 'siret')}, {col(h, ContractHolder, 'identifier')})",
        f"COALESCE({col(o, Organisation, 'name')}, {col(h, ContractHolder, 'name')})",
        col(o, Organisation, "id"),
        col(o, Organisation, "size_category"),
        col(o, Organisation, "inclusive_status"),
        col(o, Organisation, "department"),
        f"hd.{quote(Department._meta.get_field('region').column)}",
    ]
    clause_columns = [
        col(c, Contract, "format"),
        col(c, Contract, "social_considerations"),
        col(c, Contract, "environmental_considerations"),
    ]
    sql = (
        f"SELECT {', '.join(contract_columns + holder_columns + clause_columns)} FROM {table(Contract)} {c} "
        f"LEFT JOIN {table(Organisation)} b ON b.{quote('id')} = {col(c, Contract, 'buyer')} "
        f"LEFT JOIN {table(ContractHolder)} {h} ON {col(h, ContractHolder, 'contract')} = {col(c, Contract, 'id')} "
        f"AND {col(h, ContractHolder, 'is_initial')} = %s "
        f"LEFT JOIN {table(Organisation)} {o} "
        f"ON {col(o, Organisation, 'id')} = {col(h, ContractHolder, 'organisation')} "
        f"LEFT JOIN {table(Department)} hd ON hd.{quote('code')} = {col(o, Organisation, 'department')}"
    )
    return sql, [True]


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _float(value) -> float | None:
    return None if value is None else float(value)


def _flagged(value) -> bool:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return bool(value.strip())
    return bool(value)


def _record_batches(batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Stream the source rows as pyarrow record batches of at most `batch_rows` rows."""
    from tremplin.observatory.clause_stats import consideration_status

    sql, params = _source_sql()
    names = STAGING_SCHEMA.names
    converters: dict[int, Callable] = {
        names.index("notification_date"): _date,
        names.index("amount"): _float,
        names.index("amount_suspicious"): bool,
        names.index("flagged"): _flagged,
        names.index("holder_known"): lambda value: value is not None,
    }
    with db_connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(batch_rows)
            if not rows:
                return
            columns = [list(values) for values in zip(*rows, strict=True)]
            for index, convert in converters.items():
                columns[index] = [convert(value) for value in columns[index]]
            formats, social, environmental = columns[-RAW_CLAUSE_COLUMNS:]
            del columns[-RAW_CLAUSE_COLUMNS:]
            days = columns[names.index("notification_date")]
            for values in (social, environmental):
                columns.append([consideration_status(*row) for row in zip(values, formats, days, strict=True)])
            yield pa.RecordBatch.from_arrays(
                [pa.array(values, type=STAGING_SCHEMA.field(i).type) for i, values in enumerate(columns)],
                schema=STAGING_SCHEMA,
            )


# ---------------------------------------------------------------- DuckDB side

# Build steps, run in order on the staging table. Status codes: 1 yes, 0 no, NULL unknown; `share_key` packs
# the four statuses (0 no, 1 yes, 2 unknown each) into one small integer so that one GROUP BY over it gives every
# share at once. Columns suffixed `_first` are set on the contract's first row only (contract-level sums without
# COUNT DISTINCT); `_ok` ones leave suspicious amounts out.
_BUILD_SQL = [
    """
CREATE TABLE holders AS
SELECT CAST(row_number() OVER (ORDER BY siret) AS INTEGER) AS holder_key, siret, name FROM (
    SELECT holder_siret AS siret, coalesce(any_value(holder_name) FILTER (WHERE holder_name <> ''), '') AS name
    FROM staging WHERE coalesce(holder_siret, '') <> '' GROUP BY 1)
""",
    """
CREATE TABLE buyers AS
SELECT CAST(row_number() OVER (ORDER BY siret) AS INTEGER) AS buyer_key, siret, name FROM (
    SELECT buyer_siret AS siret, coalesce(any_value(buyer_name) FILTER (WHERE buyer_name <> ''), '') AS name
    FROM staging WHERE coalesce(buyer_siret, '') <> '' GROUP BY 1)
""",
    """
CREATE TABLE facts AS
WITH dedup AS (
    -- a holder listed twice in one contract (same SIRET) counts once
    SELECT * FROM staging
    QUALIFY holder_id IS NULL OR row_number() OVER (
        PARTITION BY contract_id, coalesce(nullif(holder_siret, ''), 'id:' || holder_id)
        ORDER BY holder_position, holder_id) = 1
), numbered AS (
    SELECT *,
        row_number() OVER (PARTITION BY contract_id ORDER BY holder_position NULLS FIRST, holder_id) AS rn,
        count(*) OVER (PARTITION BY contract_id) AS rows_in_contract,
        row_number() OVER (PARTITION BY contract_id, coalesce(holder_siret, '')) AS rn_holder,
        row_number() OVER (PARTITION BY contract_id, coalesce(holder_size, '')) AS rn_size,
        CASE WHEN NOT coalesce(holder_known, FALSE) THEN NULL
            WHEN list_contains($sme, holder_size) THEN 1
            WHEN list_contains($non_sme, holder_size) THEN 0 END AS sme_status,
        CASE WHEN coalesce(holder_department, '') = '' OR coalesce(territory_department, '') = '' THEN NULL
            WHEN holder_department = territory_department THEN 1 ELSE 0 END AS department_status,
        CASE WHEN coalesce(holder_region, '') = '' OR coalesce(territory_region, '') = '' THEN NULL
            WHEN holder_region = territory_region THEN 1 ELSE 0 END AS region_status,
        CASE WHEN NOT coalesce(holder_known, FALSE) THEN NULL
            WHEN list_contains($inclusive, holder_inclusive) THEN 1 ELSE 0 END AS inclusive_status
    FROM dedup
)
SELECT
    contract_id, key, notification_date,
    CAST(year(notification_date) AS SMALLINT) AS year,
    strftime(notification_date, '%Y-%m') AS month,
    coalesce(cpv, '') AS cpv, substr(coalesce(cpv, ''), 1, 2) AS cpv_division,
    coalesce(procedure, '') AS procedure, coalesce(nature, '') AS nature, kind,
    coalesce(territory_department, '') AS territory_department,
    coalesce(territory_region, '') AS territory_region, territory_source,
    coalesce(b.buyer_key, 0) AS buyer_key, coalesce(h.holder_key, 0) AS holder_key,
    coalesce(holder_size, '') AS holder_size,
    coalesce(holder_department, '') AS holder_department, coalesce(holder_region, '') AS holder_region,
    amount, amount_suspicious,
    CASE WHEN offers_received >= 1 THEN offers_received END AS offers,
    CAST(offers_received = 1 AS TINYINT) AS single,
    CAST(flagged AS TINYINT) AS flagged,
    CAST(amount_suspicious AS TINYINT) AS suspicious,
    CASE WHEN holder_id IS NULL THEN 0 ELSE rows_in_contract END AS holder_count,
    rn = 1 AS is_first,
    CAST(rn = 1 AS TINYINT) AS first,
    1.0 / rows_in_contract AS weight,
    amount / rows_in_contract AS holder_amount,
    CASE WHEN NOT amount_suspicious THEN amount / rows_in_contract END AS holder_amount_ok,
    CASE WHEN rn = 1 THEN amount END AS amount_first,
    CASE WHEN rn = 1 AND NOT amount_suspicious THEN amount END AS amount_first_ok,
    CASE WHEN rn = 1 AND offers_received >= 1 THEN offers_received END AS offers_first,
    CAST(rn = 1 AND offers_received = 1 AS TINYINT) AS single_first,
    CAST(rn = 1 AND flagged AS TINYINT) AS flagged_first,
    CAST(rn = 1 AND amount_suspicious AS TINYINT) AS suspicious_first,
    CAST(rn_holder = 1 AS TINYINT) AS holder_first,
    CAST(rn_size = 1 AS TINYINT) AS size_first,
    CAST(sme_status AS TINYINT) AS sme,
    CAST(department_status AS TINYINT) AS local_department,
    CAST(region_status AS TINYINT) AS local_region,
    CAST(inclusive_status AS TINYINT) AS inclusive,
    social, environmental,
    CAST(coalesce(sme_status, 2) * 27 + coalesce(department_status, 2) * 9 + coalesce(region_status, 2) * 3
        + coalesce(inclusive_status, 2) AS TINYINT) AS share_key
FROM numbered
LEFT JOIN buyers b ON b.siret = numbered.buyer_siret
LEFT JOIN holders h ON h.siret = numbered.holder_siret
ORDER BY notification_date NULLS LAST, contract_id, rn
""",
]


def _label_rows() -> list[tuple[str, str, str]]:
    rows = [("region", code, name) for code, name in Region.objects.values_list("code", "name")]
    rows += [("department", code, name) for code, name in Department.objects.values_list("code", "name")]
    divisions = CpvCode.objects.filter(level=CpvLevel.DIVISION).values_list("code", "label")
    rows += [("cpv_division", code[:2], label) for code, label in divisions]
    return rows


def build_snapshot(path: Path, batch_rows: int | None = None) -> dict:
    """Write a complete snapshot to `path` (overwritten). Returns its metadata."""
    started = time.monotonic()
    marker = database_marker()  # read first: rows changed during the build make the next check rebuild
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
    con = duckdb.connect(str(path), config={"memory_limit": BUILD_MEMORY_LIMIT})
    try:
        con.execute("BEGIN TRANSACTION")  # one commit (one sync) for the whole build
        con.execute(f"CREATE TABLE staging ({', '.join(_duckdb_columns())})")
        rows = 0
        for batch in _record_batches(batch_rows or BATCH_ROWS):
            con.register("incoming", batch)
            con.execute("INSERT INTO staging SELECT * FROM incoming")
            con.unregister("incoming")
            rows += batch.num_rows
        con.execute(_BUILD_SQL[0])
        con.execute(_BUILD_SQL[1])
        con.execute(_BUILD_SQL[2], {"sme": SME_SIZES, "non_sme": NON_SME_SIZES, "inclusive": INCLUSIVE_STATUSES})
        con.execute("DROP TABLE staging")
        labels = _label_rows()
        label_table = pa.table(
            {name: [row[i] for row in labels] for i, name in enumerate(("dimension", "key", "label"))},
            schema=pa.schema([("dimension", pa.string()), ("key", pa.string()), ("label", pa.string())]),
        )
        con.register("incoming_labels", label_table)
        con.execute("CREATE TABLE labels AS SELECT * FROM incoming_labels")
        con.unregister("incoming_labels")
        facts_rows, contracts, median_ok, median_all = con.execute(
            "SELECT count(*), sum(first), median(amount_first_ok), median(amount_first) FROM facts"
        ).fetchone()
        meta = {
            "schema_version": SCHEMA_VERSION,
            "marker": marker,
            "built_at": timezone.now().isoformat(),
            "rows": facts_rows,
            "contracts": int(contracts or 0),
            "median": median_ok,  # of the whole snapshot, the most asked for (no filter)
            "median_all": median_all,
            "source_rows": rows,
            "seconds": round(time.monotonic() - started, 3),
        }
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute(
            "INSERT INTO meta SELECT * FROM (SELECT unnest(?) AS key, unnest(?) AS value)",
            [list(meta), [json.dumps(value) for value in meta.values()]],
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return meta


def _duckdb_columns() -> list[str]:
    types = {
        pa.int64(): "BIGINT",
        pa.int32(): "INTEGER",
        pa.int8(): "TINYINT",
        pa.string(): "VARCHAR",
        pa.date32(): "DATE",
        pa.float64(): "DOUBLE",
        pa.bool_(): "BOOLEAN",
    }
    return [f"{field.name} {types[field.type]}" for field in STAGING_SCHEMA]


@contextmanager
def _build_lock(path: Path, blocking: bool) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def refresh_snapshot(path: Path | None = None, batch_rows: int | None = None) -> dict:
    """Rebuild the snapshot atomically: build a new file beside the current one, then rename it over it."""
    path = path or snapshot_path()
    with _build_lock(path, blocking=True):
        meta = _build_and_swap(path, batch_rows)
    with _reader.lock:
        _reader.forget()  # the next cursor() opens the new file (connections already handed out keep the old one)
    return meta


def _build_and_swap(path: Path, batch_rows: int | None = None) -> dict:
    """Build a new versioned file (under a temporary name, renamed when complete), then point `path` at it by
    renaming a symbolic link over it: both renames are atomic. Readers open the versioned file itself, so that
    an open connection keeps reading its version (DuckDB caches database instances by path) and the next one
    opens the new version; older versions are then deleted (open ones stay readable until closed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    version = path.with_name(f"{path.stem}.{time.time_ns()}{path.suffix}")
    temporary = version.with_name(version.name + ".tmp")
    link = path.with_name(f"{path.name}.{os.getpid()}.link")
    try:
        meta = build_snapshot(temporary, batch_rows)
        os.replace(temporary, version)
        link.unlink(missing_ok=True)
        os.symlink(version.name, link)
        os.replace(link, path)
    finally:
        for leftover in (temporary, Path(f"{temporary}.wal"), link):
            leftover.unlink(missing_ok=True)
    for old in path.parent.glob(f"{path.stem}.*{path.suffix}"):
        if old != version and old.name[len(path.stem) + 1 : -len(path.suffix)].isdigit():
            old.unlink(missing_ok=True)
    logger.info("Observatory snapshot rebuilt: %s rows in %.1f s", meta["rows"], meta["seconds"])
    return meta


def read_meta(con: duckdb.DuckDBPyConnection) -> dict:
    return {key: json.loads(value) for key, value in con.execute("SELECT key, value FROM meta").fetchall()}


class _Reader:
    """One read-only DuckDB connection per process, reopened when the file is replaced; callers get their own
    cursor (DuckDB connections are not shared between threads, cursors are)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.forget()

    def forget(self) -> None:
        self.path: Path | None = None
        self.identity: tuple | None = None
        self.con: duckdb.DuckDBPyConnection | None = None
        self.meta: dict = {}
        self.labels: dict[str, dict[str, str]] = {}
        self.checked_at = float("-inf")  # the first use checks freshness at once
        self.reopen = False
        self.refreshing = False

    def _open(self, path: Path) -> None:
        real = path.resolve()
        con = duckdb.connect(str(real), read_only=True)
        if self.con is not None:
            self.con.close()  # cursors already handed out keep their own connection to the old version
        self.path, self.identity, self.con = path, _identity(path), con
        self.meta = read_meta(con)
        self.labels = {}
        for dimension, key, label in con.execute("SELECT dimension, key, label FROM labels").fetchall():
            self.labels.setdefault(dimension, {})[key] = label

    def _stale(self, path: Path) -> bool:
        if self.meta.get("schema_version") != SCHEMA_VERSION:
            return True
        return self.meta.get("marker") != database_marker()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        path = snapshot_path()
        with self.lock:
            if self.con is None or self.path != path or self.reopen:
                if not path.exists():
                    if not AUTO_BUILD:
                        raise SnapshotUnavailable("L'instantané de l'observatoire n'est pas encore construit.")
                    with _build_lock(path, blocking=True):  # the first request waits for the first build
                        if not path.exists():
                            _build_and_swap(path)
                if self.con is None or self.path != path or self.identity != _identity(path):
                    self._open(path)
                self.reopen = False
            if AUTO_BUILD and time.monotonic() - self.checked_at >= CHECK_INTERVAL:
                self.checked_at = time.monotonic()
                if BACKGROUND_REFRESH:
                    if not self.refreshing:
                        self.refreshing = True
                        threading.Thread(target=self._refresh_in_background, args=(path,), daemon=True).start()
                elif self._refresh_if_stale(path):
                    self._open(path)
                    self.reopen = False
            return self.con.cursor()

    def _refresh_if_stale(self, path: Path) -> bool:
        """Rebuild when the database moved on; True when the file to read has changed (rebuilt here or by
        another process)."""
        if self.identity != _identity(path):
            return True
        if not self._stale(path):
            return False
        with _build_lock(path, blocking=False) as acquired:
            if acquired:  # else another process is rebuilding: serve the current file meanwhile
                _build_and_swap(path)
                return True
        return False

    def _refresh_in_background(self, path: Path) -> None:
        """The freshness check (a few aggregate queries) and any rebuild run off the request path: requests go on
        reading the current snapshot and switch to the new one when it is ready."""
        try:
            if self._refresh_if_stale(path):
                self.reopen = True
        except Exception:  # a failed check or build must not break the pages; it is logged and retried later
            logger.exception("Observatory snapshot refresh failed")
        finally:
            self.refreshing = False
            db_connection.close()  # this thread's own database connection


def _identity(path: Path) -> tuple:
    real = path.resolve()
    stat = real.stat()
    return (str(real), stat.st_ino, stat.st_mtime_ns, stat.st_size)


_reader = _Reader()


def cursor() -> duckdb.DuckDBPyConnection:
    """A DuckDB cursor on a fresh enough snapshot (built on first use)."""
    return _reader.cursor()


def labels(dimension: str) -> dict[str, str]:
    """Names of regions, departments or CPV divisions as stored in the current snapshot."""
    return _reader.labels.get(dimension, {})


def version() -> tuple | None:
    """Which snapshot file the process reads now (changes when it is rebuilt)."""
    return _reader.identity


def metadata() -> dict:
    return dict(_reader.meta)


def forget() -> None:
    """Drop the cached connection (tests, or after moving the file)."""
    with _reader.lock:
        if _reader.con is not None:
            _reader.con.close()
        _reader.forget()
