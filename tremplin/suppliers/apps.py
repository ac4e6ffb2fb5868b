from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    name = "tremplin.suppliers"
    verbose_name = "Profils fournisseurs"
