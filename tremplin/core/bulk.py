"""The one fast path for bulk writes: plain DB-API ``executemany`` (or PostgreSQL ``COPY``) on model tables.

Used by the reference-data loader and the DECP importer, where ``bulk_create``/``bulk_update`` cost too much
(a model instance and a compiled expression per value: ~20 times slower here for the same plain values).

Rules, for safety and for portability between SQLite and PostgreSQL:
- table and column names come from the model's ``_meta`` only, quoted by the backend (``quote_name``); values
  are always passed as parameters (or COPY rows), never written into the SQL text;
- values must already be in their database form: ``str``, ``int``, ``float``, ``bool``, ``None``, ISO dates as
  text, JSON as text (see ``prepared()`` for timestamps); nothing here calls the fields' ``get_db_prep_value``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models

BATCH_SIZE = 1000
# Page cache of SQLite during bulk writes: the indexes of a national DECP import (1.5 M contracts) take about
# 400 MB; when they do not fit, every row inserted costs page faults in each index (see bench/README.md).
SQLITE_CACHE_MB = int(os.environ.get("TREMPLIN_SQLITE_CACHE_MB", "256"))
# SQLite accepts 32,766 parameters per statement since 3.32 (999 before); PostgreSQL 65,535.
IN_CHUNK = 900


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[models.Model]) -> str:
    return quote(model._meta.db_table)


def column(model: type[models.Model], attname: str) -> str:
    """Quoted column of a field given by name or attname (``buyer`` or ``buyer_id``)."""
    meta = model._meta
    try:
        field = meta.get_field(attname)
    except FieldDoesNotExist:  # "buyer_id" is an attname, not a field name
        field = next(f for f in meta.concrete_fields if f.attname == attname)
    return quote(field.column)


def columns(model: type[models.Model], attnames: Sequence[str]) -> str:
    return ", ".join(column(model, name) for name in attnames)


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


class _Driver:
    """The database driver's own cursor, for the fast path: no Django wrapper (placeholder conversion with a
    regex, debug logging that quotes every parameter when DEBUG is on). SQL is written with ``%s``; SQLite's
    driver wants ``?``."""

    def __init__(self, wrapper: Any):
        self.wrapper = wrapper
        self.cursor = wrapper.cursor
        self.sqlite = connection.vendor == "sqlite"

    def sql(self, text: str) -> str:
        return text.replace("%s", "?") if self.sqlite else text

    def executemany(self, text: str, rows: Sequence[Sequence[Any]]) -> None:
        if self.sqlite:
            sqlite3.Cursor.executemany(self.cursor, self.sql(text), rows)
        else:
            self.cursor.executemany(text, rows)

    def execute(self, text: str, params: Sequence[Any]) -> None:
        if self.sqlite:
            sqlite3.Cursor.execute(self.cursor, self.sql(text), params)
        else:
            self.cursor.execute(text, params)

    def fetchall(self) -> list[tuple]:
        return self.cursor.fetchall()


@contextmanager
def driver_cursor() -> Iterator[_Driver]:
    with connection.cursor() as wrapper:
        yield _Driver(wrapper)


def execute_in_batches(sql: str, params: Sequence[Sequence[Any]], batch_size: int = BATCH_SIZE) -> None:
    """``executemany(sql, params)`` in slices of ``batch_size`` rows."""
    if not params:
        return
    with driver_cursor() as cursor:
        for start in range(0, len(params), batch_size):
            cursor.executemany(sql, params[start : start + batch_size])


def insert_rows(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
    batch_size: int = BATCH_SIZE,
) -> None:
    """INSERT ``rows`` (tuples in ``attnames`` order). With ``ignore_conflicts``, rows that would break a unique
    constraint are skipped (``ON CONFLICT DO NOTHING``, understood by SQLite ≥ 3.24 and PostgreSQL)."""
    sql = f"INSERT INTO {table(model)} ({columns(model, attnames)}) VALUES ({placeholders(len(attnames))})"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    execute_in_batches(sql, rows, batch_size)


def update_rows(
    model: type[models.Model], attnames: Sequence[str], rows: Sequence[Sequence[Any]], *, batch_size: int = BATCH_SIZE
) -> None:
    """UPDATE … SET attnames WHERE pk = %s; each row ends with the primary key."""
    assignments = ", ".join(f"{column(model, name)} = %s" for name in attnames)
    sql = f"UPDATE {table(model)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    execute_in_batches(sql, rows, batch_size)


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def select_in(
    model: type[models.Model], attnames: Sequence[str], where: str, values: Iterable[Any], *, extra: str = ""
) -> list[tuple]:
    """Rows (tuples of ``attnames``) whose ``where`` column is in ``values``, by chunks of ``IN_CHUNK``.
    ``extra`` is appended to the WHERE clause as is: pass only SQL built from model metadata."""
    values = list(dict.fromkeys(values))
    found: list[tuple] = []
    if not values:
        return found
    head = f"SELECT {columns(model, attnames)} FROM {table(model)} WHERE {column(model, where)} IN "
    with driver_cursor() as cursor:
        for chunk in chunks(values):
            cursor.execute(f"{head}({placeholders(len(chunk))}){extra}", chunk)
            found.extend(cursor.fetchall())
    return found


def delete_in(model: type[models.Model], where: str, values: Iterable[Any]) -> None:
    """DELETE the rows whose ``where`` column is in ``values`` (no signals, no cascade in Python)."""
    values = list(dict.fromkeys(values))
    if not values:
        return
    head = f"DELETE FROM {table(model)} WHERE {column(model, where)} IN "
    with driver_cursor() as cursor:
        for chunk in chunks(values):
            cursor.execute(f"{head}({placeholders(len(chunk))})", chunk)


def copy_rows(model: type[models.Model], attnames: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert many rows the fastest way the backend offers: PostgreSQL ``COPY table (columns) FROM STDIN`` with
    psycopg 3 (rows are sent as data, never as SQL; several times faster than INSERT statements), SQLite
    ``executemany``. No conflict handling: use ``insert_rows(…, ignore_conflicts=True)`` for that."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        insert_rows(model, attnames, rows)
        return
    sql = f"COPY {table(model)} ({columns(model, attnames)}) FROM STDIN"
    with connection.cursor() as cursor:
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def prepared(value: Any, field: models.Field) -> Any:
    """``value`` in its database form for ``field`` (timestamps, decimals…): the backend's own adaptation,
    computed once per batch for constant values such as ``now``."""
    return field.get_db_prep_save(value, connection)


@contextmanager
def fast_writes() -> Iterator[None]:
    """Settings for a long series of large write transactions on this connection.

    SQLite: write-ahead log (persistent in the file; readers then never block the writer), ``synchronous =
    NORMAL`` (a commit no longer waits for the disk; with WAL the database stays consistent after a crash, the
    last commits may be lost, which a resumable import redoes), a ``SQLITE_CACHE_MB`` page cache and temporary
    tables in memory — the previous values are restored afterwards. Not inside a transaction (SQLite refuses to change
    these there; tests run inside one) nor on an in-memory database. PostgreSQL: ``synchronous_commit = off``
    for this session, same reasoning.
    """
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA database_list")
            file_backed = any(row[1] == "main" and row[2] for row in cursor.fetchall())
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA wal_autocheckpoint")
            autocheckpoint = cursor.fetchone()[0]
            if file_backed:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA cache_size = {-1024 * SQLITE_CACHE_MB}")
            cursor.execute("PRAGMA temp_store = MEMORY")
            # Copy the log into the database every 64 MiB rather than every 4 MiB: the same index pages are
            # rewritten by every batch, once per checkpoint.
            cursor.execute("PRAGMA wal_autocheckpoint = 16384")
        try:
            yield
        finally:
            if connection.connection is not None and not connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA synchronous = {int(synchronous)}")
                    cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
                    cursor.execute(f"PRAGMA wal_autocheckpoint = {int(autocheckpoint)}")
                    if file_backed:
                        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
        try:
            yield
        finally:
            if connection.connection is not None and not connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        yield


def existing_index_names(model: type[models.Model]) -> set[str]:
    """Names of the indexes the database has on the model's table (one catalog query)."""
    if connection.vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
    elif connection.vendor == "postgresql":
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = %s AND schemaname = ANY(current_schemas(false))"
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.db_table])
        return {row[0] for row in cursor.fetchall()}


