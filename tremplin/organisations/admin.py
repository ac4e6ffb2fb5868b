"""Admin for organisations, memberships (decided only through the service) and labels."""

from django import forms
from django.contrib import admin, messages

from tremplin.core.text import search_key
from tremplin.organisations.models import Label, Membership, Organisation
from tremplin.organisations.rules import InvalidIdentifier, validate_siret
from tremplin.organisations.services import MembershipError, decide_membership

READONLY = (
    "siren",
    "size_category",
    "size_source",
    "legal_category",
    "establishment_headcount_band",
    "is_closed",
    "closed_on",
    "sirene_updated_at",
    "created_at",
    "updated_at",
)
FIELDSETS = (
    (None, {"fields": ("siret", "siren", "name", "is_buyer", "is_supplier", "is_network", "description", "website")}),
    ("Adresse", {"fields": ("address", "postcode", "commune", "department")}),
    ("Acheteur", {"fields": ("buyer_type",)}),
    (
        "Fournisseur",
        {
            "fields": (
                "naf",
                ("headcount_band", "company_category", "declared_size_category"),
                ("size_category", "size_source"),
                "inclusive_status",
                ("is_ess", "is_esus"),
                "labels",
            )
        },
    ),
    (
        "Répertoire SIRENE (lecture seule)",
        {"fields": ("legal_category", "establishment_headcount_band", ("is_closed", "closed_on"), "sirene_updated_at")},
    ),
    ("Suivi", {"fields": ("created_at", "updated_at")}),
)


def flatten(fields):
    return [name for item in fields for name in (item if isinstance(item, tuple) else (item,))]


class OrganisationForm(forms.ModelForm):
    # Longer than 14 so that a SIRET pasted with spaces ("215 901 638 00019") reaches clean_siret.
    siret = forms.CharField(label="SIRET", max_length=30)
    website = forms.URLField(label="site web", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [name for _, options in FIELDSETS for name in flatten(options["fields"]) if name not in READONLY]

    def clean_siret(self):
        try:
            return validate_siret(self.cleaned_data["siret"])
        except InvalidIdentifier as exc:
            raise forms.ValidationError(str(exc)) from exc


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("name", "siret", "is_buyer", "is_supplier", "buyer_type", "size_category", "inclusive_status")
    list_filter = ("is_buyer", "is_supplier", "is_network", "buyer_type", "size_category", "inclusive_status")
    search_fields = ("siret", "name")
    fieldsets = FIELDSETS
    readonly_fields = READONLY
    raw_id_fields = ("commune", "department", "naf")
    filter_horizontal = ("labels",)

    def get_search_results(self, request, queryset, search_term):
        """Also match the name without accents or case (« electricite » finds « Électricité »)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = search_key(search_term).split()
        if words:
            accent_free = queryset
            for word in words:
                accent_free = accent_free.filter(search_text__contains=word)
            results = results | accent_free
        return results, may_have_duplicates


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "status", "requested_at", "decided_at", "decided_by")
    list_filter = ("status", "role")
    search_fields = ("user__email", "organisation__name", "organisation__siret")
    list_select_related = ("user", "organisation", "decided_by")
    raw_id_fields = ("user", "organisation")
    readonly_fields = ("status", "requested_at", "decided_at", "decided_by", "decision_reason")
    actions = ["approve", "reject"]

    def _decide(self, request, queryset, approve: bool):
        done = 0
        for membership in queryset.select_related("user", "organisation"):
            try:
                decide_membership(request.user, membership, approve)
            except MembershipError as exc:
                self.message_user(request, f"{membership} : {exc}", messages.WARNING)
            else:
                done += 1
        verb = "acceptée(s)" if approve else "refusée(s)"
        self.message_user(request, f"{done} demande(s) {verb}.", messages.SUCCESS if done else messages.INFO)

    @admin.action(description="Accepter les demandes sélectionnées", permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description="Refuser les demandes sélectionnées", permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, approve=False)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
