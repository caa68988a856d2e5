from django.contrib import admin

from .models import Appellation, Branch, NafDivision, QualificationLevel, Sector, Trade


@admin.register(NafDivision)
class NafDivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "label")
    search_fields = ("code", "label")
    list_filter = ("sectors",)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug", "description")
    list_filter = ("naf_divisions", "branches")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("naf_divisions",)


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "federation", "website")
    search_fields = ("name", "short_name", "federation")
    list_filter = ("sectors",)
    prepopulated_fields = {"slug": ("short_name",)}
    filter_horizontal = ("sectors",)


@admin.register(QualificationLevel)
class QualificationLevelAdmin(admin.ModelAdmin):
    list_display = ("level", "label")
    search_fields = ("label",)
    list_filter = ("level",)


class AppellationInline(admin.TabularInline):
    model = Appellation
    extra = 0
    fields = ("code_ogr", "title")


@admin.register(Trade)
class TradeAdmin(admin.ModelAdmin):
    list_display = ("rome_code", "title", "is_featured")
    list_display_links = ("rome_code", "title")
    search_fields = ("rome_code", "title", "slug", "appellations__title")
    list_filter = ("is_featured", "sectors", "branches", "qualification_levels", "naf_divisions")
    filter_horizontal = ("naf_divisions", "sectors", "branches", "qualification_levels")
    inlines = (AppellationInline,)
    ordering = ("rome_code",)


@admin.register(Appellation)
class AppellationAdmin(admin.ModelAdmin):
    list_display = ("code_ogr", "title", "trade")
    search_fields = ("code_ogr", "title", "trade__rome_code", "trade__title")
    list_filter = ("trade__is_featured", "trade__sectors")
    autocomplete_fields = ("trade",)
    list_select_related = ("trade",)
