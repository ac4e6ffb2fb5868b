from django.contrib import admin

from tremplin.carbon.models import EmissionFactor, Estimate, EstimateLine, FactorImport


@admin.register(EmissionFactor)
class EmissionFactorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "value", "unit", "valid_from", "valid_to", "source_name", "source_reference")
    list_filter = ("kind", "source_name")
    search_fields = ("name", "source_reference")
    readonly_fields = ("imported_at", "import_batch")


@admin.register(FactorImport)
class FactorImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "created_at", "imported_by", "created", "updated", "unchanged")
    readonly_fields = [field.name for field in FactorImport._meta.fields]


class EstimateLineInline(admin.TabularInline):
    model = EstimateLine
    extra = 0
    readonly_fields = ("factor", "factor_value", "factor_unit", "kgco2e")


@admin.register(Estimate)
class EstimateAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "reference_date", "updated_at")
    raw_id_fields = ("organisation", "forecast", "lot", "contract", "created_by")
    inlines = [EstimateLineInline]
