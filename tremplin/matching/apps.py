from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "tremplin.matching"
    verbose_name = "Correspondances"
