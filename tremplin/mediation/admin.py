"""Admin: cases and their log, read-only. The workflow and the assignment go through the pages, so that every change
is logged and notified; messages and documents are read on the case page (documents have no public URL)."""

from django.contrib import admin

from tremplin.mediation.models import Case, Event


class EventInline(admin.TabularInline):
    model = Event
    fields = ("created_at", "actor_label", "action", "details")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("reference", "company", "buyer", "category", "status", "region", "mediator", "filed_at")
    list_filter = ("status", "category", "region")
    search_fields = ("company__name", "company__siret", "buyer__name", "buyer__siret")
    raw_id_fields = ("company", "buyer", "filed_by", "contract", "mediator")
    readonly_fields = [f.name for f in Case._meta.fields]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the audit log and the documents go with the case


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "case", "actor_label", "action")
    list_filter = ("action",)
    readonly_fields = ("case", "actor", "actor_label", "action", "details", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
