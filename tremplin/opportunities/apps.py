from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "tremplin.opportunities"
    verbose_name = "Prévisions d'achat et salons"
