"""Admin for the catalogue. The TOML files in pamper/catalog/data/ are the source of truth:
edits made here are overwritten by the next `load_catalog`."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from .models import Category, Contraindication, Treatment


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "treatment_count"]
    search_fields = ["name", "slug"]
    ordering = ["position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(treatment_total=Count("treatments"))

    @admin.display(description="Treatments", ordering="treatment_total")
    def treatment_count(self, obj: Category) -> int:
        return obj.treatment_total  # type: ignore[attr-defined]


@admin.register(Contraindication)
class ContraindicationAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "question"]
    search_fields = ["label", "slug", "question"]


class HasGuideFilter(admin.SimpleListFilter):
    title = "full guide"
    parameter_name = "guide"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Has a full guide"), ("no", "No guide yet")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Treatment]) -> QuerySet[Treatment]:
        with_guide = queryset.exclude(guide_what="").exclude(guide_how="")
        if self.value() == "yes":
            return with_guide
        if self.value() == "no":
            return queryset.exclude(pk__in=with_guide.values("pk"))
        return queryset


@admin.register(Treatment)
class TreatmentAdmin(admin.ModelAdmin):
    list_display = [
        "name", "category", "session_minutes", "course_sessions", "consultation_required",
        "patch_test_lead_hours", "price_from", "price_to", "guide",
    ]
    list_filter = ["category", "consultation_required", "patch_test_lead_hours", HasGuideFilter]
    list_select_related = ["category"]
    search_fields = ["name", "slug", "summary", "synonyms", "conditions"]
    filter_horizontal = ["contraindications", "alternatives"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "category", "summary", "synonyms", "conditions", "variants"]}),
        ("Course and safety", {"fields": [
            "session_minutes", "course_sessions", "course_interval_days", "downtime", "side_effects", "aftercare",
            "contraindications", "consultation_required", "patch_test_lead_hours", "patch_test_validity_days",
            "evidence",
        ]}),
        ("Price (typical UK, GBP)", {"fields": ["price_from", "price_to"]}),
        ("Guide", {"fields": ["guide_what", "guide_how", "guide_for_me", "guide_good_to_know", "guide_aftercare"]}),
        ("Related", {"fields": ["alternatives"]}),
    ]

    @admin.display(description="Guide", boolean=True)
    def guide(self, obj: Treatment) -> bool:
        return obj.has_guide
