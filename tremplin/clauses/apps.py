from django.apps import AppConfig


class ClausesConfig(AppConfig):
    name = "tremplin.clauses"
    verbose_name = "Clauses d'achat responsable"
