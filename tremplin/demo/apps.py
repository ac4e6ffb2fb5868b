from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tremplin.demo"
    verbose_name = "Démonstration"
