from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "tremplin.contracts"
    verbose_name = "Marchés attribués"
