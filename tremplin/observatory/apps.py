from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "tremplin.observatory"
    verbose_name = "Observatoire de la dépense publique"
