"""Django admin for the territories reference data.

Régions, départements, communes and postal codes come from the shipped geography file, and
employment areas and hiring needs from BMO imports: a reload would overwrite hand edits, so
these screens are for looking up, not for writing (except a commune's coordinates, which the
file does not carry).
"""

from __future__ import annotations

from django.contrib import admin

from .models import (
    Commune,
    Department,
    EmploymentArea,
    FamilyTension,
    HiringNeed,
    PostalCode,
    Region,
    RomeTension,
    TradeFamilyFigure,
)


class _ReferenceAdmin(admin.ModelAdmin):
    """Read-only by default: rows are written by the loaders in services."""

    editable_fields: tuple[str, ...] = ()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [
            field.name
            for field in self.model._meta.concrete_fields
            if field.name not in self.editable_fields and not field.primary_key
        ]


@admin.register(Region)
class RegionAdmin(_ReferenceAdmin):
    list_display = ("code", "name", "slug")
    search_fields = ("code", "name")
    ordering = ("code",)


@admin.register(Department)
class DepartmentAdmin(_ReferenceAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    list_select_related = ("region",)
    search_fields = ("code", "name")


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 0
    fields = ("code",)
    readonly_fields = ("code",)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(_ReferenceAdmin):
    editable_fields = ("latitude", "longitude")
    list_display = ("insee_code", "name", "department", "region", "population")
    list_filter = ("region", "department")
    list_select_related = ("department", "region")
    search_fields = ("insee_code", "name", "postal_codes__code")
    inlines = (PostalCodeInline,)
    show_full_result_count = False  # ~35,000 rows: skip the extra COUNT(*)


@admin.register(PostalCode)
class PostalCodeAdmin(_ReferenceAdmin):
    list_display = ("code", "commune", "department")
    list_filter = ("commune__region",)
    list_select_related = ("commune__department",)
    search_fields = ("code", "commune__name", "commune__insee_code")
    raw_id_fields = ("commune",)
    show_full_result_count = False

    @admin.display(description="département", ordering="commune__department__code")
    def department(self, obj: PostalCode):
        return obj.commune.department


@admin.register(EmploymentArea)
class EmploymentAreaAdmin(_ReferenceAdmin):
    list_display = ("code", "name", "department")
    list_filter = ("department__region", "department")
    list_select_related = ("department",)
    search_fields = ("code", "name", "department__name")
    autocomplete_fields = ("department",)


@admin.register(HiringNeed)
class HiringNeedAdmin(_ReferenceAdmin):
    list_display = (
        "year",
        "bmo_code",
        "bmo_name",
        "employment_area",
        "projects",
        "difficult",
        "seasonal",
        "masked",
    )
    list_filter = (
        "year",
        "family_name",
        "department__region",
        "department",
    )
    list_select_related = ("employment_area", "department")
    search_fields = ("bmo_code", "bmo_name", "employment_area__name", "employment_area__code")
    autocomplete_fields = ("employment_area",)
    show_full_result_count = False


# Labour-market figures loaded from labour_market.json.gz (load_labour_market): read-only.


@admin.register(RomeTension)
class RomeTensionAdmin(_ReferenceAdmin):
    list_display = ("year", "rome_code", "area_name", "department", "job_offers", "job_seekers")
    list_filter = ("year", "tension", "department__region")
    list_select_related = ("department",)
    search_fields = ("rome_code", "area_name", "area_code")
    show_full_result_count = False


@admin.register(FamilyTension)
class FamilyTensionAdmin(_ReferenceAdmin):
    list_display = ("year", "fap_code", "department", "tension", "employment")
    list_filter = ("year", "tension")
    list_select_related = ("department",)
    search_fields = ("fap_code", "department__name", "department__code")
    show_full_result_count = False


@admin.register(TradeFamilyFigure)
class TradeFamilyFigureAdmin(_ReferenceAdmin):
    list_display = ("fap_code", "label", "median_wage", "wage_period", "women_share")
    search_fields = ("fap_code", "label")
