from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "tremplin.payments"
    verbose_name = "Délais de paiement"
