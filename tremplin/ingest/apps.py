from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "tremplin.ingest"
    verbose_name = "Imports de données"
