"""What ``tremplin import_boamp`` and ``tremplin import_ted`` share: arguments, progress on stderr, the report on
stdout and, with ``--json``, the summary as the last stdout line."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from tremplin.ingest.notices import FLAGS
from tremplin.notices.importer import REJECTION_LABELS, ImportReport, Progress, SourcePathError, import_notices


def number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


class NoticeImportCommand(BaseCommand):
    source = ""
    formats = ""

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", type=Path, metavar="CHEMIN", help=f"fichier(s), archive(s) ou dossier(s) {self.formats}"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='terminer par une ligne JSON : {"read", "created", "updated", "unchanged", "rejected", "flagged"}',
        )
        parser.add_argument(
            "--batch-size", type=int, default=200, metavar="N", help="avis enregistrés par transaction (200)"
        )
        parser.add_argument(
            "--progress-every", type=int, default=500, metavar="N", help="avancement affiché tous les N avis (500)"
        )

    def handle(self, *args, paths, batch_size, progress_every, **options):
        try:
            report = import_notices(
                paths, self.source, batch_size=batch_size, progress=self._progress, progress_every=progress_every
            )
        except SourcePathError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(
                f"Erreur de base de données ({error}). La base est-elle migrée (tremplin migrate) ? "
                "Relancez la même commande : les avis déjà enregistrés ne seront pas dupliqués."
            ) from error
        self._write_report(report)
        if options["json"]:
            self.stdout.write(json.dumps(report.summary(), separators=(",", ":")))

    def _progress(self, progress: Progress) -> None:
        self.stderr.write(
            f"  {progress.path} : {number(progress.read)} avis lus dans {number(progress.files)} fichier(s), "
            f"{progress.seconds:.1f} s".replace(".", ",")
        )

    def _write_report(self, report: ImportReport) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Terminé en {report.seconds:.1f} s : ".replace(".", ",")
                + f"{number(report.read)} avis lus dans {number(report.files)} fichier(s), "
                f"{number(report.created)} créés, {number(report.updated)} mis à jour, "
                f"{number(report.unchanged)} inchangés, {number(report.rejected)} rejetés, "
                f"{number(report.flagged)} avec anomalies."
            )
        )
        if report.organisations_created:
            self.stdout.write(
                f"  {number(report.organisations_created)} organisation(s) créée(s) (acheteurs, attributaires)."
            )
        if report.links:
            self.stdout.write(
                f"  {number(report.links)} avis relié(s) à l'avis qu'ils rectifient, annulent ou attribuent."
            )
        for code, count in report.rejections.most_common():
            self.stdout.write(self.style.WARNING(f"  rejet : {number(count)} × {REJECTION_LABELS.get(code, code)}"))
        for flag, count in report.flags.most_common():
            self.stdout.write(f"  anomalie : {number(count)} × {FLAGS.get(flag, flag)}")
