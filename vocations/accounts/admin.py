"""Django admin for the campaign team: accounts, organizations, memberships, and the
read-only audit trail and reference dataset versions of vocations.core."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet

from vocations.core.models import AuditEntry, ReferenceDataset

from . import services
from .models import Membership, Organization, User
from .selectors import membership_is_last_owner

# --- users -----------------------------------------------------------------------------


class _LowercaseEmailMixin:
    """Sign-in lowercases the address; store it the same way and refuse case-only twins."""

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("Un compte existe déjà avec cette adresse e-mail.")
        return email


class UserCreationAdminForm(_LowercaseEmailMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")
        field_classes: dict = {}


class UserChangeAdminForm(_LowercaseEmailMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


class MembershipOfUserInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    raw_id_fields = ("organization",)
    verbose_name = "appartenance"
    verbose_name_plural = "appartenances"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Informations personnelles", {"fields": ("full_name",)}),
        (
            "Droits",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates importantes", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    inlines = [MembershipOfUserInline]

    def get_inlines(self, request, obj):
        # The add form has only the credentials; memberships come once the user exists.
        return self.inlines if obj is not None else []


# --- organizations ---------------------------------------------------------------------


class MembershipFormSet(BaseInlineFormSet):
    """Refuse an edit that would leave an organization that had owners without any."""

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        had_owner = Membership.objects.filter(
            organization=self.instance, role=Membership.Role.OWNER
        ).exists()
        keeps_owner = any(
            form.cleaned_data.get("role") == Membership.Role.OWNER
            and not form.cleaned_data.get("DELETE")
            for form in self.forms
            if form.cleaned_data
        )
        if had_owner and not keeps_owner:
            raise ValidationError(services.LAST_OWNER_MESSAGE)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "department", "siret", "created_at")
    list_filter = ("kind", ("department__region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "siret", "slug")
    list_select_related = ("department",)
    prepopulated_fields = {"slug": ("name",)}
    # About 35,000 communes: a select box would weigh megabytes.
    raw_id_fields = ("commune",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "organization", "role")

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if (
            instance.pk
            and instance.role == Membership.Role.OWNER
            and (
                cleaned.get("role") != Membership.Role.OWNER
                or cleaned.get("organization") != instance.organization
            )
            and membership_is_last_owner(instance)
        ):
            raise ValidationError(services.LAST_OWNER_MESSAGE)
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", "organization__kind")
    search_fields = ("user__email", "user__full_name", "organization__name")
    list_select_related = ("user", "organization")
    raw_id_fields = ("user", "organization")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and membership_is_last_owner(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # Bulk deletion goes through the service one by one, so the last-owner rule holds.
        for membership in queryset.select_related("organization", "user"):
            try:
                services.membership_remove(actor=request.user, membership=membership)
            except ValidationError as exc:
                self.message_user(
                    request, f"{membership} : {' '.join(exc.messages)}", messages.ERROR
                )
            except PermissionDenied as exc:
                self.message_user(request, f"{membership} : {exc}", messages.ERROR)


# --- vocations.core, read-only ---------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to staff, written only by the code."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "actor", "organization", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("action", "target_type", "target_id")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "organization")


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(ReadOnlyAdmin):
    list_display = ("name", "checksum", "loaded_at")
    search_fields = ("name",)
