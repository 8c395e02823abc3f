from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import domain
from .models import AuditEvent, JoinRequest, Membership, Organisation, RoleGrant, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("full_name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "region", "is_care_provider", "is_course_provider", "is_local_authority"]
    list_filter = ["sector", "region", "is_care_provider", "is_course_provider", "is_local_authority", "is_academy"]
    search_fields = ["name", "regulator_number"]
    inlines = [MembershipInline]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "state", "created_at", "decided_by"]
    list_filter = ["state"]
    readonly_fields = ["user", "organisation", "message", "state", "created_at", "decided_by", "decided_at", "reason"]

    def has_add_permission(self, request):
        return False


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Grants go through the domain function so each is audited; a grant is
    never edited, only revoked."""

    list_display = ["user", "role", "granted_by", "granted_at", "revoked_at"]
    list_filter = ["role", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "role"]
        return ["user", "role", "granted_by", "granted_at", "revoked_by", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        grant = domain.grant_role(request.user, obj.user, obj.role)
        obj.pk = grant.pk
        obj.granted_at = grant.granted_at

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Remove the selected roles")
    def revoke(self, request, queryset):
        for grant in queryset.filter(revoked_at__isnull=True):
            domain.revoke_role(request.user, grant)
        messages.success(request, "The selected roles were removed.")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor__email", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
