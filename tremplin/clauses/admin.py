from django.contrib import admin

from tremplin.clauses.models import Clause, ClauseType, EgalimPurchase, HoursDeclaration, InsertionDefaults, LabourShare


@admin.register(ClauseType)
class ClauseTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "family", "target_unit", "position"]
    list_editable = ["position"]


@admin.register(InsertionDefaults)
class InsertionDefaultsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "default_labour_share", "updated_at"]

    def has_add_permission(self, request):
        return not InsertionDefaults.objects.exists()


@admin.register(LabourShare)
class LabourShareAdmin(admin.ModelAdmin):
    list_display = ["division", "label", "labour_share"]
    search_fields = ["division", "label"]


class HoursDeclarationInline(admin.TabularInline):
    model = HoursDeclaration
    extra = 0
    raw_id_fields = ["declared_by", "organisation"]


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    list_display = ["clause_type", "forecast", "lot", "contract", "hours_due", "target_percent", "created_at"]
    list_filter = ["clause_type"]
    raw_id_fields = ["forecast", "lot", "contract", "created_by"]
    inlines = [HoursDeclarationInline]


@admin.register(EgalimPurchase)
class EgalimPurchaseAdmin(admin.ModelAdmin):
    list_display = ["buyer", "year", "family", "category", "amount_excl_vat"]
    list_filter = ["year", "family", "category"]
    raw_id_fields = ["buyer", "declared_by"]
