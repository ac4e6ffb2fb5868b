from django.apps import AppConfig


class InterestsConfig(AppConfig):
    name = "tremplin.interests"
    verbose_name = "Intérêts et messages"
