from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "tremplin.alerts"
    verbose_name = "Recherches enregistrées et alertes"
