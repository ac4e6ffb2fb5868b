"""`tremplin import_decp PATH… [--source NAME] [--json]`: the work is done by `tremplin.ingest.decp_import`."""

import json
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from tremplin.ingest.decp import FLAGS, REJECTIONS
from tremplin.ingest.decp.records import FAULT_CODES
from tremplin.ingest.decp_import.service import import_decp
from tremplin.ingest.decp_import.writer import FileReport, ImportInterrupted, ProducerError, Progress

# Test hook: simulate a killed import (exit status 137, nothing cleaned up) after N committed batches.
KILL_ENV = "TREMPLIN_DECP_KILL_AFTER_BATCHES"


def number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


OUTCOMES = {"imported": "", "resumed": " (reprise)", "skipped": " (déjà importé : non relu)"}


class Command(BaseCommand):
    requires_system_checks = []  # a data command: starting fast matters more (checks run with every other one)
    help = (
        "Importe des fichiers DECP (données essentielles de la commande publique) : JSON ou XML au format 2019 "
        "ou 2024, CSV tabulaire consolidé, fichiers simples ou archives .gz, .tar.gz, .zip. Lecture en flux "
        "(mémoire bornée), import idempotent et reprenable : relancé sur les mêmes fichiers après une "
        "interruption, il reprend où il s'était arrêté ; relancé sur des fichiers déjà importés, il ne crée rien. "
        "Les enregistrements inexploitables sont conservés (rejets) avec leur motif."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="FICHIER", help="fichier(s) ou archive(s) DECP")
        parser.add_argument(
            "--source",
            metavar="NOM",
            help="source des fichiers (plateforme, jeu de données) ; par défaut, une source par fichier, nommée "
            "d'après le nom du fichier sans ses extensions (decp-2022.xml.gz → decp-2022)",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='terminer par une ligne JSON : {"read", "created", "updated", "duplicates", "shared_ids", '
            '"rejected", "flagged"}',
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, metavar="N", help="enregistrements par transaction (5 000)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            choices=[0, 1],
            help="1 : lecture dans un processus séparé (deux cœurs), 0 : dans ce processus ; "
            "par défaut selon la taille (plus de 32 Mo : processus séparé)",
        )
        parser.add_argument(
            "--no-snapshot", action="store_true", help="ne pas reconstruire l'instantané de l'observatoire à la fin"
        )
        parser.add_argument(
            "--defer-indexes",
            action="store_true",
            help="supprimer pendant l'import les index qui ne servent qu'à la lecture (CPV, territoire, date, "
            "acheteur…) et les reconstruire à la fin : bien plus rapide pour un premier chargement massif ; "
            "si l'import est interrompu, le suivant les reconstruit",
        )
        parser.add_argument(
            "--skip-imported",
            action="store_true",
            help="ne pas relire les fichiers déjà entièrement importés (même source, même contenu)",
        )
        parser.add_argument("--progress", action="store_true", help="afficher l'avancement même hors terminal")

    def handle(self, *args, paths, source, batch_size, workers, no_snapshot, **options):
        self._tty = self.stderr.isatty()
        show_progress = options["progress"] or self._tty
        self._last_progress = 0.0
        kill_after = int(os.environ.get(KILL_ENV) or 0) or None
        try:
            report = import_decp(
                paths,
                source=source,
                batch_size=batch_size,
                workers=workers,
                progress=self._progress if show_progress else None,
                on_file_done=self._file_done,
                snapshot=not no_snapshot,
                stop_after_batches=kill_after,
                defer_indexes=options["defer_indexes"],
                skip_imported=options["skip_imported"],
            )
        except ImportInterrupted:
            os._exit(137)  # the test hook: as if killed
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        except ProducerError as error:
            raise CommandError(f"Erreur pendant la lecture des fichiers :\n{error}") from error
        except DatabaseError as error:
            raise CommandError(
                f"Erreur de base de données ({error}). La base est-elle migrée (tremplin migrate) ? "
                "Relancez la même commande : l'import reprendra là où il s'est arrêté."
            ) from error
        if self._tty and show_progress:
            self.stderr.write("")
        total = report.total()
        rate = total["read"] / report.seconds if report.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Terminé en {duration(report.seconds)} ({number(rate)} enr./s) : {number(total['read'])} "
                f"enregistrements lus, {number(total['created'])} marchés créés, {number(total['updated'])} mis à "
                f"jour, {number(total['duplicates'])} doublons, {number(total['shared_ids'])} identifiants partagés "
                f"(lots), {number(total['rejected'])} rejetés, {number(total['flagged'])} avec anomalies."
            )
        )
        if report.indexes_created:
            self.stdout.write(f"Index reconstruits : {', '.join(report.indexes_created)}.")
        if report.snapshot is not None:
            self.stdout.write("Instantané de l'observatoire reconstruit.")
        if options["json"]:
            self.stdout.write(json.dumps(report.summary(), separators=(",", ":")))

    def _progress(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self._last_progress < 0.5:
            return
        self._last_progress = now
        rate = progress.records / progress.elapsed if progress.elapsed else 0
        line = f"  {progress.label} : {number(progress.records)} enr. ({number(rate)} enr./s)"
        if progress.size:
            share = min(1.0, progress.position / progress.size)
            line += f", {share:.0%} du fichier lu"
            if 0 < share < 1 and progress.elapsed > 2:
                line += f", reste environ {duration(progress.elapsed * (1 - share) / share)}"
        if self._tty:
            self.stderr.write("\r\033[K" + line, ending="")
            self.stderr.flush()
        else:
            self.stderr.write(line)

    def _file_done(self, report: FileReport) -> None:
        counts = report.counts
        if self._tty:
            self.stderr.write("\r\033[K", ending="")
        self.stdout.write(
            f"{report.label} [{report.source}]{OUTCOMES[report.outcome]} : {number(counts['read'])} lus, "
            f"{number(counts['created'])} créés, {number(counts['updated'])} mis à jour, "
            f"{number(counts['duplicates'])} doublons, {number(counts['shared_ids'])} identifiants partagés, "
            f"{number(counts['rejected'])} rejetés, {number(counts['flagged'])} avec anomalies."
        )
        for code, count in sorted(counts["rejections"].items(), key=lambda item: -item[1]):
            label = REJECTIONS.get(code) or FAULT_CODES.get(code, code)
            self.stdout.write(self.style.WARNING(f"  rejet : {number(count)} × {label}"))
        if report.error:
            self.stdout.write(self.style.WARNING(f"  {report.error}"))
        for flag, count in sorted(counts["flags"].items(), key=lambda item: -item[1]):
            self.stdout.write(f"  anomalie : {number(count)} × {FLAGS.get(flag, flag)}")
