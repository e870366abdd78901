"""Admin: bookings to look at, not to edit. Every change goes through bookings.actions (the overlap guard)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Booking, BookingItem, IdempotencyRecord


class ItemInline(admin.TabularInline):
    model = BookingItem
    extra = 0
    can_delete = False
    fields = ("position", "service", "staff", "resource", "start", "end", "busy_start", "busy_end", "price", "active")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("id", "venue", "client", "start", "status", "source", "total_price", "currency", "created_at")
    list_filter = ("status", "source", "venue__country")
    search_fields = ("id", "venue__name", "client__name", "client__email", "customer__email")
    date_hierarchy = "start"
    list_select_related = ("venue", "client")
    inlines = [ItemInline]
    readonly_fields = [f.name for f in Booking._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # book through the site, the API or the venue workspace

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ("user", "key", "status_code", "created_at")
    search_fields = ("key", "user__email")
    readonly_fields = ("user", "key", "request_hash", "status_code", "body", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
