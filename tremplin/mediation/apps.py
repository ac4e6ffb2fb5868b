from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "tremplin.mediation"
    verbose_name = "Médiation"
