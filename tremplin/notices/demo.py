"""Demo data: every real BOAMP and TED sample of the shared data folder, imported idempotently (a second call
creates and changes nothing). Called by the demo builder; about three seconds on SQLite."""

from pathlib import Path

from tremplin.notices.importer import ImportReport, import_notices

BOAMP_DIR = "boamp"
TED_DIR = "ted"


def import_demo_notices(data_dir: str | Path) -> dict[str, ImportReport]:
    """Import ``data_dir/boamp`` (BOAMP XML v230 and JSON) and ``data_dir/ted`` (eForms, TED R2.0.9, SDK
    examples). A missing folder is skipped. Returns the import report of each source."""
    data_dir = Path(data_dir)
    reports = {}
    for source, folder in (("boamp", BOAMP_DIR), ("ted", TED_DIR)):
        path = data_dir / folder
        if path.is_dir():
            reports[source] = import_notices([path], source)
    return reports
