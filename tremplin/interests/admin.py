from django.contrib import admin

from tremplin.interests.models import Interest, InterestEvent, Thread


class InterestEventInline(admin.TabularInline):
    model = InterestEvent
    extra = 0
    readonly_fields = ["action", "reason", "details", "lots", "by", "at"]
    can_delete = False


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["organisation", "forecast", "notice", "notified_at", "viewed_at", "interested_at", "reason"]
    list_filter = ["reason"]
    search_fields = ["organisation__name", "organisation__siret", "forecast__title"]
    raw_id_fields = ["organisation", "forecast", "notice"]
    filter_horizontal = ["lots"]
    inlines = [InterestEventInline]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["forecast", "organisation", "created_at", "last_message_at"]
    search_fields = ["organisation__name", "forecast__title"]
    raw_id_fields = ["forecast", "organisation"]
    # No message bodies here: a thread is private to its two organisations, platform staff included.
