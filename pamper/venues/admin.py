"""Admin for venues and what they offer.

Tables reach millions of rows with the demo data (200,000 venues), so list
pages select their foreign keys in the same query, skip the full COUNT(*), and
foreign keys are picked with autocomplete rather than a drop-down of every row.
Saving a venue or a service from the admin keeps the search index in step.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from . import actions
from .models import Client, Closure, OpeningHours, Resource, Service, Shift, Staff, TimeOff, Venue


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
    model = Service
    extra = 0
    fields = ["name", "treatment", "kind", "variant", "price", "currency", "duration_minutes", "online_bookable", "is_active"]
    autocomplete_fields = ["treatment"]


class StaffInline(admin.TabularInline):
    model = Staff
    extra = 0
    fields = ["name", "title", "user", "is_active", "position"]
    autocomplete_fields = ["user"]
    show_change_link = True


@admin.register(Venue)
class VenueAdmin(BigTableAdmin):
    list_display = ["name", "kind", "city", "country", "timezone", "currency", "rating_avg", "review_count", "is_published"]
    list_filter = ["kind", "country", "is_published", "currency", "timezone"]
    search_fields = ["name", "slug", "city", "postcode"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, ClosureInline, StaffInline, ServiceInline]
    readonly_fields = ["rating_avg", "review_count", "created_at"]
    actions = ["publish", "unpublish"]

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


@admin.register(Service)
class ServiceAdmin(BigTableAdmin):
    list_display = ["name", "venue", "treatment", "kind", "variant", "price", "currency", "duration_minutes",
                    "online_bookable", "is_active"]
    list_filter = ["kind", "online_bookable", "is_active", "currency", "treatment__category"]
    list_select_related = ["venue", "treatment"]
    search_fields = ["name", "venue__name", "treatment__name", "variant"]
    autocomplete_fields = ["venue", "treatment", "resource"]

    def save_model(self, request: HttpRequest, obj: Service, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        actions.reindex(obj.venue_id)


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
