from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "tremplin.notices"
    verbose_name = "Avis publiés (BOAMP, TED)"
