from django.contrib import admin

from .models import Closure, OpeningHours, Resource, Service, Shift, Staff, TimeOff, Venue


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


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "country", "timezone", "currency", "rating_avg", "review_count", "is_published"]
    list_filter = ["kind", "country", "is_published", "timezone"]
    search_fields = ["name", "slug", "city", "postcode"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, ClosureInline, ServiceInline]
    list_per_page = 50


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "venue", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "title", "venue__name"]
    autocomplete_fields = ["venue", "user"]
    filter_horizontal = ["services"]
    inlines = [ShiftInline, TimeOffInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "treatment", "kind", "variant", "price", "currency", "duration_minutes", "online_bookable"]
    list_filter = ["kind", "online_bookable", "is_active", "currency", "treatment__category"]
    search_fields = ["name", "venue__name", "treatment__name"]
    autocomplete_fields = ["venue", "treatment", "resource"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "venue"]
    list_filter = ["kind"]
    search_fields = ["name", "venue__name"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["venue", "weekday", "opens", "closes"]
    list_filter = ["weekday"]
    search_fields = ["venue__name"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["venue", "start_date", "end_date", "reason"]
    search_fields = ["venue__name", "reason"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["staff", "weekday", "start", "end"]
    list_filter = ["weekday"]
    search_fields = ["staff__name", "staff__venue__name"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["staff", "start", "end", "reason"]
    search_fields = ["staff__name", "reason"]
