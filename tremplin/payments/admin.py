"""Admin: the ECB rate table (kept up to date by staff after each ECB decision) and invoices."""

from django import forms
from django.contrib import admin

from tremplin.payments import rules
from tremplin.payments.models import EcbRate, Invoice
from tremplin.payments.services import compute_rows


class EcbRateForm(forms.ModelForm):
    class Meta:
        model = EcbRate
        fields = ["effective_date", "rate", "note"]
        localized_fields = ["rate"]  # "2,15" as French staff type it


@admin.register(EcbRate)
class EcbRateAdmin(admin.ModelAdmin):
    form = EcbRateForm
    list_display = ("effective_date", "rate", "note")
    ordering = ("-effective_date",)
    date_hierarchy = "effective_date"

    def changelist_view(self, request, extra_context=None):
        latest = EcbRate.objects.order_by("-effective_date").first()
        extra_context = extra_context or {}
        if latest:
            extra_context["title"] = (
                f"Taux de la BCE — connus jusqu'au {rules.french_date(latest.effective_date)}. Après chaque décision "
                "de la BCE, ajoutez une ligne : le nouveau taux à sa date d'effet, ou le même taux s'il est maintenu."
            )
        return super().changelist_view(request, extra_context)


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("number", "contract", "supplier", "amount_ttc", "received_on", "paid_on", "status")
    list_filter = ("paid_on",)
    search_fields = ("number", "contract__key", "contract__decp_id", "supplier__name", "supplier__siret")
    raw_id_fields = ("contract", "supplier", "created_by")
    readonly_fields = ("created_by", "created_at", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contract__buyer", "supplier")

    @admin.display(description="état")
    def status(self, invoice):
        row = compute_rows([invoice])[0]
        return row.status_label
