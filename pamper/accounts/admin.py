from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext

from . import actions as account_actions
from . import two_factor
from .models import CLINICAL_ROLES, ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    """Memberships shown on the user's page; roles change on the membership's own page, where the
    second-factor rule applies."""

    model = Membership
    extra = 0
    fields = ["venue", "role", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipAdminForm(forms.ModelForm):
    """Giving a role that opens clinical records needs the operator's second factor where one is in play,
    exactly as on the Team page (accounts.two_factor.require_step_up)."""

    request: HttpRequest

    class Meta:
        model = Membership
        fields = ["user", "venue", "role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role, venue = data.get("role"), data.get("venue")
        if role in CLINICAL_ROLES and venue is not None and role != self.initial.get("role"):
            try:
                two_factor.require_step_up(self.request.user, venue=venue,
                                           doing=gettext("Giving a role that opens clinical records"))
            except two_factor.TwoFactorRequired as exc:
                raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    actions = ["deactivate"]
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "email_confirmed", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "email_confirmed"]
    search_fields = ["email", "name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "phone", "email_confirmed"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]
    readonly_fields = ["email_confirmed"]  # set by the link (accounts.actions.confirm_email), which releases held mail

    @admin.action(description="Deactivate the selected accounts (their sessions and API tokens stop at once)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        done = account_actions.deactivate_accounts(users=queryset, keep=request.user)  # type: ignore[arg-type]
        self.message_user(request, f"Deactivated {done} account(s); your own is never among them.", messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "venue", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "venue__name"]
    autocomplete_fields = ["user", "venue"]
    readonly_fields = ["created_at"]
    form = MembershipAdminForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__email", "prefix"]
    readonly_fields = ["key_hash", "prefix"]
