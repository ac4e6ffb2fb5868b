"""Admin of the reference data: searchable, read-only (the data comes from `tremplin load_referentials`)."""

from django.contrib import admin

from tremplin.referentials.models import Commune, CommunePostcode, CpvCode, Department, NafCode, Region


class ReferenceAdmin(admin.ModelAdmin):
    """Browse and search only: rows are created and updated by the loader, so no add, change or delete.
    Searching matches the label as typed or, without accents, the stored search text."""

    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CpvCode)
class CpvCodeAdmin(ReferenceAdmin):
    list_display = ("code", "check_digit", "label", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "label", "search_text")
    list_select_related = ("parent",)


@admin.register(NafCode)
class NafCodeAdmin(ReferenceAdmin):
    list_display = ("code", "label", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "label", "search_text")
    list_select_related = ("parent",)


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ("code", "name", "zone")
    list_filter = ("zone",)
    search_fields = ("code", "name", "search_text")


@admin.register(Department)
class DepartmentAdmin(ReferenceAdmin):
    list_display = ("code", "name", "region", "zone")
    list_filter = ("zone", "region")
    search_fields = ("code", "name", "search_text")
    list_select_related = ("region",)


class PostcodeInline(admin.TabularInline):
    model = CommunePostcode
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(ReferenceAdmin):
    list_display = ("code", "name", "kind", "department", "population", "latitude", "longitude")
    list_filter = ("kind", "department__region")
    search_fields = ("code", "name", "search_text", "postcodes__postcode")
    list_select_related = ("department",)
    inlines = [PostcodeInline]


@admin.register(CommunePostcode)
class CommunePostcodeAdmin(ReferenceAdmin):
    list_display = ("postcode", "commune")
    search_fields = ("postcode", "commune__name", "commune__search_text")
    list_select_related = ("commune",)