def field_index_statements(model: type[models.Model], field_name: str) -> list[tuple[str, str]]:
    """(index name, CREATE INDEX statement) for each index the schema gives this field, as Django's migrations
    create them (``_field_indexes_sql``; PostgreSQL adds a ``…_like`` index to text columns)."""
    editor = connection.SchemaEditorClass(connection, collect_sql=True)  # not entered: only builds statements
    return [
        (str(statement.parts["name"]).strip('"`'), str(statement))
        for statement in editor._field_indexes_sql(model, model._meta.get_field(field_name))
    ]


def drop_field_indexes(model: type[models.Model], field_names: Sequence[str]) -> list[str]:
    """Drop the indexes of these fields (to load many rows faster; ``ensure_field_indexes`` puts them back).
    Returns the dropped names."""
    existing = existing_index_names(model)
    dropped = []
    with connection.cursor() as cursor:
        for field_name in field_names:
            for name, _sql in field_index_statements(model, field_name):
                if name in existing:
                    cursor.execute(f"DROP INDEX {quote(name)}")
                    dropped.append(name)
    return dropped


def ensure_field_indexes(model: type[models.Model], field_names: Sequence[str]) -> list[str]:
    """Create the indexes the schema gives these fields when the database lacks them. Returns the fields whose
    indexes were created."""
    existing = existing_index_names(model)
    created = []
    with connection.cursor() as cursor:
        for field_name in field_names:
            missing = [sql for name, sql in field_index_statements(model, field_name) if name not in existing]
            for sql in missing:
                cursor.execute(sql)
            if missing:
                created.append(field_name)
    return created
