"""Admin: published notices (read-only: the importer is their only writer) and the rejected records."""

from django.contrib import admin
from django.db import models

from tremplin.notices.models import Notice, NoticeAward, NoticeLot, RejectedNotice


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LotInline(ReadOnlyInline):
    model = NoticeLot
    fields = ("lot_ref", "title", "cpv", "estimated_value", "currency", "is_reserved")


class AwardInline(ReadOnlyInline):
    model = NoticeAward
    fields = ("lot_ref", "awarded", "value", "currency", "award_date", "tenders_received")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("source_id", "source", "kind", "title", "buyer_name", "publication_date", "deadline_at")
    list_filter = ("source", "kind", "is_reserved", "procedure")
    search_fields = ("source_id", "publication_number", "title", "buyer_name")
    raw_id_fields = ("buyer", "related")
    date_hierarchy = "publication_date"
    inlines = [LotInline, AwardInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RejectedNotice)
class RejectedNoticeAdmin(admin.ModelAdmin):
    list_display = ("file", "position", "source", "reason_code", "updated_at")
    list_filter = ("source", "reason_code")
    search_fields = ("file", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
