"""`tremplin decp_quality [--json]`: the DECP imports' data-quality ledger (`tremplin.ingest.decp_import.quality`)."""

import json

from django.core.management.base import BaseCommand

from tremplin.ingest.decp_import.quality import COUNT_LABELS, source_quality


def number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


class Command(BaseCommand):
    help = (
        "Qualité des données DECP importées, par source : fichiers, enregistrements lus, importés (créés, mis à "
        "jour, doublons), identifiants partagés, rejetés par motif, anomalies par règle."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="tout écrire en JSON (une ligne)")

    def handle(self, *args, **options):
        quality = source_quality()
        if options["json"]:
            self.stdout.write(json.dumps(quality, ensure_ascii=False, separators=(",", ":")))
            return
        if not quality["sources"]:
            self.stdout.write("Aucun import DECP pour l'instant (tremplin import_decp FICHIER…).")
            return
        for row in [*quality["sources"], {"source": "Toutes les sources", **quality["totals"]}]:
            self._source(row)

    def _source(self, row: dict) -> None:
        unfinished = f", dont {number(row['files_unfinished'])} non terminé(s)" if row["files_unfinished"] else ""
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"{row['source']} — {number(row['files'])} fichier(s){unfinished}")
        )
        self.stdout.write(
            "  "
            + " ; ".join(f"{label.lower()} : {number(row[key])}" for key, label in COUNT_LABELS.items())
            + f" ; marchés fournis actuellement : {number(row['contracts'])}"
        )
        for item in row["rejections"]:
            self.stdout.write(f"  rejet       {number(item['count']):>9}  {item['label']} [{item['code']}]")
        for item in row["flags"]:
            self.stdout.write(f"  anomalie    {number(item['count']):>9}  {item['label']} [{item['code']}]")
