"""Importing DECP files into the database (``tremplin import_decp``).

Pipeline: ``producer`` (no Django: files → ``decp.reader`` → ``decp.normalize`` → compact ``rows``) sends batches
to ``writer`` (Django: one transaction per batch), in one process or with the producer in a child process for
large inputs. ``service.import_decp()`` runs both; ``quality`` sums what the imports recorded.

Identity and updates (the rule, also stated in ``tremplin.contracts.models``):

- A contract is identified by its DECP ``uid`` (buyer identifier + contract ``id``, trimmed by the normaliser).
- 2019 and 2024 records (JSON, XML): records sharing a uid are the same contract when their notification date
  and the identities of their initial holders (identifier, else name) are equal; otherwise they are distinct
  contracts sharing an id (lots), each kept under its own key and counted under ``shared_ids``.
- Tabular rows (one per contract × holder, not adjacent in the file): rows sharing uid, notification date and
  amount are one contract (``normalize.tabular_contract_key``); a row whose holder the contract already has is a
  duplicate; one bringing another holder adds it (counted as ``updated``). A row never replaces a 2019/2024
  record of the same contract.
- When a record is the same contract as a stored one, the copy replaces it only if it is newer: more
  modifications, else a later latest-modification date, else a 2019/2024 record over a tabular one, else a later
  publication date; between two different versions equal on all that, the larger content hash wins, so that the
  final state does not depend on the order files are imported in. Otherwise it is a duplicate (nothing written).
- ``Contract.key`` = uid + "-" + 10 hex digits of SHA-1(uid | notification date | holder identities) — or
  (uid | date | amount) for tabular contracts: stable whatever the import order, distinct for lots.

Counts per data file (``SourceFile.counts``, replaced on re-import, summed by ``quality``): ``read`` (records
and unreadable rows; a file that cannot be read at all counts one), ``created``, ``updated``, ``duplicates``,
``shared_ids`` (created contracts whose uid another contract already had), ``rejected`` (+ by reason),
``flagged`` (contracts read with at least one flag, + by flag). read = created + updated + duplicates + rejected.

Resumption: every batch is written in one transaction with the file's checkpoint (records done) and counts. A
stopped run, started again on the same files, skips what was committed (and the members of an archive already
done) and ends with exactly the rows a clean run gives. Importing a finished file again re-reads it: nothing is
created, everything counts as a duplicate.
"""

__all__ = ["import_decp"]


def __getattr__(name: str):  # lazy: the producer runs in a child process without Django
    if name == "import_decp":
        from .service import import_decp

        return import_decp
    raise AttributeError(name)
