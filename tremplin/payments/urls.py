from django.urls import path

from tremplin.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("mes-factures/", views.hub, name="hub"),
    path("import/", views.ledger_import, name="import"),
    path("import/modele-factures.csv", views.ledger_template, name="import_template"),
    path("marches/<str:key>/", views.contract_invoices, name="contract"),
    path("marches/<str:key>/ajouter/", views.invoice_add, name="invoice_add"),
    path("factures/<int:pk>/", views.invoice_detail, name="invoice"),
    path("factures/<int:pk>/modifier/", views.invoice_edit, name="invoice_edit"),
    path("entreprises/<str:siret>/", views.supplier_summary, name="supplier"),
    path("entreprises/<str:siret>/lettre/<str:buyer_siret>/", views.claim_letter, name="letter"),
    path("acheteurs/<str:siret>/", views.buyer_summary, name="buyer"),
]
