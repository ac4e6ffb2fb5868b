"""Ship the ECB main refinancing operations rate history (date of effect, rate in %), editable by staff later.

The values are copied here (not imported from the app) so that this migration keeps loading the same data."""

import datetime
from decimal import Decimal

from django.db import migrations

RATES = [
    ("2016-03-16", "0.00", "Changement de taux (barème livré avec Tremplin)"),
    ("2022-07-27", "0.50", "Changement de taux (barème livré avec Tremplin)"),
    ("2022-09-14", "1.25", "Changement de taux (barème livré avec Tremplin)"),
    ("2022-11-02", "2.00", "Changement de taux (barème livré avec Tremplin)"),
    ("2022-12-21", "2.50", "Changement de taux (barème livré avec Tremplin)"),
    ("2023-02-08", "3.00", "Changement de taux (barème livré avec Tremplin)"),
    ("2023-03-22", "3.50", "Changement de taux (barème livré avec Tremplin)"),
    ("2023-05-10", "3.75", "Changement de taux (barème livré avec Tremplin)"),
    ("2023-06-21", "4.00", "Changement de taux (barème livré avec Tremplin)"),
    ("2023-09-20", "4.50", "Changement de taux (barème livré avec Tremplin)"),
    ("2024-06-12", "4.25", "Changement de taux (barème livré avec Tremplin)"),
    ("2024-09-18", "3.65", "Changement de taux (barème livré avec Tremplin)"),
    ("2024-10-23", "3.40", "Changement de taux (barème livré avec Tremplin)"),
    ("2024-12-18", "3.15", "Changement de taux (barème livré avec Tremplin)"),
    ("2025-02-05", "2.90", "Changement de taux (barème livré avec Tremplin)"),
    ("2025-03-12", "2.65", "Changement de taux (barème livré avec Tremplin)"),
    ("2025-04-23", "2.40", "Changement de taux (barème livré avec Tremplin)"),
    ("2025-06-11", "2.15", "Changement de taux (barème livré avec Tremplin)"),
    (
        "2026-01-01",
        "2.15",
        "Confirmation : taux inchangé au 1er janvier 2026 (maintien décidé par la BCE le 18 décembre 2025)",
    ),
]


def load(apps, schema_editor):
    EcbRate = apps.get_model("payments", "EcbRate")
    for day, rate, note in RATES:
        EcbRate.objects.update_or_create(
            effective_date=datetime.date.fromisoformat(day), defaults={"rate": Decimal(rate), "note": note}
        )


def unload(apps, schema_editor):
    EcbRate = apps.get_model("payments", "EcbRate")
    EcbRate.objects.filter(effective_date__in=[datetime.date.fromisoformat(day) for day, _, _ in RATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
