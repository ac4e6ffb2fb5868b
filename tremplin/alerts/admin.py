from django.contrib import admin

from tremplin.alerts.models import AlertDelivery, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "organisation", "frequency", "is_active", "last_sent_at", "created_at"]
    list_filter = ["frequency", "is_active"]
    search_fields = ["name", "user__email", "organisation__name"]
    raw_id_fields = ["user", "organisation"]
    readonly_fields = ["last_sent_at", "created_at", "updated_at"]


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    list_display = ["item_id", "title", "user", "search", "claimed_at", "sent_at"]
    list_filter = ["sent_at"]
    search_fields = ["item_id", "title", "user__email"]
    raw_id_fields = ["user", "search"]
    readonly_fields = ["user", "item_id", "search", "title", "batch", "claimed_at", "sent_at"]
