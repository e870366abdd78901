"""Django admin for the platform operator: moderate reviews (hide with a reason), read reports."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from . import actions
from .models import Review, ReviewReport, TreatmentRating, VenueRating


class HideForm(forms.Form):
    reason = forms.CharField(max_length=300, help_text="Kept with the review; the customer may ask why.")


class ReportInline(admin.TabularInline):
    model = ReviewReport
    extra = 0
    fields = ("reporter", "reason", "note", "created_at", "resolved_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("id", "venue", "overall", "kind", "customer", "created_at", "has_reply", "is_hidden",
                    "report_count")
    list_filter = ("kind", "overall", ("hidden_at", admin.EmptyFieldListFilter))
    search_fields = ("text", "venue__name", "customer__email")
    raw_id_fields = ("venue", "booking", "customer", "treatment", "staff", "replied_by", "hidden_by")
    readonly_fields = ("hidden_at", "hidden_reason", "hidden_by", "created_at", "visited_at", "replied_at",
                       "replied_by")
    inlines = [ReportInline]
    actions = ["hide_reviews", "restore_reviews"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reviews come only from attended bookings

    @admin.display(boolean=True, description="hidden")
    def is_hidden(self, review: Review) -> bool:
        return review.is_hidden

    @admin.display(boolean=True, description="replied")
    def has_reply(self, review: Review) -> bool:
        return review.has_reply

    @admin.display(description="reports")
    def report_count(self, review: Review) -> int:
        return review.reports.count()

    @admin.action(description="Hide selected reviews (asks for a reason)")
    def hide_reviews(self, request: HttpRequest, queryset: QuerySet[Review]) -> TemplateResponse | None:
        form = HideForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for review in queryset.filter(hidden_at__isnull=True):
                actions.hide_review(review=review, by=request.user, reason=form.cleaned_data["reason"])
            self.message_user(request, f"Hid {queryset.count()} review(s); the ratings are updated.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request), "title": "Hide reviews", "form": form, "reviews": queryset,
            "opts": self.model._meta, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/reviews/hide_reviews.html", context)

    @admin.action(description="Show selected hidden reviews again")
    def restore_reviews(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        hidden = list(queryset.filter(hidden_at__isnull=False))
        for review in hidden:
            actions.restore_review(review=review, by=request.user)
        self.message_user(request, f"Restored {len(hidden)} review(s).", messages.SUCCESS)


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    list_display = ("review", "reason", "reporter", "created_at", "resolved_at")
    list_filter = ("reason", ("resolved_at", admin.EmptyFieldListFilter))
    raw_id_fields = ("review", "reporter")


@admin.register(VenueRating)
class VenueRatingAdmin(admin.ModelAdmin):
    list_display = ("venue", "count", "avg", "recent_avg", "updated_at")
    raw_id_fields = ("venue",)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # rebuilt by reviews.actions from the reviews themselves


@admin.register(TreatmentRating)
class TreatmentRatingAdmin(admin.ModelAdmin):
    list_display = ("venue", "treatment", "count", "avg")
    raw_id_fields = ("venue", "treatment")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
