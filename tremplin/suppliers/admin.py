"""Admin for supplier profiles: staff read and correct them; activities and perimeters inline."""

from django.contrib import admin

from tremplin.suppliers.models import SupplierActivity, SupplierPerimeter, SupplierProfile


class ActivityInline(admin.TabularInline):
    model = SupplierActivity
    extra = 0
    raw_id_fields = ("cpv", "naf")
    fields = ("cpv", "naf", "offers_service", "offers_goods", "offers_staffing", "description")


class PerimeterInline(admin.TabularInline):
    model = SupplierPerimeter
    extra = 0
    fields = ("kind", "region", "department", "radius_km")


@admin.register(SupplierProfile)
class SupplierProfileAdmin(admin.ModelAdmin):
    list_display = ("organisation", "prefilled", "headcount_band", "turnover", "turnover_year", "updated_at")
    list_filter = ("prefilled",)
    search_fields = ("organisation__name", "organisation__siret")
    raw_id_fields = ("organisation",)
    readonly_fields = ("created_at", "updated_at")
    list_select_related = ("organisation",)
    inlines = [ActivityInline, PerimeterInline]
