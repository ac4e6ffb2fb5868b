from django.db import migrations, models

from tremplin.core.text import search_key


def fill_search_text(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    organisations = list(Organisation.objects.only("pk", "name"))
    for organisation in organisations:
        organisation.search_text = search_key(organisation.name)[:255]
    Organisation.objects.bulk_update(organisations, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_text",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
