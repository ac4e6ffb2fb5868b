from django.apps import AppConfig


class CarbonConfig(AppConfig):
    name = "tremplin.carbon"
    verbose_name = "Estimations carbone"
