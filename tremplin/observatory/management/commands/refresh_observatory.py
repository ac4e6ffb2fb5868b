"""`tremplin refresh_observatory`: rebuild the observatory's columnar snapshot (DuckDB) from the database."""

from django.core.management.base import BaseCommand

from tremplin.observatory import snapshot


class Command(BaseCommand):
    help = (
        "Reconstruit l'instantané de l'observatoire (fichier DuckDB) depuis la base, de façon atomique. À lancer "
        "après chaque import DECP ou enrichissement SIRENE (sinon il est reconstruit à la première consultation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-rows", type=int, default=None, help="Lignes lues par lot (défaut : 50 000).")

    def handle(self, *args, batch_rows=None, **options):
        path = snapshot.snapshot_path()
        self.stdout.write(f"Construction de l'instantané {path}…")
        meta = snapshot.refresh_snapshot(path, batch_rows=batch_rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"Instantané prêt : {meta['contracts']} marchés, {meta['rows']} lignes marché × titulaire, "
                f"en {meta['seconds']:.1f} s."
            )
        )
