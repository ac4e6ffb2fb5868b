"""`tremplin send_alerts [--dry-run] [--frequency daily|weekly] [--now ISO] [--json]`: the alert e-mails, for cron
(e.g. every hour). Quiet on success: one summary line (with --json, a JSON object as the last line). Failures for
some people are written to stderr and the exit status is 1; the others are sent, the failed ones retried next run.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tremplin.alerts import rules
from tremplin.alerts.digests import send_alerts


class Command(BaseCommand):
    help = (
        "Envoie les alertes des recherches enregistrées : un e-mail récapitulatif par personne, avec les "
        "opportunités publiées depuis le précédent envoi et jamais envoyées à cette personne."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Affiche ce qui serait envoyé, sans rien envoyer.")
        parser.add_argument("--frequency", choices=[rules.DAILY, rules.WEEKLY], help="Seulement cette fréquence.")
        parser.add_argument("--now", help="Date et heure de référence (ISO 8601), pour les essais.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Dernière ligne : le résumé en JSON.")

    def handle(self, *args, dry_run=False, frequency=None, now=None, as_json=False, **options):
        moment = parse_now(now)
        report = send_alerts(now=moment, frequency=frequency, dry_run=dry_run)
        for preview in report.previews:
            self.stdout.write(preview)
        for error in report.errors:
            self.stderr.write(f"Échec : {error}")
        if report.unconfirmed:
            self.stderr.write(
                f"Attention : {report.unconfirmed} opportunité(s) préparée(s) par un envoi interrompu, sans "
                "confirmation du serveur de messagerie ; elles ne seront pas renvoyées (voir l'administration, "
                "« opportunités envoyées » sans date d'envoi)."
            )
        prefix = "Simulation — " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.searches} recherche(s) examinée(s), {report.emails} e-mail(s), "
            f"{report.items} opportunité(s), {report.skipped} ignorée(s), {len(report.errors)} échec(s)."
        )
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        if report.errors:
            failed = len(report.errors)
            raise CommandError(f"{failed} envoi(s) en échec, réessayé(s) au prochain passage.", returncode=1)


def parse_now(raw: str | None):
    if not raw:
        return timezone.now()
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(
            f"--now : date et heure ISO 8601 attendues, par ex. 2026-05-04T07:00:00+02:00 (reçu « {raw} »)."
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
