from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from pamper.lib import clock
from pamper.notifications import outbox
from pamper.notifications.models import CalendarFeed, Message, Preference


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "booking", "recipient", "status", "attempts", "due_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "booking__id"]
    raw_id_fields = ["booking", "user"]
    readonly_fields = ["created_at", "sent_at", "attempts", "last_error", "claimed_until"]
    actions = ["retry"]

    @admin.action(description="Try failed messages again")
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = outbox.retry_failed(list(queryset.values_list("pk", flat=True)), clock.now())
        self.message_user(request, f"{count} message(s) queued again.")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "booking_updates", "reminders", "checkins", "review_requests", "venue_bookings"]
    raw_id_fields = ["user"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "scope", "staff", "prefix", "created_at", "revoked_at", "last_fetched_at"]
    list_filter = ["scope"]
    raw_id_fields = ["user", "staff"]
    readonly_fields = ["token_hash", "prefix"]
