from django.contrib import admin

from .models import Category, Contraindication, Treatment


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]


@admin.register(Contraindication)
class ContraindicationAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "question"]
    search_fields = ["label", "question"]


@admin.register(Treatment)
class TreatmentAdmin(admin.ModelAdmin):
    list_display = [
        "name", "category", "session_minutes", "course_sessions",
        "consultation_required", "patch_test_lead_hours", "price_from", "price_to",
    ]
    list_filter = ["category", "consultation_required", "patch_test_lead_hours"]
    search_fields = ["name", "slug", "summary"]
    filter_horizontal = ["contraindications", "alternatives"]
    prepopulated_fields = {"slug": ["name"]}
