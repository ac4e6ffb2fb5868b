"""`tremplin import_sirene FICHIER… [--json] [--dry-run]`: the work is done by `tremplin.ingest.sirene`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from tremplin.ingest.sirene.reader import FileKind, Progress, SireneFormatError
from tremplin.ingest.sirene.service import FIELD_LABELS, SKIP_LABELS, WARNING_LABELS, FileReport, import_sirene


def number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Enrichit les organisations existantes à partir des fichiers stock SIRENE de l'Insee "
        "(StockEtablissement et StockUniteLegale, en .csv, .csv.gz ou .zip ; le type est reconnu à l'en-tête) : "
        "commune, adresse, NAF, tranches d'effectif, catégorie d'entreprise, catégorie juridique, ESS, fermeture. "
        "Les lignes des organisations inconnues sont ignorées. Idempotent : un second passage ne change rien et le dit."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FICHIER", help="fichier(s) stock SIRENE")
        parser.add_argument("--json", action="store_true", help="terminer par un résumé JSON sur une ligne")
        parser.add_argument("--dry-run", action="store_true", help="tout lire et compter sans rien enregistrer")
        parser.add_argument(
            "--examples", type=int, default=5, metavar="N", help="lignes rejetées citées par fichier (défaut : 5)"
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=1_000_000,
            metavar="N",
            help="avancement affiché toutes les N lignes, sur un terminal (défaut : 1 000 000)",
        )
        parser.add_argument("--progress", action="store_true", help="afficher l'avancement même hors terminal")
        parser.add_argument(
            "--batch-size", type=int, default=2000, metavar="N", help="organisations écrites par transaction"
        )

    def handle(self, *args, files, dry_run: bool, examples: int, progress_every: int, **options):
        show_progress = options["progress"] or self.stderr.isatty()
        try:
            report = import_sirene(
                files,
                dry_run=dry_run,
                batch_size=max(1, options["batch_size"]),
                max_examples=max(0, examples),
                progress=self._progress if show_progress else None,
                progress_every=max(1, progress_every),
                on_file_done=self._file_done,
            )
        except (FileNotFoundError, SireneFormatError) as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(
                f"Erreur de base de données ({error}). La base est-elle migrée (tremplin migrate) ?"
            ) from error

        self._fields(report.fields)
        if report.changed and not dry_run:
            self._refresh_territories()
        prefix = "Simulation (--dry-run) : rien n'a été enregistré. " if dry_run else ""
        if report.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix}{number(report.total('updated'))} mise(s) à jour, "
                    f"{number(report.total('unchanged'))} organisation(s) déjà à jour."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix}Aucun changement : les {number(report.total('matched'))} organisation(s) trouvées "
                    "étaient à jour."
                )
            )
        if options["json"]:
            self.stdout.write(json.dumps(report.summary(), ensure_ascii=False, separators=(",", ":")))

    def _progress(self, progress: Progress) -> None:
        self.stderr.write(
            f"  … {progress.label} : {number(progress.rows)} lignes lues ({number(progress.rate)} lignes/s), "
            f"{number(progress.candidates)} retenues"
        )

    def _file_done(self, report: FileReport) -> None:
        kind = FileKind(report.kind).label
        self.stdout.write(
            f"{report.label} ({kind}) : {number(report.read)} lignes lues en {seconds(report.seconds)} s "
            f"({number(report.rate)} lignes/s), {number(report.matched)} organisation(s) trouvée(s), "
            f"{number(report.updated)} mise(s) à jour, {number(report.unchanged)} inchangée(s)."
        )
        for reason, count in sorted(report.skipped.items()):
            self.stdout.write(self.style.WARNING(f"  {number(count)} ligne(s) ignorée(s) : {SKIP_LABELS[reason]}"))
        for row in report.examples:
            self.stdout.write(f"    ligne {row.line} : {SKIP_LABELS[row.reason]} — {row.excerpt}")
        for reason, count in sorted(report.warnings.items()):
            self.stdout.write(f"  {number(count)} ligne(s) : {WARNING_LABELS[reason]}")

    def _fields(self, fields) -> None:
        if not fields:
            return
        self.stdout.write("Champs (mis à jour / inchangés / valeur saisie conservée) :")
        for name, counts in sorted(fields.items(), key=lambda item: FIELD_LABELS[item[0]].lower()):
            self.stdout.write(
                f"  {FIELD_LABELS[name]} : {number(counts['updated'])} / {number(counts['unchanged'])}"
                f" / {number(counts['kept'])}"
            )

    def _refresh_territories(self) -> None:
        """A contract without a usable place of execution takes its buyer's department as territory: recompute
        those, since the buyers' communes may have just changed."""
        from tremplin.contracts.models import Contract, TerritorySource
        from tremplin.contracts.territory import refresh_territories

        changed = refresh_territories(Contract.objects.exclude(territory_source=TerritorySource.EXECUTION))
        if changed:
            self.stdout.write(f"Territoire recalculé pour {number(changed)} marché(s) (département de l'acheteur).")
