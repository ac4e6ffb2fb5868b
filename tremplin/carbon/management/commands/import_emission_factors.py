"""`tremplin import_emission_factors FICHIER [--source NOM] [--dry-run] [--json]`: the work is done by
`tremplin.carbon.imports` (the same checks as the staff page)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tremplin.carbon.imports import compare_with_database, decode, parse_factors, save_batch


class Command(BaseCommand):
    help = (
        "Importe des facteurs d'émission depuis un fichier CSV (séparateur ; ou ,, virgule décimale acceptée, "
        "UTF-8 avec ou sans BOM). Import idempotent : un facteur déjà connu (même reference_source, même valide_du) "
        "est mis à jour, jamais dupliqué. Les lignes en erreur sont rejetées et listées."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Chemin du fichier CSV.")
        parser.add_argument("--source", default="", help="Source des lignes dont la colonne « source » est vide.")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans rien enregistrer.")
        parser.add_argument("--json", action="store_true", help="Compte rendu en JSON.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        batch = parse_factors(decode(path.read_bytes()), options["source"], max_lines=None)
        if batch.file_errors:
            raise CommandError(" ".join(batch.file_errors))
        rejected = [{"line": line.number, "errors": line.errors} for line in batch.invalid]
        if options["dry_run"]:
            compare_with_database(batch)
            actions = [line.action for line in batch.valid]
            counts = {
                "created": actions.count("Création"),
                "updated": actions.count("Mise à jour"),
                "unchanged": actions.count("Inchangé"),
            }
        else:
            record = save_batch(batch, path.name, options["source"])
            counts = {"created": record.created, "updated": record.updated, "unchanged": record.unchanged}
        report = {"file": str(path), "dry_run": options["dry_run"], **counts, "rejected": rejected}
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        prefix = "Vérification (rien n'est enregistré) : " if options["dry_run"] else "Import terminé : "
        self.stdout.write(
            f"{prefix}{counts['created']} créé(s), {counts['updated']} mis à jour, {counts['unchanged']} inchangé(s), "
            f"{len(rejected)} ligne(s) rejetée(s)."
        )
        for item in rejected:
            self.stdout.write(f"  Ligne {item['line']} : " + " ; ".join(item["errors"]))
