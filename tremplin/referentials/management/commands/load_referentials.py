"""`tremplin load_referentials [--from DIR]`: the work is done by `tremplin.referentials.loaders`."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from tremplin.referentials.loaders import default_source_dir, load_referentials
from tremplin.referentials.sources import SourceError


class Command(BaseCommand):
    help = (
        "Charge les référentiels : CPV 2008, NAF rév. 2, régions, départements, communes et codes postaux. "
        "Idempotent : un second passage ne change rien et le dit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="source_dir",
            type=Path,
            default=None,
            metavar="DIR",
            help=f"dossier des fichiers de référence (par défaut : {default_source_dir()})",
        )

    def handle(self, *args, source_dir: Path | None = None, **options):
        started = time.monotonic()
        try:
            reports = load_referentials(source_dir, progress=self.stdout.write)
        except SourceError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(
                f"Erreur de base de données ({error}). La base est-elle migrée (tremplin migrate) ?"
            ) from error
        elapsed = f"{time.monotonic() - started:.1f}".replace(".", ",")
        if any(report.changed for report in reports):
            self.stdout.write(self.style.SUCCESS(f"Référentiels chargés en {elapsed} s."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Aucun changement : les référentiels étaient à jour ({elapsed} s)."))
