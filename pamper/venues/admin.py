"""Admin for venues and what they offer.

Tables reach millions of rows with the demo data (200,000 venues), so list
pages select their foreign keys in the same query, skip the full COUNT(*), and
foreign keys are picked with autocomplete rather than a drop-down of every row.
Saving a venue or a service from the admin keeps the search index in step.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from pamper.accounts.models import User
from pamper.errors import Refusal
from pamper.lib import clock

from . import actions
from .models import (
    AuditEntry,
    Client,
    Closure,
    OpeningHours,
    Resource,
    Service,
    ServiceRules,
    Shift,
    Staff,
    TimeOff,
    Venue,
)


class BigTableAdmin(admin.ModelAdmin):
    show_full_result_count = False
    list_per_page = 50


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class ServiceInline(admin.TabularInline):
    """Quick edits of names and prices; the kind and treatment (its clinical rules) change on the service's own page."""

    model = Service
    extra = 0
    fields = ["name", "treatment", "kind", "variant", "price", "currency", "duration_minutes", "online_bookable",
              "is_active"]
    readonly_fields = ["treatment", "kind", "currency"]  # a service's currency is its venue's
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a new service needs its treatment: add it on the service page


class StaffInline(admin.TabularInline):
    model = Staff
    extra = 0
    fields = ["name", "title", "user", "is_active", "position"]
    autocomplete_fields = ["user"]
    show_change_link = True


@admin.register(Venue)
class VenueAdmin(BigTableAdmin):
    list_display = ["name", "kind", "city", "country", "timezone", "currency", "rating_avg", "review_count",
                    "is_published"]
    list_filter = ["kind", "country", "is_published", "currency", "timezone"]
    search_fields = ["name", "slug", "city", "postcode"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, ClosureInline, StaffInline, ServiceInline]
    readonly_fields = ["rating_avg", "review_count", "created_at"]
    actions = ["publish", "unpublish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Venue | None = None) -> list[str]:
        """A venue's currency is chosen when it is added; after that only its settings page changes it, which
        refuses a currency its prices cannot hold and moves the services with it (venues.actions.update_venue).
        Changed here, the services and deposits stayed in the old currency."""
        return [*self.readonly_fields, "currency"] if obj is not None else list(self.readonly_fields)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        actions.reindex(form.instance.pk)

    @admin.action(description="Publish the selected venues")
    def publish(self, request: HttpRequest, queryset: QuerySet[Venue]) -> None:
        for venue in queryset:
            actions.set_venue_published(venue=venue, published=True)

    @admin.action(description="Hide the selected venues")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Venue]) -> None:
        for venue in queryset:
            actions.set_venue_published(venue=venue, published=False)


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


@admin.register(Staff)
class StaffAdmin(BigTableAdmin):
    list_display = ["name", "title", "venue", "user", "is_active"]
    list_filter = ["is_active", "venue__kind", "venue__country"]
    list_select_related = ["venue", "user"]
    search_fields = ["name", "title", "venue__name"]
    autocomplete_fields = ["venue", "user", "services"]
    inlines = [ShiftInline, TimeOffInline]


class ServiceAdminForm(forms.ModelForm):
    """The service page's form: a change that weakens its clinical rules goes through the venues rule."""

    rules_change_reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when a change of kind or treatment weakens the rules its bookings are checked against "
                  "(refused while it has bookings to come). Kept in the venue's audit log.")
    actor: User | None = None
    rules_before: ServiceRules | None = None

    class Meta:
        model = Service
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("venue") is not None:  # the venue's currency, before the model checks the price against it
            self.instance.currency = cleaned["venue"].currency
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now carries the new values
        if self.instance.pk is None or self.errors:
            return
        self.rules_before = Service.objects.select_related("treatment").get(pk=self.instance.pk).rules()
        try:
            actions.check_rules_change(service=self.instance, before=self.rules_before, by=self.actor,
                                       reason=self.cleaned_data.get("rules_change_reason", ""), now=clock.now())
        except Refusal as exc:
            self.add_error("rules_change_reason", exc.message)


