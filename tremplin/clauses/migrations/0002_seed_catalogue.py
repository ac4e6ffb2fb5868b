"""Seed the clause catalogue (six kinds) and the insertion practice defaults (domain-rules §3.3); the data are in
tremplin.clauses.catalogue, shared with the demo."""

from django.db import migrations

from tremplin.clauses.catalogue import seed_catalogue


def seed(apps, schema_editor):
    seed_catalogue(
        apps.get_model("clauses", "ClauseType"),
        apps.get_model("clauses", "InsertionDefaults"),
        apps.get_model("clauses", "LabourShare"),
    )


class Migration(migrations.Migration):
    dependencies = [("clauses", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
