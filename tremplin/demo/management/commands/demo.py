from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from tremplin.demo import report as printed
from tremplin.demo.contracts import import_contracts
from tremplin.demo.extras import build_extras
from tremplin.demo.services import DemoError, build_demo


class Command(BaseCommand):
    help = (
        "Crée (idempotent) une démonstration à partir des données DECP réelles : acheteurs, fournisseurs, "
        "un compte par rôle et une demande de rattachement en attente."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", type=Path, help="Dossier des données publiques (défaut : réglage TREMPLIN_DATA_DIR)."
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Remet le mot de passe de démonstration sur les comptes de démo qui existent déjà.",
        )
        parser.add_argument("--force", action="store_true", help="Accepte de tourner quand DEBUG est désactivé.")
        parser.add_argument(
            "--skip-contracts",
            action="store_true",
            help="N'importe pas les marchés attribués (fichiers DECP réels) : organisations et comptes seulement.",
        )

    def handle(self, *args, data_dir=None, reset_passwords=False, force=False, skip_contracts=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : ceci ressemble à une production, où des comptes de démonstration au mot de "
                "passe connu seraient une faille. Relancez avec --force si c'est vraiment voulu."
            )
        data_dir = Path(data_dir or settings.TREMPLIN_DATA_DIR)
        try:
            report = build_demo(data_dir, reset_passwords=reset_passwords)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc

        for line in printed.source_lines(report) + printed.organisation_lines(report):
            self.stdout.write(line)
        if not skip_contracts:
            self.stdout.write("Import des marchés attribués (fichiers DECP réels)…")
            contracts = import_contracts(data_dir)
            for line in printed.contract_lines(contracts):
                self.stdout.write(line)
            report.contract_changes = contracts.changed
            for line in build_extras(data_dir):
                self.stdout.write(line)
        for line in printed.warning_lines(report):
            self.stdout.write(self.style.WARNING(line))
        if report.up_to_date:
            self.stdout.write(self.style.SUCCESS("Démo déjà à jour : rien n'a été créé ni modifié."))
        else:
            self.stdout.write(self.style.SUCCESS("Démo prête."))
        for line in printed.account_lines(report, settings.SITE_URL + reverse("accounts:login")):
            self.stdout.write(line)
