"""Admin for forecasts and fairs. Statuses and registrations change only through the use cases (pages, API),
which apply the lifecycle rules and the waiting list: they are read-only here."""

from django.contrib import admin
from django.db import models

from tremplin.opportunities.models import Fair, Forecast, Lot, Registration, StatusChange
from tremplin.opportunities.services import refresh_derived


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    autocomplete_fields = ["cpv"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Forecast)
class ForecastAdmin(admin.ModelAdmin):
    list_display = ["title", "buyer", "status", "category", "publication_quarter", "estimated_amount", "updated_at"]
    list_filter = ["status", "category", "source"]
    search_fields = ["title", "buyer__name", "buyer__siret", "external_id"]
    list_select_related = ["buyer"]
    autocomplete_fields = ["cpv", "cpv_secondary"]
    filter_horizontal = ["departments"]
    raw_id_fields = ["buyer", "created_by", "communes"]
    readonly_fields = ["status", "reserved_articles", "published_at", "source", "external_id"]
    inlines = [LotInline, StatusChangeInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_derived(form.instance)


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    can_delete = False
    readonly_fields = ["organisation", "user", "status", "requested_at", "promoted_at", "cancelled_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Fair)
class FairAdmin(admin.ModelAdmin):
    list_display = ["title", "organiser", "starts_at", "capacity", "cancelled_at"]
    search_fields = ["title", "organiser__name"]
    list_select_related = ["organiser"]
    raw_id_fields = ["organiser", "created_by", "commune", "forecasts"]
    readonly_fields = ["sequence", "cancelled_at", "created_at", "updated_at"]
    inlines = [RegistrationInline]
