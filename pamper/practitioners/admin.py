"""The platform operator's view of credentials: check a registration against its register, then verify it here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pamper.errors import Refusal

from . import actions
from .models import Credential, Prescription, Reassignment


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["staff", "venue", "kind", "profession", "body", "number", "valid_until", "verified_at",
                    "verified_role"]
    list_filter = ["kind", "profession", "verified_role"]
    search_fields = ["staff__name", "venue__name", "number", "body"]
    readonly_fields = ["verified_at", "verified_by", "verified_role", "certificate_name", "certificate_type",
                       "created_at", "notified_30", "notified_7", "lapse_handled"]
    raw_id_fields = ["venue", "staff", "supervisor", "treatment"]
    actions = ["verify"]

    @admin.action(description=_("Verify the selected credentials (checked against their register)"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
        done = 0
        for credential in queryset.select_related("venue"):
            try:
                actions.verify_credential(credential=credential, by=request.user)  # type: ignore[arg-type]
            except Refusal as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
                return
            done += 1
        self.message_user(request, _("%(n)s verified.") % {"n": done}, messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: Credential, form: object, change: bool) -> None:
        """The operator's edits stay possible, and go in the venue's audit log like the workspace's."""
        super().save_model(request, obj, form, change)
        actions.audit_admin_change(credential=obj, by=request.user, created=not change)  # type: ignore[arg-type]


@admin.register(Prescription)
class PrescriptionAdmin(admin.ModelAdmin):
    list_display = ["client", "treatment", "prescriber", "issued_on", "valid_until"]
    raw_id_fields = ["venue", "client", "treatment", "prescriber", "consultation", "recorded_by"]


@admin.register(Reassignment)
class ReassignmentAdmin(admin.ModelAdmin):
    list_display = ["booking", "staff", "credential_kind", "someone_free", "customer_told", "created_at"]
    raw_id_fields = ["venue", "booking", "staff"]
