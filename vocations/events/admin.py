"""Staff screens for events and flagship programmes: read-only.

Every write on these models goes through the services (vocations.events.services): they lock
the seat counters, serve the waiting list when a capacity changes, check permissions and write
the audit trail. A plain ModelAdmin save would bypass all of that (a raised capacity would
strand the waiting list, a lowered one could overbook), so staff look here and change events,
sessions, partners and the programme in the back-office, and labels in the review queue.
"""

from django.contrib import admin

from .models import (
    Event,
    EventAudience,
    EventPartner,
    Label,
    LabelPeriod,
    LabelTransition,
    Partner,
    Session,
    SessionInvitation,
    Space,
    Universe,
)


class ReadOnlyMixin:
    """View permission only: no add, change or delete form here (see the module's doc)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EventAudienceInline(ReadOnlyMixin, admin.TabularInline):
    model = EventAudience
    extra = 0


class EventPartnerInline(ReadOnlyMixin, admin.TabularInline):
    model = EventPartner
    extra = 0
    autocomplete_fields = ("partner",)


class UniverseInline(ReadOnlyMixin, admin.TabularInline):
    model = Universe
    extra = 0
    show_change_link = True


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "department", "organization", "label_state")
    list_filter = ("kind", "is_published", "label__state", "region", "is_online", "is_free")
    search_fields = ("title", "slug", "organization__name", "commune__name", "postal_code")
    date_hierarchy = "starts_at"
    list_select_related = ("department", "organization", "label")
    raw_id_fields = ("commune", "duplicated_from")
    autocomplete_fields = ("organization",)
    filter_horizontal = ("sectors", "trades")
    readonly_fields = ("label_state", "published_at", "created_at", "updated_at")
    inlines = (EventAudienceInline, EventPartnerInline, UniverseInline)

    @admin.display(description="label", ordering="label__state")
    def label_state(self, obj: Event) -> str:
        return obj.label.get_state_display() if hasattr(obj, "label") else "—"


class LabelTransitionInline(admin.TabularInline):
    model = LabelTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_state", "to_state", "actor", "message", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("event", "state", "submitted_at", "decided_at", "reviewer")
    list_filter = ("state", "event__region", "event__kind")
    search_fields = ("event__title", "event__organization__name")
    list_select_related = ("event", "reviewer")
    readonly_fields = ("event", "state", "submitted_at", "decided_at", "reviewer", "message")
    inlines = (LabelTransitionInline,)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LabelPeriod)
class LabelPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "review_working_days")
    search_fields = ("name",)
    list_filter = ("starts_on",)


class SpaceInline(ReadOnlyMixin, admin.StackedInline):
    model = Space
    extra = 0
    filter_horizontal = ("trades",)
    autocomplete_fields = ("partner",)


@admin.register(Universe)
class UniverseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "event", "position")
    list_filter = ("event__kind",)
    search_fields = ("name", "event__title")
    raw_id_fields = ("event",)
    inlines = (SpaceInline,)


@admin.register(Space)
class SpaceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "universe", "partner", "position")
    list_filter = ("universe__name",)
    search_fields = ("name", "description", "universe__event__title")
    list_select_related = ("universe", "partner")
    filter_horizontal = ("trades",)
    autocomplete_fields = ("partner",)


class SessionInvitationInline(ReadOnlyMixin, admin.TabularInline):
    model = SessionInvitation
    extra = 1


@admin.register(Session)
class SessionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "event", "capacity", "invitation_only")
    list_filter = ("kind", "school_groups_only", "invitation_only", "audience")
    search_fields = ("title", "event__title")
    date_hierarchy = "starts_at"
    list_select_related = ("event",)
    raw_id_fields = ("event", "space")
    inlines = (SessionInvitationInline,)


@admin.register(Partner)
class PartnerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "website")
    search_fields = ("name",)