@admin.register(Service)
class ServiceAdmin(BigTableAdmin):
    list_display = ["name", "venue", "treatment", "kind", "variant", "price", "currency", "duration_minutes",
                    "online_bookable", "is_active"]
    list_filter = ["kind", "online_bookable", "is_active", "currency", "treatment__category"]
    list_select_related = ["venue", "treatment"]
    search_fields = ["name", "venue__name", "treatment__name", "variant"]
    autocomplete_fields = ["venue", "treatment", "resource"]
    readonly_fields = ["currency"]  # always its venue's (ServiceAdminForm.clean)
    form = ServiceAdminForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request: HttpRequest, obj: Service, form: Any, change: bool) -> None:
        with transaction.atomic():
            if change and form.rules_before is not None:
                actions.guard_rules_change(service=obj, before=form.rules_before, by=request.user,  # type: ignore[arg-type]
                                           reason=form.cleaned_data.get("rules_change_reason", ""), now=clock.now())
            super().save_model(request, obj, form, change)
            actions.reindex(obj.venue_id)


@admin.register(AuditEntry)
class AuditEntryAdmin(BigTableAdmin):
    """The venues' audit log: read only."""

    list_display = ["at", "venue", "action", "object_type", "object_id", "actor", "actor_role"]
    list_filter = ["action"]
    list_select_related = ["venue", "actor"]
    search_fields = ["venue__name", "actor__email", "reason"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Resource)
class ResourceAdmin(BigTableAdmin):
    list_display = ["name", "kind", "venue"]
    list_filter = ["kind"]
    list_select_related = ["venue"]
    search_fields = ["name", "venue__name"]
    autocomplete_fields = ["venue"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(BigTableAdmin):
    list_display = ["venue", "weekday", "opens", "closes"]
    list_filter = ["weekday"]
    list_select_related = ["venue"]
    search_fields = ["venue__name"]
    autocomplete_fields = ["venue"]


@admin.register(Closure)
class ClosureAdmin(BigTableAdmin):
    list_display = ["venue", "start_date", "end_date", "reason"]
    list_filter = ["start_date"]
    list_select_related = ["venue"]
    search_fields = ["venue__name", "reason"]
    autocomplete_fields = ["venue"]
    date_hierarchy = "start_date"


@admin.register(Shift)
class ShiftAdmin(BigTableAdmin):
    list_display = ["staff", "venue_name", "weekday", "start", "end", "valid_from", "valid_until"]
    list_filter = ["weekday"]
    list_select_related = ["staff__venue"]
    search_fields = ["staff__name", "staff__venue__name"]
    autocomplete_fields = ["staff"]

    @admin.display(description="Venue", ordering="staff__venue__name")
    def venue_name(self, obj: Shift) -> str:
        return obj.staff.venue.name


@admin.register(TimeOff)
class TimeOffAdmin(BigTableAdmin):
    list_display = ["staff", "venue_name", "start", "end", "reason"]
    list_select_related = ["staff__venue"]
    search_fields = ["staff__name", "staff__venue__name", "reason"]
    autocomplete_fields = ["staff"]
    date_hierarchy = "start"

    @admin.display(description="Venue", ordering="staff__venue__name")
    def venue_name(self, obj: TimeOff) -> str:
        return obj.staff.venue.name


@admin.register(Client)
class ClientAdmin(BigTableAdmin):
    """Non-clinical client records; health data lives in the clinical app and is not shown here."""

    list_display = ["name", "email", "phone", "venue", "user", "created_at"]
    list_filter = ["venue__country", "venue__kind"]
    list_select_related = ["venue", "user"]
    search_fields = ["name", "email", "phone", "venue__name", "user__email"]
    autocomplete_fields = ["venue", "user"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"
