"""The demo's awarded contracts: the real DECP samples imported through the importer (`tremplin import_decp`).

Idempotent and quick on a second run: files already imported are not read again (`skip_imported`). The
organisations the importer links or creates are looked up by SIRET, so the demo's buyers and suppliers (created
first by `build_demo`) are the same rows."""

from dataclasses import dataclass, field
from pathlib import Path

from tremplin.demo.decp import TABULAR_SAMPLE
from tremplin.ingest.decp_import.service import ImportReport, import_decp

# Relative to the data folder: the tabular extract first (the demo's buyers and suppliers), then every real
# 2019 and 2024 file. The official examples are left out: their identifiers are invented.
SAMPLE_FOLDERS = ("decp/real/format_2019", "decp/real/format_2024")


def sample_paths(data_dir: Path) -> list[Path]:
    paths = [data_dir / TABULAR_SAMPLE]
    for folder in SAMPLE_FOLDERS:
        directory = data_dir / folder
        if directory.is_dir():
            paths += sorted(path for path in directory.iterdir() if path.is_file() and not path.name.startswith("."))
    return [path for path in paths if path.is_file()]


@dataclass
class ContractsReport:
    paths: list[Path]
    imported: ImportReport | None = None
    changes: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(self.changes.values())


def import_contracts(data_dir: Path, snapshot: bool = True) -> ContractsReport:
    """Import the samples; files already imported are skipped. The observatory snapshot is rebuilt only when
    something changed."""
    paths = sample_paths(data_dir)
    report = ContractsReport(paths=paths)
    if not paths:
        return report
    imported = import_decp(paths, workers=0, snapshot=False, skip_imported=True)
    report.imported = imported
    new_files = [file for file in imported.files if file.outcome != "skipped"]
    report.changes = {
        "created": sum(file.counts["created"] for file in new_files),
        "updated": sum(file.counts["updated"] for file in new_files),
    }
    if snapshot and report.changed:
        from tremplin.ingest.decp_import.service import refresh_observatory

        imported.snapshot = refresh_observatory()
    return report
