"""Admin for the awarded contracts and their provenance: read-only, since `tremplin import_decp` is the only
writer (an edit would be undone by the next import of the same files)."""

from django.contrib import admin

from tremplin.contracts.models import (
    Contract,
    ContractHolder,
    ContractModification,
    RejectedRecord,
    Source,
    SourceFile,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HolderInline(ReadOnlyInline):
    model = ContractHolder
    fields = ("position", "id_type", "identifier", "name", "organisation", "is_initial", "is_current")
    readonly_fields = fields
    raw_id_fields = ("organisation",)


class ModificationInline(ReadOnlyInline):
    model = ContractModification
    fields = ("seq", "decp_id", "notification_date", "publication_date", "object", "duration_months", "amount")
    readonly_fields = fields


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("key", "buyer_name", "notification_date", "amount_initial", "amount_suspicious", "format")
    list_filter = ("kind", "format", "amount_suspicious", "territory_source")
    search_fields = ("=key", "=uid", "=buyer_identifier", "object")
    date_hierarchy = "notification_date"
    list_select_related = ("buyer",)
    raw_id_fields = ("buyer", "source_file")
    inlines = (HolderInline, ModificationInline)
    show_full_result_count = False  # counting 1.5 million rows on every page is slow


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(SourceFile)
class SourceFileAdmin(ReadOnlyAdmin):
    list_display = ("name", "source", "status", "checkpoint", "size", "started_at", "finished_at")
    list_filter = ("status", "source")
    search_fields = ("name", "=fingerprint")
    list_select_related = ("source",)


@admin.register(RejectedRecord)
class RejectedRecordAdmin(ReadOnlyAdmin):
    list_display = ("position", "reason_code", "source_file", "created_at")
    list_filter = ("reason_code", "source_file__source")
    search_fields = ("position", "payload")
    list_select_related = ("source_file",)
    raw_id_fields = ("source_file",)
